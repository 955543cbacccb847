import { PORTS, type Model } from "./model/model.js";

/** Stack outputs, as Project Planton names them; only what the render creates or the user configured. */
export interface StackOutputs {
  namespace: string;
  clientUrlInternal: string;
  clientUrlExternal?: string;
  authSecret?: { name: string; keys: string[] };
  tlsSecret?: { name: string; key: string };
  jetStreamDomain?: string;
  metricsEndpoint?: string;
}

export function stackOutputs(m: Model): StackOutputs {
  const s = m.spec;
  const scheme = s.tls.enabled ? "tls" : "nats";
  const out: StackOutputs = {
    namespace: m.namespace,
    clientUrlInternal: `${scheme}://${m.dns.clientFqdn}:${PORTS.client}`,
  };
  const ea = s.externalAccess;
  if (ea.type === "LOADBALANCER" && ea.hostname) out.clientUrlExternal = `${scheme}://${ea.hostname}:${PORTS.client}`;
  if (ea.type === "INGRESS" && ea.hostname) out.clientUrlExternal = `wss://${ea.hostname}`;
  if (s.auth.enabled)
    out.authSecret = { name: m.names.authSecret, keys: s.auth.mode === "TOKEN" ? [s.auth.tokenKey] : [s.auth.userKey, s.auth.passwordKey] };
  if (s.tls.enabled) out.tlsSecret = { name: m.names.tlsSecret, key: "tls.crt" };
  if (m.jetstream.enabled && s.jetstream.domain) out.jetStreamDomain = s.jetstream.domain;
  const metrics = metricsEndpoint(m);
  if (metrics) out.metricsEndpoint = metrics;
  return out;
}

/** Filled in when the render creates an endpoint Prometheus (or a person) can reach. */
export function metricsEndpoint(_m: Model): string | undefined {
  return undefined;
}

import { PORTS, type Model } from "./model/model.js";
import { authKeys } from "./render/secrets.js";
import { metricsServiceUrl } from "./render/monitoring/scrape.js";

/** Stack outputs, as Project Planton names them; only what the render creates or the user configured. */
export interface StackOutputs {
  namespace: string;
  clientUrlInternal: string;
  clientUrlExternal?: string;
  authSecret?: { name: string; keys: string[] };
  /** caKey: where clients find the CA that signed the server certificate, when the Secret holds one. */
  tlsSecret?: { name: string; key: string; caKey?: string };
  jetStreamDomain?: string;
  metricsEndpoint?: string;
}

export function stackOutputs(m: Model): StackOutputs {
  const s = m.spec;
  const out: StackOutputs = { namespace: m.namespace, clientUrlInternal: m.clientUrl };
  const ea = s.externalAccess;
  if (ea.type === "LOADBALANCER" && ea.hostname) out.clientUrlExternal = m.clientUrlAt(ea.hostname);
  if (ea.type === "INGRESS" && ea.hostname) out.clientUrlExternal = `wss://${ea.hostname}`;
  // Without the no-auth user's password: clients never send it.
  const keys = authKeys(m).filter((k) => k !== m.auth.sharedNoAuth?.passwordKey);
  if (keys.length > 0) out.authSecret = { name: m.names.authSecret, keys };
  if (m.tls) out.tlsSecret = { name: m.names.tlsSecret, key: "tls.crt", ...(m.tls.caKey ? { caKey: m.tls.caKey } : {}) };
  if (m.jetstream.enabled && s.jetstream.domain) out.jetStreamDomain = s.jetstream.domain;
  const metrics = metricsEndpoint(m);
  if (metrics) out.metricsEndpoint = metrics;
  return out;
}

/**
 * The metrics Service's URL with monitoring SERVICEMONITOR. A PodMonitor scrapes each pod's exporter
 * port directly and no single address serves the cluster's metrics, so there is no output then.
 */
export function metricsEndpoint(m: Model): string | undefined {
  return metricsServiceUrl(m);
}

/** The redesign's stack outputs (its stack_outputs.proto, protojson names), for a manifest written in it. */
export interface RedesignOutputs {
  namespace: string;
  serviceName: string;
  headlessServiceName: string;
  clientEndpoint: string;
  /** `ws://...:<port>`, or "" without a WebSocket listener (as Planton). */
  websocketEndpoint: string;
  /** `<name>-auth`, or "" without users (as Planton). */
  authSecretName: string;
  portForwardCommand: string;
}

/**
 * What Planton's redesign exports, as it spells it: `clientEndpoint` is nats:// even with TLS (clients
 * upgrade when the server asks); websocketEndpoint and authSecretName are empty strings without websocket
 * or users, as Planton writes them.
 */
export function redesignOutputs(m: Model): RedesignOutputs {
  return {
    namespace: m.namespace,
    serviceName: m.name,
    headlessServiceName: m.names.headless,
    clientEndpoint: `nats://${m.dns.clientFqdn}:${PORTS.client}`,
    websocketEndpoint: m.listeners.websocket ? `ws://${m.dns.clientFqdn}:${m.listeners.websocket.port}` : "",
    authSecretName: m.auth.kind === "users" ? m.names.authSecret : "",
    portForwardCommand: `kubectl port-forward svc/${m.name} -n ${m.namespace} ${PORTS.client}:${PORTS.client}`,
  };
}

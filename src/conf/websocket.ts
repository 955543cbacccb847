import { PORTS, type Model } from "../model/model.js";
import { canReencrypt, ingressControllerOf } from "../spec/ingress-controllers.js";
import { clientTls } from "./tls.js";
import { env, type ConfBlock } from "./value.js";

/** Whether the server speaks WebSocket at all: only behind the Ingress of externalAccess INGRESS. */
export function websocketEnabled(m: Model): boolean {
  return m.spec.externalAccess.type === "INGRESS";
}

/**
 * Where browser TLS ends. REENCRYPT: the controller opens TLS to the server's certificate, so nothing
 * crosses the pod network in clear. INGRESS: the WebSocket port is plain, which every controller can
 * reach. REENCRYPT is the default only where it works as rendered: server TLS, and an ingressClassName
 * naming a controller natskube can tell to speak TLS to the pods; a controller sending plain HTTP to a
 * TLS-only port fails every connection (400/502).
 */
export function websocketTermination(m: Model): "INGRESS" | "REENCRYPT" {
  const ea = m.spec.externalAccess;
  if (ea.tlsTermination) return ea.tlsTermination;
  return m.tls && canReencrypt(ingressControllerOf(ea.ingressClassName)) ? "REENCRYPT" : "INGRESS";
}

/** The server's WebSocket port presents the server certificate. */
export function websocketServesTls(m: Model): boolean {
  return websocketEnabled(m) && m.tls !== undefined && websocketTermination(m) === "REENCRYPT";
}

/**
 * `websocket {}`. nats-server refuses a WebSocket listener with neither `tls` nor `no_tls`, so one of
 * them is always written. Clients authenticate exactly as on 4222: without its own `authorization`
 * block the listener uses the top-level one.
 */
export function websocketSection(m: Model): ConfBlock | undefined {
  if (!websocketEnabled(m)) return undefined;
  const host = m.topology.listenHostVar;
  const tls = websocketServesTls(m) ? clientTls(m) : undefined;
  return {
    host: host ? env(host) : undefined,
    port: PORTS.websocket,
    ...(tls ? { tls } : { no_tls: true }),
  };
}

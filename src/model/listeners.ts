import { canReencrypt, ingressControllerOf } from "../spec/ingress-controllers.js";
import type { Spec } from "../spec/types.js";

/** A listener beside the client port, resolved: its port and whether it presents the server certificate. */
export interface Listener {
  port: number;
  tls: boolean;
}

export interface Listeners {
  websocket?: Listener;
  mqtt?: Listener;
  leafnodes?: Listener;
}

/**
 * Where browser TLS ends behind the Ingress of externalAccess INGRESS. REENCRYPT: the controller opens TLS
 * to the server's certificate, so nothing crosses the pod network in clear. INGRESS: the WebSocket port is
 * plain, which every controller can reach. REENCRYPT is the default only where it works as rendered:
 * server TLS, and an ingressClassName naming a controller natskube can tell to speak TLS to the pods; a
 * controller sending plain HTTP to a TLS-only port fails every connection (400/502).
 */
export function websocketTermination(spec: Spec): "INGRESS" | "REENCRYPT" {
  const ea = spec.externalAccess;
  if (ea.tlsTermination) return ea.tlsTermination;
  return spec.tls.enabled && canReencrypt(ingressControllerOf(ea.ingressClassName)) ? "REENCRYPT" : "INGRESS";
}

export function resolveListeners(spec: Spec): Listeners {
  const tlsOn = spec.tls.enabled;
  const own = (l: { enabled: boolean; port: number; tls?: boolean | undefined }): Listener | undefined =>
    l.enabled ? { port: l.port, tls: tlsOn && (l.tls ?? true) } : undefined;
  const ingress = spec.externalAccess.type === "INGRESS";
  const websocket = ingress ? { port: spec.websocket.port, tls: tlsOn && websocketTermination(spec) === "REENCRYPT" } : own(spec.websocket);
  const mqtt = own(spec.mqtt);
  const leafnodes = own(spec.leafnodes);
  return { ...(websocket ? { websocket } : {}), ...(mqtt ? { mqtt } : {}), ...(leafnodes ? { leafnodes } : {}) };
}

import { websocketServesTls } from "../conf/listeners.js";
import type { Model } from "../model/model.js";
import { canReencrypt, ingressControllerOf, type IngressController } from "../spec/ingress-controllers.js";

/**
 * The controller's own settings for the WebSocket backend, by ingressClassName: WebSocket where the
 * controller needs telling, and backend TLS with REENCRYPT. An explicit REENCRYPT on a class natskube
 * does not know gets the nginx keys (the most common default class); validate warns about it.
 */
export function controllerAnnotations(m: Model): ControllerAnnotations {
  if (m.spec.externalAccess.type !== "INGRESS") return { ingress: {}, service: {} };
  const c = ingressControllerOf(m.spec.externalAccess.ingressClassName);
  const ws = websocketAnnotations(c, m.names.client);
  const tls = websocketServesTls(m) ? (reencryptAnnotations(c, m.names.client) ?? (c === undefined ? reencryptAnnotations("nginx", m.names.client) : undefined)) : undefined;
  return { ingress: { ...ws.ingress, ...tls?.ingress }, service: { ...ws.service, ...tls?.service } };
}

export interface ControllerAnnotations {
  ingress: Record<string, string>;
  /** On the client Service, the Ingress's backend (some controllers read backend settings there). */
  service: Record<string, string>;
}

/** How to make the controller speak TLS to the WebSocket port (REENCRYPT); undefined where natskube cannot (spec/ingress-controllers.ts). */
export function reencryptAnnotations(c: IngressController | undefined, service: string): ControllerAnnotations | undefined {
  if (!canReencrypt(c)) return undefined;
  switch (c) {
    case "nginx":
      // ingress-nginx and NGINX Inc.'s controller share the class name "nginx": both keys, each ignored by the other.
      return { ingress: { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS", "nginx.org/ssl-services": service }, service: {} };
    case "haproxy":
      // haproxytech/kubernetes-ingress and jcmoraisjr/haproxy-ingress both default to the class "haproxy".
      return { ingress: { "haproxy.org/server-ssl": "true", "haproxy-ingress.github.io/backend-protocol": "h1-ssl" }, service: {} };
    case "contour":
      return { ingress: {}, service: { "projectcontour.io/upstream-protocol.tls": "websocket" } };
    case "alb":
      return { ingress: { "alb.ingress.kubernetes.io/backend-protocol": "HTTPS" }, service: {} };
    default:
      return undefined;
  }
}

/** WebSocket itself, where a controller proxies it only when told to. */
export function websocketAnnotations(c: IngressController | undefined, service: string): ControllerAnnotations {
  switch (c) {
    case "nginx":
      // NGINX Inc.'s controller passes the Upgrade handshake only for the Services listed here.
      return { ingress: { "nginx.org/websocket-services": service }, service: {} };
    case "contour":
      // Envoy upgrades only the routes listed here (Contour's Ingress annotation).
      return { ingress: { "projectcontour.io/websocket-routes": "/" }, service: {} };
    default:
      return { ingress: {}, service: {} };
  }
}

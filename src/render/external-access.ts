import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { IService } from "kubernetes-models/v1/Service";
import { sortKeys, type Model } from "../model/model.js";
import { controllerAnnotations } from "./ingress-backend.js";
import { objectMeta } from "./object.js";
import { clientPort } from "./services.js";

/** external-dns creates this DNS name for the load balancer's address. */
export const EXTERNAL_DNS_HOSTNAME = "external-dns.alpha.kubernetes.io/hostname";

/**
 * ingress-nginx (kubernetes/ingress-nginx) closes a proxied connection that sends nothing for 60 s,
 * while NATS pings every 2 minutes: an idle WebSocket client would be cut every minute. An hour
 * covers the ping interval many times over. Other controllers ignore these keys (docs/access.md).
 */
export const NGINX_WEBSOCKET_ANNOTATIONS: Readonly<Record<string, string>> = {
  "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
  "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
};
/** ingress-nginx speaks TLS to the backend only when told to (REENCRYPT). */
export const NGINX_BACKEND_HTTPS = { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS" } as const;


/** Metadata with natskube's annotations, then the resource's, then externalAccess.annotations (the user's word wins). */
function meta(m: Model, name: string, ours: Record<string, string>) {
  const base = objectMeta(m, name);
  const annotations = { ...ours, ...m.annotations, ...(m.spec.externalAccess.annotations ?? {}) };
  return { ...base, ...(Object.keys(annotations).length ? { annotations: sortKeys(annotations) } : {}) };
}

/** TCP 4222 on a cloud load balancer, selecting the NATS pods (TLS end to end when tls.enabled). */
export function loadBalancerService(m: Model): IService | undefined {
  const ea = m.spec.externalAccess;
  if (ea.type !== "LOADBALANCER") return undefined;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(m, m.names.external, ea.hostname ? { [EXTERNAL_DNS_HOSTNAME]: ea.hostname } : {}),
    spec: {
      type: "LoadBalancer",
      selector: m.selectorLabels,
      ports: [clientPort(m)],
      ...(ea.loadBalancerSourceRanges?.length ? { loadBalancerSourceRanges: ea.loadBalancerSourceRanges } : {}),
    },
  };
}

/** WebSocket for browsers: `/` on the hostname to the client Service's websocket port. */
export function websocketIngress(m: Model): IIngress | undefined {
  const ea = m.spec.externalAccess;
  if (ea.type !== "INGRESS" || !ea.hostname) return undefined;
  const ours = { ...NGINX_WEBSOCKET_ANNOTATIONS, ...controllerAnnotations(m).ingress };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: meta(m, m.names.ingress, ours),
    spec: {
      ...(ea.ingressClassName ? { ingressClassName: ea.ingressClassName } : {}),
      ...(ea.tlsSecretName ? { tls: [{ hosts: [ea.hostname], secretName: ea.tlsSecretName }] } : {}),
      rules: [
        {
          host: ea.hostname,
          http: {
            paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: m.names.client, port: { name: "websocket" } } } }],
          },
        },
      ],
    },
  };
}

export function externalAccess(m: Model): (IService | IIngress)[] {
  return [loadBalancerService(m), websocketIngress(m)].filter((o): o is IService | IIngress => o !== undefined);
}

/**
 * What natskube knows of the common Ingress controllers, found from `ingressClassName`: classes are named
 * after their controller by convention (nginx, nginx-internal, haproxy, contour, alb, traefik), and
 * nothing else in the manifest says which controller serves the Ingress. Sources: each controller's
 * annotation reference (docs/access.md lists them).
 */
export type IngressController = "nginx" | "haproxy" | "contour" | "alb" | "traefik" | "gce";

/** Substrings, most specific first: "nginx" is both ingress-nginx's and NGINX Inc.'s default class. */
const CLASS_HINTS: readonly [string, IngressController][] = [
  ["haproxy", "haproxy"],
  ["contour", "contour"],
  ["traefik", "traefik"],
  ["nginx", "nginx"],
  ["alb", "alb"],
  ["gce", "gce"],
];

export function ingressControllerOf(className: string | undefined): IngressController | undefined {
  const c = className?.toLowerCase();
  return c === undefined ? undefined : CLASS_HINTS.find(([hint]) => c.includes(hint))?.[1];
}

/**
 * Controllers natskube can tell to speak TLS to the WebSocket port (REENCRYPT) and that then accept the
 * server's certificate as it is (issued for Service names by a private CA, reached by pod IP): none of
 * these verifies backend certificates unless told to. Traefik does verify them by default, so it needs
 * a ServersTransport with the CA and a server name, which natskube does not render; GKE needs a
 * BackendConfig health check for an HTTPS backend. render/ingress-backend.ts holds the annotations.
 */
export const REENCRYPT_CONTROLLERS: readonly IngressController[] = ["nginx", "haproxy", "contour", "alb"];

export const canReencrypt = (c: IngressController | undefined): boolean => c !== undefined && REENCRYPT_CONTROLLERS.includes(c);

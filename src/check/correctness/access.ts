import { canReencrypt, ingressControllerOf, type IngressController } from "../../spec/ingress-controllers.js";
import { setButUnused, type RuleFinding, type ValidationRule } from "./rule.js";

export const externalAccessRules: ValidationRule = ({ resource, isSet }) => {
  const ea = resource.spec.externalAccess;
  const out: RuleFinding[] = [];
  const at = (k: string) => ["spec", "externalAccess", k];
  if (ea.type === "INGRESS" && !ea.hostname)
    out.push({
      code: "cross-field",
      path: at("hostname"),
      message: "externalAccess INGRESS needs a hostname: the Ingress routes by host",
      hint: "Set externalAccess.hostname, e.g. nats.example.com.",
    });
  if (ea.type === "NONE") {
    const keys = ["hostname", "annotations", "loadBalancerSourceRanges", "ingressClassName", "tlsSecretName", "tlsTermination"];
    out.push(...setButUnused(isSet, ["spec", "externalAccess"], keys, (k) => `externalAccess.${k} has no effect with type NONE`, "Set externalAccess.type to LOADBALANCER or INGRESS, or remove it.", "error"));
  }
  if (ea.type === "LOADBALANCER")
    for (const k of ["ingressClassName", "tlsSecretName", "tlsTermination"])
      if (isSet(at(k)))
        out.push({
          code: "cross-field",
          path: at(k),
          message: `externalAccess.${k} applies to INGRESS only`,
          hint: "Remove it, or set type: INGRESS.",
        });
  if (ea.type === "INGRESS" && isSet(at("loadBalancerSourceRanges")))
    out.push({
      code: "cross-field",
      path: at("loadBalancerSourceRanges"),
      message: "loadBalancerSourceRanges applies to LOADBALANCER only",
      hint: "Restrict sources with your Ingress controller's annotations instead.",
    });
  if (ea.type === "INGRESS" && ea.tlsTermination === "REENCRYPT" && !resource.spec.tls.enabled)
    out.push({
      code: "cross-field",
      path: at("tlsTermination"),
      message: "tlsTermination REENCRYPT needs tls.enabled: the server has no certificate for the WebSocket port",
      hint: "Set tls.enabled: true, or use tlsTermination: INGRESS.",
    });
  if (ea.type === "INGRESS" && resource.spec.tls.enabled) out.push(...reencryptFindings(ea.ingressClassName, ea.tlsTermination));
  return out;
};

/** The client Service's type: one load balancer per port, and a fixed node port only where Kubernetes allocates one. */
export const clientServiceRules: ValidationRule = ({ resource, isSet }) => {
  const svc = resource.spec.service;
  const out: RuleFinding[] = [];
  if (svc.type === "LoadBalancer" && resource.spec.externalAccess.type === "LOADBALANCER")
    out.push({
      code: "cross-field",
      path: ["spec", "service", "type"],
      message: "service.type LoadBalancer with externalAccess.type LOADBALANCER puts port 4222 behind two load balancers",
      hint: "Keep one: externalAccess LOADBALANCER (a separate public Service with hostname and source ranges), or service.type: LoadBalancer (the client Service itself, e.g. an internal load balancer).",
    });
  if (svc.type === "ClusterIP" && isSet(["spec", "service", "nodePort"]))
    out.push({
      code: "cross-field",
      path: ["spec", "service", "nodePort"],
      message: "service.nodePort has no effect with type ClusterIP",
      hint: "Set service.type: NodePort (or LoadBalancer), or remove nodePort.",
    });
  return out;
};

const WHY_NOT: Partial<Record<IngressController, string>> = {
  traefik: "Traefik verifies backend certificates by default, and the server's certificate names Services, not the pod IPs Traefik dials, under a private CA: it needs a ServersTransport (rootCAs, serverName) that natskube does not render",
  gce: "GKE's load balancer needs cloud.google.com/app-protocols and a BackendConfig health check for an HTTPS backend, which natskube does not render",
};

/**
 * REENCRYPT works only if the controller is told to speak TLS to the WebSocket port; natskube renders
 * that for the controllers in spec/ingress-controllers.ts. Chosen explicitly for another: a warning.
 * Left to the default: plain WebSocket behind the Ingress, said in an info line so nobody assumes
 * the hop to the pods is encrypted.
 */
function reencryptFindings(className: string | undefined, termination: "INGRESS" | "REENCRYPT" | undefined): RuleFinding[] {
  const controller = ingressControllerOf(className);
  if (canReencrypt(controller) || termination === "INGRESS") return [];
  const who = className === undefined ? "the cluster's default IngressClass (no ingressClassName)" : `ingressClassName ${className}`;
  const why = (controller && WHY_NOT[controller]) ?? `natskube knows how to tell nginx, haproxy, contour and alb classes to speak TLS to the pods, not ${who}`;
  if (termination === "REENCRYPT")
    return [
      {
        code: "cross-field",
        severity: "warning",
        path: ["spec", "externalAccess", "tlsTermination"],
        message: `tlsTermination REENCRYPT: ${why}; a controller that sends plain HTTP to the TLS-only WebSocket port fails every connection (400/502)`,
        hint: "Use tlsTermination: INGRESS (plain WebSocket behind the Ingress), set ingressClassName to your controller's class, or put its backend-TLS setting in externalAccess.annotations (docs/access.md).",
      },
    ];
  return [
    {
      code: "cross-field",
      severity: "info",
      path: ["spec", "externalAccess", className === undefined ? "type" : "ingressClassName"],
      message: `the WebSocket hop from the Ingress controller to the pods is plain (tlsTermination INGRESS): ${why}`,
      hint: "Set tlsTermination: INGRESS to say so, or an ingressClassName natskube can re-encrypt for (docs/access.md).",
    },
  ];
}

import type { RuleFinding, ValidationRule } from "./rule.js";

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
  if (ea.type === "NONE")
    for (const k of ["hostname", "annotations", "loadBalancerSourceRanges", "ingressClassName", "tlsSecretName", "tlsTermination"])
      if (isSet(at(k)))
        out.push({
          code: "cross-field",
          path: at(k),
          message: `externalAccess.${k} has no effect with type NONE`,
          hint: "Set externalAccess.type to LOADBALANCER or INGRESS, or remove it.",
        });
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
  return out;
};

import { defineRule } from "../risk-rule.js";

export const networkPolicyDisabled = defineRule({
  id: "network-policy-disabled",
  severity: "warning",
  strictOnly: true,
  path: ["spec", "networkPolicy", "enabled"],
  title: "No NetworkPolicy around the NATS pods",
  why:
    "Without a NetworkPolicy every pod in the Kubernetes cluster can reach the client port, the monitoring port (which " +
    "lists connections and subjects) and the route port. Auth and TLS protect the first; the policy limits who can try.",
  fix: "Set networkPolicy.enabled: true (and clientNamespaces to the namespaces of your clients).",
  examples: { fail: { spec: {} }, pass: { spec: { networkPolicy: { enabled: true } } } },
  check({ spec }) {
    if (spec.networkPolicy.enabled) return [];
    return [
      {
        message: "no NetworkPolicy: every pod in the Kubernetes cluster can reach the client, route and monitoring ports",
        fix: "Set networkPolicy.enabled: true.",
      },
    ];
  },
});

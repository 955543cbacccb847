import { bytes } from "../risk-facts.js";
import { defineRule } from "../risk-rule.js";

export const memoryNotGuaranteed = defineRule({
  id: "memory-not-guaranteed",
  severity: "warning",
  path: ["spec", "resources", "requests", "memory"],
  title: "Memory request below the memory limit (not Guaranteed QoS)",
  why:
    "A pod whose memory request is below its limit is scheduled for the request but may use up to the limit. Under node " +
    "memory pressure such pods are evicted or OOM-killed first, and a JetStream server recovering its streams needs " +
    "its memory exactly then. The NATS chart's maintainers recommend requests equal to limits.",
  fix: "Set resources.requests.memory equal to resources.limits.memory.",
  examples: {
    fail: { spec: { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "4Gi" } } } },
    pass: { spec: { resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "1", memory: "4Gi" } } } },
  },
  check({ spec }) {
    const req = spec.resources?.requests?.memory;
    const lim = spec.resources?.limits?.memory;
    const [a, b] = [bytes(req), bytes(lim)];
    if (a === undefined || b === undefined || a >= b) return [];
    return [
      {
        message: `the memory request ${req} is below the limit ${lim}: the node may not have the difference when the server needs it, and the pod is evicted before Guaranteed ones`,
        fix: `Set resources.requests.memory: ${lim}.`,
      },
    ];
  },
});

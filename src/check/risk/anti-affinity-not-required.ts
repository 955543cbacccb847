import { defineRule } from "../risk-rule.js";

function requiresAntiAffinity(affinity: Record<string, unknown>): boolean {
  const anti = affinity["podAntiAffinity"] as Record<string, unknown> | undefined;
  const required = anti?.["requiredDuringSchedulingIgnoredDuringExecution"];
  return Array.isArray(required) && required.length > 0;
}

export const antiAffinityNotRequired = defineRule({
  id: "anti-affinity-not-required",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "scheduling", "antiAffinity"],
  title: "Servers may share a Kubernetes node",
  why:
    "With preferred (soft) or no pod anti-affinity, the scheduler may put two NATS servers on one node. When that node " +
    "fails or is drained, a 3-server cluster loses two servers at once: the RAFT majority is gone and JetStream stops.",
  fix: "Set scheduling.antiAffinity: REQUIRED (needs at least as many schedulable nodes as servers).",
  examples: {
    fail: { spec: { replicas: 3, scheduling: { antiAffinity: "PREFERRED" } } },
    pass: { spec: { replicas: 3, scheduling: { antiAffinity: "REQUIRED" } } },
  },
  check({ spec }) {
    const s = spec.scheduling;
    if (spec.replicas < 2) return [];
    if (s.affinity) {
      if (requiresAntiAffinity(s.affinity)) return [];
      return [
        {
          path: ["spec", "scheduling", "affinity"],
          message: "the custom affinity has no required pod anti-affinity, so several servers may land on one node and fail together",
          fix: "Add podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution on kubernetes.io/hostname to scheduling.affinity, or remove it and set antiAffinity: REQUIRED.",
        },
      ];
    }
    if (s.antiAffinity === "REQUIRED") return [];
    return [
      {
        message: `antiAffinity ${s.antiAffinity} lets several of the ${spec.replicas} servers share a node; one node failure can then take the RAFT majority`,
        fix: "Set scheduling.antiAffinity: REQUIRED.",
      },
    ];
  },
});

import { defineRule } from "../risk-rule.js";

export const MIN_JETSTREAM_MEMORY = 2 * 2 ** 30;

export const jetstreamMemoryLimitTooLow = defineRule({
  id: "jetstream-memory-limit-too-low",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "resources", "limits", "memory"],
  title: "Memory limit below 2Gi for a JetStream FILE cluster",
  why:
    "A JetStream server keeps indexes, caches and RAFT state in memory besides the memory store, and needs most during " +
    "recovery, when it replays its streams after a restart. Servers below about 2-3Gi are OOM-killed during recovery and " +
    "crash-loop. The chart's maintainers suggest at least 8Gi for production JetStream.",
  fix: "Raise resources.limits.memory (and the request) to at least 2Gi; 8Gi for production load.",
  examples: {
    fail: { spec: { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } } },
    pass: { spec: { resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "1", memory: "4Gi" } } } },
  },
  check({ spec, model }) {
    if (!spec.jetstream.enabled || spec.jetstream.persistence.mode !== "FILE") return [];
    const lim = model.memoryLimit;
    if (lim === undefined || lim >= MIN_JETSTREAM_MEMORY) return [];
    return [
      {
        message: `the memory limit ${spec.resources?.limits?.memory} leaves too little room for a JetStream server replaying its file store after a restart: expect OOM kills during recovery`,
        fix: "Set resources.limits.memory (and requests.memory) to at least 2Gi.",
      },
    ];
  },
});

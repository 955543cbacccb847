import { roundedBytes } from "../../spec/quantity.js";
import { defineRule } from "../risk-rule.js";

export const memoryStoreExceedsLimit = defineRule({
  id: "memory-store-exceeds-limit",
  severity: "error",
  path: ["spec", "jetstream", "persistence", "size"],
  title: "JetStream memory store at or above the container memory limit",
  why:
    "max_memory_store is what JetStream may keep in memory streams; it does not bound the process. The server also needs " +
    "memory for connections, subscriptions, caches and RAFT. A memory store as large as the container limit lets JetStream " +
    "accept data the pod cannot hold: the kernel OOM-kills the server and, in MEMORY mode, the data is gone.",
  fix: "Keep persistence.size (MEMORY mode) well below resources.limits.memory, at most about half of it.",
  examples: {
    fail: {
      spec: {
        jetstream: { persistence: { mode: "MEMORY", size: "2Gi" } },
        resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } },
      },
    },
    pass: {
      spec: {
        jetstream: { persistence: { mode: "MEMORY", size: "1Gi" } },
        resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } },
      },
    },
  },
  check({ spec, model }) {
    const lim = model.memoryLimit;
    const store = model.jetstream.maxMemoryStore;
    if (!model.jetstream.enabled || lim === undefined || store < lim) return [];
    return [
      {
        message: `the JetStream memory store (${roundedBytes(store)}) is at or above the memory limit ${spec.resources?.limits?.memory}: the server is OOM-killed before JetStream refuses data`,
        fix: `Set jetstream.persistence.size to at most ${roundedBytes(Math.floor(lim / 2 / 2 ** 20) * 2 ** 20)}, or raise resources.limits.memory.`,
      },
    ];
  },
});

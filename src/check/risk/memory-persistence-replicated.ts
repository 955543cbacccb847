import { defineRule } from "../risk-rule.js";

export const memoryPersistenceReplicated = defineRule({
  id: "memory-persistence-replicated",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "jetstream", "persistence", "mode"],
  title: "A replicated cluster that keeps JetStream in memory only",
  why:
    "With MEMORY persistence, stream replicas on several servers survive the loss of one server, which makes the data " +
    "look durable. It is not: when every server restarts together (a node-pool upgrade, a cluster-wide power or network " +
    "event, a StatefulSet recreated) every stream, KV bucket and message is gone.",
  fix: "Use persistence.mode: FILE for data that must survive a full restart; keep MEMORY for staging or caches.",
  examples: {
    fail: { spec: { replicas: 3, jetstream: { persistence: { mode: "MEMORY" } } } },
    pass: { spec: { replicas: 3, jetstream: { persistence: { mode: "FILE", storageClass: "fast-ssd" } } } },
  },
  check({ spec }) {
    const js = spec.jetstream;
    if (!js.enabled || js.persistence.mode !== "MEMORY" || spec.replicas < 2) return [];
    return [
      {
        message: `JetStream keeps everything in memory on ${spec.replicas} servers: replicas survive one server, but every stream is lost when all servers restart together`,
        fix: "Set jetstream.persistence.mode: FILE (with a size and an SSD storageClass).",
      },
    ];
  },
});

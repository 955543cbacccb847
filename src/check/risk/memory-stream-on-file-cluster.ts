import { defineRule } from "../risk-rule.js";

export const memoryStreamOnFileCluster = defineRule({
  id: "memory-stream-on-file-cluster",
  severity: "warning",
  path: ["spec", "streams"],
  title: "A memory stream on a cluster that persists to disk",
  why:
    "On a FILE cluster a stream with storage: memory is the odd one out: it is lost when its servers restart, while " +
    "everything around it survives. It also competes for the small memory store (a quarter of the memory limit).",
  fix: "Use storage: file, or keep memory storage only for data you can rebuild.",
  examples: {
    fail: {
      spec: {
        resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "1", memory: "4Gi" } },
        streams: [{ name: "ORDERS", subjects: ["orders.>"], storage: "memory" }],
      },
    },
    pass: {
      spec: {
        resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "1", memory: "4Gi" } },
        streams: [{ name: "ORDERS", subjects: ["orders.>"], storage: "file" }],
      },
    },
  },
  check({ spec, model }) {
    if (!spec.jetstream.enabled || spec.jetstream.persistence.mode !== "FILE") return [];
    return model.assets.all
      .filter((a) => a.storage === "memory")
      .map((a) => ({
        path: [...a.path, "storage"],
        message: `${a.kind} "${a.name}" keeps its data in memory on a FILE cluster: it is lost when its servers restart`,
        fix: "Set its storage: file (or remove storage: the cluster's default is file).",
      }));
  },
});

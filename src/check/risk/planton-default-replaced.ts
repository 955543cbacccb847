import { defineRule } from "../risk-rule.js";

const PLANTON = { spec: { namespace: { value: "nats" }, serverContainer: { replicas: 3 }, nackController: { enabled: true, enableControlLoop: true } } };

export const plantonDefaultReplaced = defineRule({
  id: "planton-default-replaced",
  severity: "warning",
  path: ["spec", "streams"],
  title: "A Project Planton stream or consumer relies on a default natskube deliberately replaces",
  why:
    "Project Planton leaves a stream's storage and a consumer's ack policy to NACK's CRD defaults: memory storage, " +
    "so every message is gone when the servers restart, and ack policy none, so a message counts as handled when sent. " +
    "natskube renders file storage (memory on a MEMORY cluster) and explicit acks with a 30s ack wait instead. A " +
    "manifest moved from Planton then behaves differently: a consumer that never acks is redelivered every 30s.",
  fix: "Write the value you mean (storage: file or memory; ack_policy: explicit, all or none), so both tools render the same.",
  examples: {
    fail: { spec: { ...PLANTON.spec, streams: [{ name: "orders", subjects: ["orders.>"], replicas: 3, consumers: [{ durableName: "worker" }] }] } },
    pass: { spec: { ...PLANTON.spec, streams: [{ name: "orders", subjects: ["orders.>"], replicas: 3, storage: "file", consumers: [{ durableName: "worker", ackPolicy: "explicit" }] }] } },
  },
  check({ resource, model }) {
    if (!resource.planton.dialect) return [];
    return resource.spec.streams.flatMap((st, i) => {
      const asset = model.assets.streams[i];
      const storage = asset?.storage ?? "file";
      return [
        ...(st.storage === undefined
          ? [
              {
                path: ["spec", "streams", i],
                message: `stream ${st.name} has no storage: Project Planton deploys it in memory (NACK's default), natskube on ${storage}`,
                fix: `Write storage: ${storage} (natskube's choice) or memory (Planton's).`,
              },
            ]
          : []),
        ...st.consumers.flatMap((c, j) =>
          c.ackPolicy === undefined
            ? [
                {
                  path: ["spec", "streams", i, "consumers", j],
                  message: `consumer ${c.durableName} of stream ${st.name} has no ack policy: Project Planton deploys none (no acks), natskube explicit with a 30s ack wait`,
                  fix: "Write ack_policy: explicit (natskube's choice, for consumers that ack) or none (Planton's, fire and forget).",
                },
              ]
            : [],
        ),
      ];
    });
  },
});

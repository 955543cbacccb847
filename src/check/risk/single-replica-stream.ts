import { defineRule } from "../risk-rule.js";

export const singleReplicaStream = defineRule({
  id: "single-replica-stream",
  severity: "warning",
  path: ["spec", "streams"],
  title: "An R1 stream on a multi-server cluster",
  why:
    "A stream with one replica lives on one server: when that server restarts the stream is unavailable, and if its " +
    "volume is lost the data is gone, even though the cluster around it is replicated.",
  fix: "Use replicas: 3 (the default on clusters of 3 or more servers) for data you need to keep.",
  examples: {
    fail: { spec: { replicas: 3, streams: [{ name: "ORDERS", subjects: ["orders.>"], replicas: 1 }] } },
    pass: { spec: { replicas: 3, streams: [{ name: "ORDERS", subjects: ["orders.>"], replicas: 3 }] } },
  },
  check({ spec, model }) {
    if (spec.replicas < 2) return [];
    return model.assets.all
      .filter((a) => a.replicas === 1)
      .map((a) => ({
        path: [...a.path, a.replicasSet ? "replicas" : "name"],
        message: `${a.kind} "${a.name}" has 1 replica on a ${spec.replicas}-server cluster: it is unavailable whenever its server restarts, and lost with its volume`,
        fix: `Set its replicas to ${Math.min(3, spec.replicas)}.`,
      }));
  },
});

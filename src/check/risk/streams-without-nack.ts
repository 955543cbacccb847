import { defineRule } from "../risk-rule.js";

export const streamsWithoutNack = defineRule({
  id: "streams-without-nack",
  severity: "warning",
  path: ["spec", "nack", "enabled"],
  title: "Streams, KV buckets or object stores declared while NACK is disabled",
  why:
    "natskube turns streams, keyValues and objectStores into NACK custom resources; only a running NACK controller " +
    "creates them in NATS. With NACK disabled (and no controller installed separately), the manifest promises streams " +
    "that never exist, and publishers get \"no responders\" or lose messages.",
  fix: "Set nack.enabled: true, or add this rule id to natskube.dev/lint-ignore when a NACK controller already runs.",
  examples: {
    fail: { spec: { nack: { enabled: false }, streams: [{ name: "ORDERS", subjects: ["orders.>"] }] } },
    pass: { spec: { nack: { enabled: true }, streams: [{ name: "ORDERS", subjects: ["orders.>"] }] } },
  },
  check({ spec }) {
    if (spec.nack.enabled) return [];
    const kinds = (["streams", "keyValues", "objectStores"] as const).filter((k) => spec[k].length > 0);
    if (kinds.length === 0) return [];
    const count = kinds.reduce((n, k) => n + spec[k].length, 0);
    return [
      {
        path: ["spec", kinds[0]!],
        message: `${count} JetStream ${count === 1 ? "resource is" : "resources are"} declared (${kinds.join(", ")}) but NACK is disabled: nothing creates them in NATS`,
        fix: "Set nack.enabled: true (or ignore this rule if a NACK controller already runs in the cluster).",
      },
    ];
  },
});

import { defineRule } from "../risk-rule.js";

export const streamWithoutLimits = defineRule({
  id: "stream-without-limits",
  severity: "warning",
  strictOnly: true,
  path: ["spec", "streams"],
  title: "A stream that can grow without bound",
  why:
    "A stream with no maxBytes, maxAge or maxMsgs (a bucket with no maxBytes or ttl) keeps every message until the " +
    "JetStream store is full; then every stream on those servers stops accepting writes. A full disk is a common and " +
    "avoidable failure.",
  fix: "Set maxBytes (sized against the file store) or maxAge on every stream; maxBytes or ttl on buckets.",
  examples: {
    fail: { spec: { streams: [{ name: "ORDERS", subjects: ["orders.>"] }] } },
    pass: { spec: { streams: [{ name: "ORDERS", subjects: ["orders.>"], maxAge: "168h" }] } },
  },
  check({ model }) {
    return model.assets.all
      .filter((a) => !a.bounded)
      .map((a) => ({
        path: [...a.path, "name"],
        message: `${a.kind} "${a.name}" has no size, age or count limit: it grows until the JetStream store is full and every stream on those servers stops`,
        fix: a.kind === "stream" ? "Set maxBytes or maxAge (e.g. 168h)." : "Set maxBytes or ttl.",
      }));
  },
});

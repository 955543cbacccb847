import { defineRule } from "../risk-rule.js";

export const evenReplicas = defineRule({
  id: "even-replicas",
  severity: "error",
  path: ["spec", "replicas"],
  title: "An even number of NATS servers",
  why:
    "JetStream's RAFT groups need a majority of servers to elect a leader. An even count adds a server without adding " +
    "fault tolerance: 2 servers survive no failure (1 of 2 is no majority), 4 survive one failure, exactly like 3. " +
    "A network split into two equal halves leaves neither side with a majority, so JetStream stops on both.",
  fix: "Use an odd number of servers: 3, or 5 to survive two failures.",
  examples: { fail: { spec: { replicas: 4 } }, pass: { spec: { replicas: 3 } } },
  check({ spec }) {
    const n = spec.replicas;
    if (n % 2 === 1) return [];
    const tolerated = Math.floor((n - 1) / 2);
    return [
      {
        message: `${n} servers tolerate ${tolerated === 0 ? "no failure" : `${tolerated} failure${tolerated === 1 ? "" : "s"}`}, the same as ${n - 1}; RAFT needs a majority (${n / 2 + 1} of ${n}), and an even split leaves no side with one`,
        fix: `Set replicas to ${n - 1} or ${n + 1}.`,
      },
    ];
  },
});

import { productionIntent } from "../risk-facts.js";
import { defineRule } from "../risk-rule.js";

export const tooFewReplicas = defineRule({
  id: "too-few-replicas",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "replicas"],
  title: "1 or 2 servers on a cluster that auth or TLS marks as production",
  why:
    "With one server every restart (a node drain, an upgrade, an OOM kill) is an outage and JetStream keeps a single copy " +
    "of every message; with two, losing either server loses the RAFT majority. Scaling a live JetStream cluster from 1 to 3 " +
    "later is risky (\"group node missing\", inconsistent state), so production clusters start with 3.",
  fix: "Start with replicas: 3 (or 5). Keep 1 server for development only, without auth and TLS.",
  examples: {
    fail: { spec: { replicas: 1, auth: { enabled: true } } },
    pass: { spec: { replicas: 3, auth: { enabled: true } } },
  },
  check({ spec }) {
    if (spec.replicas > 2 || !productionIntent(spec)) return [];
    const intent = [spec.auth.enabled ? "auth" : "", spec.tls.enabled ? "TLS" : ""].filter(Boolean).join(" and ");
    const risk =
      spec.replicas === 1
        ? "a single server: every restart is an outage, JetStream keeps one copy of each message, and scaling a live cluster 1 -> 3 later is risky"
        : "two servers: losing either one loses the RAFT majority, so JetStream stops";
    return [
      {
        message: `${intent} mark this cluster for production, but it runs ${risk}`,
        fix: "Set replicas: 3 now, before the cluster holds data.",
      },
    ];
  },
});

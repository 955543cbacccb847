import { defineRule } from "../risk-rule.js";

export const missingResources = defineRule({
  id: "missing-resources",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "resources"],
  title: "No CPU or memory limits for the NATS servers",
  why:
    "Without limits a server is scheduled with no guaranteed memory and can grow until the node runs out: a server that " +
    "fell behind (after a network partition) catches up by replicating large amounts of data, gets OOM-killed and enters " +
    "a crash loop. natskube also derives GOMEMLIMIT and the JetStream memory store from the memory limit; without it the " +
    "Go runtime does not know its budget. (Requests default to the limits when only limits are set.)",
  fix: "Set resources.limits.cpu and resources.limits.memory, and equal requests (Guaranteed QoS).",
  examples: {
    fail: { spec: {} },
    pass: { spec: { resources: { requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "2", memory: "4Gi" } } } },
  },
  check({ spec }) {
    const r = spec.resources;
    const missing = (["cpu", "memory"] as const).filter((k) => r?.limits?.[k] === undefined);
    if (missing.length === 0) return [];
    if (!r || (!r.limits && !r.requests))
      return [
        {
          message: "the NATS container has no requests or limits: it runs as BestEffort (first to be evicted), without GOMEMLIMIT, and can be OOM-killed while catching up",
          fix: "Add resources: {requests: {cpu: \"2\", memory: 8Gi}, limits: {cpu: \"2\", memory: 8Gi}} (sized for your load).",
        },
      ];
    const what = missing.map((k) => `limits.${k}`).join(" and ");
    return [
      {
        path: r.limits ? ["spec", "resources", "limits"] : ["spec", "resources"],
        message: `resources has no ${what}: ${missing.includes("memory") ? "memory can grow until the node runs out and the OOM killer picks a server, and GOMEMLIMIT is not derived" : "the server can starve its neighbours of CPU, and Go sizes GOMAXPROCS from the whole node"}`,
        fix: `Set resources.${what.replace(" and ", " and resources.")}, equal to the requests.`,
      },
    ];
  },
});

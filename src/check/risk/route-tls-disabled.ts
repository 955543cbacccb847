import { defineRule } from "../risk-rule.js";

export const routeTlsDisabled = defineRule({
  id: "route-tls-disabled",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "tls", "routes"],
  title: "Client TLS on, route TLS off",
  why:
    "Routes (port 6222) carry every message published on the cluster and all JetStream replication. With client TLS on " +
    "but route TLS off, the data clients send encrypted is forwarded in cleartext between servers, and any pod that " +
    "reaches 6222 can join the cluster as a route and receive it.",
  fix: "Remove tls.routes: false (routes use the same certificate and are verified against its CA).",
  examples: {
    fail: { spec: { replicas: 3, tls: { enabled: true, routes: false } } },
    pass: { spec: { replicas: 3, tls: { enabled: true, routes: true } } },
  },
  check({ model }) {
    // The Model's answer to "do routes use TLS": TLS on, clustered, and routes not encrypted means tls.routes: false.
    if (!model.tls || model.tls.routes || !model.clustered) return [];
    return [
      {
        message: "clients use TLS but routes do not: every message is forwarded in cleartext between servers, and any pod reaching port 6222 can join as a route",
        fix: "Set tls.routes: true.",
      },
    ];
  },
});

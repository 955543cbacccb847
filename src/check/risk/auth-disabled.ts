import { defineRule } from "../risk-rule.js";

export const authDisabled = defineRule({
  id: "auth-disabled",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "auth", "enabled"],
  title: "Clients connect without authentication",
  why:
    "Without auth every pod that reaches port 4222 can publish and subscribe to every subject, read every stream and " +
    "delete streams through the JetStream API. The NATS default of no auth is meant for development only.",
  fix: "Set auth.enabled: true with mode TOKEN or BASIC (credentials come from a Secret).",
  examples: { fail: { spec: { auth: { enabled: false } } }, pass: { spec: { auth: { enabled: true, mode: "TOKEN" } } } },
  check({ spec }) {
    if (spec.auth.enabled) return [];
    return [
      {
        message: "authentication is disabled: any pod that reaches port 4222 can read, publish and delete streams",
        fix: "Set auth.enabled: true (mode TOKEN or BASIC); keep no-auth for development clusters only.",
      },
    ];
  },
});

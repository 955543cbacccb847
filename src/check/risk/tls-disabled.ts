import { defineRule } from "../risk-rule.js";

export const tlsDisabled = defineRule({
  id: "tls-disabled",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "tls", "enabled"],
  title: "Client and route traffic is not encrypted",
  why:
    "Without TLS, messages, tokens and passwords cross the network in cleartext, both between clients and servers (4222) " +
    "and between servers (6222, which carries every message and all JetStream replication). Anyone on the pod network " +
    "can read them, and routes accept any peer.",
  fix: "Set tls.enabled: true with a cert-manager issuer (tls.certManager.issuerRef) or an existing Secret (tls.secretName).",
  examples: {
    fail: { spec: { tls: { enabled: false } } },
    pass: { spec: { tls: { enabled: true, certManager: { issuerRef: { name: "ca-issuer", kind: "ClusterIssuer" } } } } },
  },
  check({ spec }) {
    if (spec.tls.enabled) return [];
    return [
      {
        message: "TLS is disabled: messages and credentials travel in cleartext between clients and servers and between servers",
        fix: "Set tls.enabled: true and tls.certManager.issuerRef (or tls.secretName).",
      },
    ];
  },
});

import { defineRule } from "../risk-rule.js";

export const ingressWithoutTls = defineRule({
  id: "ingress-without-tls",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "externalAccess", "tlsSecretName"],
  title: "An Ingress without a TLS certificate",
  why:
    "Without a tls section the Ingress serves WebSocket clients on plain ws://, so browser clients send their credentials " +
    "and messages in cleartext, and browsers block ws:// from https:// pages.",
  fix: "Set externalAccess.tlsSecretName (a certificate for the hostname, e.g. issued by cert-manager).",
  examples: {
    fail: { spec: { auth: { enabled: true }, externalAccess: { type: "INGRESS", hostname: "nats.example.com" } } },
    pass: { spec: { auth: { enabled: true }, externalAccess: { type: "INGRESS", hostname: "nats.example.com", tlsSecretName: "nats-ws-tls" } } },
  },
  check({ spec }) {
    const ea = spec.externalAccess;
    if (ea.type !== "INGRESS" || ea.tlsSecretName) return [];
    return [
      {
        message: `the Ingress for ${ea.hostname ?? "the cluster"} has no TLS certificate: WebSocket clients connect over cleartext ws://`,
        fix: "Set externalAccess.tlsSecretName to a Secret holding a certificate for the hostname.",
      },
    ];
  },
});

import { defineRule } from "../risk-rule.js";

export const exposedWithoutAuthOrTls = defineRule({
  id: "exposed-without-auth-or-tls",
  severity: "error",
  path: ["spec", "externalAccess", "type"],
  title: "A LoadBalancer or Ingress exposes a cluster without auth (or a LoadBalancer without TLS)",
  why:
    "externalAccess puts NATS outside the Kubernetes cluster, usually on the internet. Without auth anyone who finds the " +
    "address can read and publish every subject and delete streams; through a LoadBalancer without TLS, credentials and " +
    "messages cross the internet in cleartext.",
  fix: "Enable auth, and TLS for LOADBALANCER (an INGRESS needs externalAccess.tlsSecretName); or use externalAccess.type: NONE.",
  examples: {
    fail: { spec: { externalAccess: { type: "LOADBALANCER", hostname: "nats.example.com" } } },
    pass: {
      spec: {
        externalAccess: { type: "LOADBALANCER", hostname: "nats.example.com" },
        auth: { enabled: true },
        tls: { enabled: true, certManager: { issuerRef: { name: "ca-issuer", kind: "ClusterIssuer" } } },
      },
    },
  },
  check({ spec }) {
    const type = spec.externalAccess.type;
    if (type === "NONE") return [];
    const noAuth = !spec.auth.enabled;
    const noTls = type === "LOADBALANCER" && !spec.tls.enabled;
    if (!noAuth && !noTls) return [];
    const what = type === "LOADBALANCER" ? "a LoadBalancer (port 4222)" : "an Ingress (WebSocket)";
    const missing = [noAuth ? "authentication" : "", noTls ? "TLS" : ""].filter(Boolean).join(" or ");
    const steps = [noAuth ? "auth.enabled: true" : "", noTls ? "tls.enabled: true" : ""].filter(Boolean).join(" and ");
    return [
      {
        message: `the cluster is exposed through ${what} without ${missing}: ${
          noAuth ? "anyone who reaches the address can read, publish and delete streams" : "credentials and messages cross the network in cleartext"
        }`,
        fix: `Set ${steps}, or set externalAccess.type: NONE.`,
      },
    ];
  },
});

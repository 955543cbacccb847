import { defineRule } from "../risk-rule.js";

export const clientServiceExposed = defineRule({
  id: "client-service-exposed",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "service", "type"],
  title: "A NodePort or LoadBalancer client Service without auth or TLS",
  why:
    "service.type NodePort opens port 4222 on every node, LoadBalancer on a load balancer address: clients outside the " +
    "Kubernetes cluster reach NATS. Without auth anyone who reaches the port can read and publish every subject and delete " +
    "streams; without TLS, credentials and messages cross the network in cleartext. An internal load balancer narrows who " +
    "can reach it, which is why this is a warning and not an error.",
  fix: "Enable auth and TLS, or keep service.type: ClusterIP.",
  examples: {
    fail: { spec: { service: { type: "NodePort" } } },
    pass: {
      spec: {
        service: { type: "NodePort" },
        auth: { enabled: true },
        tls: { enabled: true, certManager: { issuerRef: { name: "ca-issuer", kind: "ClusterIssuer" } } },
      },
    },
  },
  check({ spec }) {
    const type = spec.service.type;
    if (type === "ClusterIP") return [];
    const noAuth = !spec.auth.enabled;
    const noTls = !spec.tls.enabled;
    if (!noAuth && !noTls) return [];
    const missing = [noAuth ? "authentication" : "", noTls ? "TLS" : ""].filter(Boolean).join(" or ");
    const steps = [noAuth ? "auth.enabled: true" : "", noTls ? "tls.enabled: true" : ""].filter(Boolean).join(" and ");
    return [
      {
        message: `the client Service is a ${type} without ${missing}: port 4222 is reachable from outside the cluster ${
          noAuth ? "by anyone, who can read, publish and delete streams" : "in cleartext"
        }`,
        fix: `Set ${steps}, or set service.type: ClusterIP.`,
      },
    ];
  },
});

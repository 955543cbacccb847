import { defineRule } from "../risk-rule.js";

export const monitoringDisabled = defineRule({
  id: "monitoring-disabled",
  severity: "warning",
  path: ["spec", "monitoring", "enabled"],
  title: "No metrics, alerts or dashboards",
  why:
    "Without the exporter and alerts, the failures that take a NATS cluster down arrive unannounced: a JetStream meta " +
    "leader lost (quorum), slow consumers, a file store filling up, a replica falling behind, connections near the limit.",
  fix: "Set monitoring.enabled: true (prometheus-nats-exporter sidecar, PodMonitor, alerts, Grafana dashboards).",
  examples: { fail: { spec: { monitoring: { enabled: false } } }, pass: { spec: { monitoring: { enabled: true } } } },
  check({ spec }) {
    if (spec.monitoring.enabled) return [];
    return [
      {
        message: "monitoring is disabled: quorum loss, slow consumers, a full file store or lagging replicas raise no alert",
        fix: "Set monitoring.enabled: true (needs the Prometheus Operator CRDs).",
      },
    ];
  },
});

import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { memo } from "../memo.js";
import type { DashboardFacts, MonitoringInput } from "./input.js";
import { jetStreamDashboard } from "./jetstream-dashboard.js";
import { serverDashboard } from "./server-dashboard.js";

/**
 * Grafana's dashboard sidecar (kiwigrid k8s-sidecar, as in kube-prometheus-stack
 * and the grafana chart) loads every ConfigMap carrying this label and writes
 * each data key to a file in one folder.
 */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/** ConfigMaps with the server dashboard and, with JetStream, the JetStream dashboard. */
export function dashboards(m: MonitoringInput): IConfigMap[] {
  const facts = dashboardFacts(m);
  const maps = [dashboardConfigMap(m, "server", serverText(facts))];
  if (m.jetstream) maps.push(dashboardConfigMap(m, "jetstream", jetStreamText(facts)));
  return maps;
}

/** All a dashboard reads: the dashboard functions are given exactly this object. */
function dashboardFacts(m: MonitoringInput): DashboardFacts {
  return { name: m.name, namespace: m.namespace, replicas: m.replicas, thresholds: { ...m.thresholds } };
}

/**
 * The facts as a memo key: every field of the object the dashboard functions receive, so one key names
 * one dashboard text. Non-finite numbers are spelled out (JSON would write each of them as null).
 */
function factsKey(facts: DashboardFacts): string {
  return JSON.stringify(facts, (_, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

/** A dashboard as the ConfigMap holds it. */
export const serverDashboardText = (facts: DashboardFacts) => `${JSON.stringify(serverDashboard(facts), null, 2)}\n`;
export const jetStreamDashboardText = (facts: DashboardFacts) => `${JSON.stringify(jetStreamDashboard(facts), null, 2)}\n`;

// A dashboard's text (20-30 KB of JSON) depends on a few facts of the cluster only: built once per facts
// and reused, it costs a render of the same cluster nothing. test/unit/monitoring.test.ts compares what
// the memo returns with a fresh build on varied facts.
const serverText = memo(32, factsKey, serverDashboardText);
const jetStreamText = memo(32, factsKey, jetStreamDashboardText);

function dashboardConfigMap(m: MonitoringInput, kind: string, text: string): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: `${m.name}-dashboard-${kind}`,
      namespace: m.namespace,
      labels: { ...m.labels, ...GRAFANA_DASHBOARD_LABEL },
    },
    // The sidecar writes all keys into one folder, so a key shared by two clusters would overwrite the other's file.
    data: { [`${m.namespace}-${m.name}-nats-${kind}.json`]: text },
  };
}

import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { MonitoringInput } from "./input.js";
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
  const maps = [dashboardConfigMap(m, "server", serverDashboard(m))];
  if (m.jetstream) maps.push(dashboardConfigMap(m, "jetstream", jetStreamDashboard(m)));
  return maps;
}

function dashboardConfigMap(m: MonitoringInput, kind: string, json: Record<string, unknown>): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: `${m.name}-dashboard-${kind}`,
      namespace: m.namespace,
      labels: { ...m.labels, ...GRAFANA_DASHBOARD_LABEL },
    },
    // The sidecar writes all keys into one folder, so a key shared by two clusters would overwrite the other's file.
    data: { [`${m.namespace}-${m.name}-nats-${kind}.json`]: `${JSON.stringify(json, null, 2)}\n` },
  };
}

import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IService } from "kubernetes-models/v1/Service";
import { PORTS, type Model } from "../../model/model.js";
import { objectMeta } from "../object.js";
import { METRICS_PORT_NAME } from "../pod/exporter-container.js";

/** Labels a Prometheus' podMonitorSelector/serviceMonitorSelector matches on: ours plus monitoring.labels. */
function monitorLabels(m: Model): Record<string, string> {
  return { ...m.labels, ...(m.spec.monitoring.labels ?? {}) };
}

function endpoint(m: Model): { port: string; path: string; interval?: string } {
  const interval = m.spec.monitoring.interval;
  return { port: METRICS_PORT_NAME, path: "/metrics", ...(interval ? { interval } : {}) };
}

/** Scrapes each NATS pod's exporter port directly; Prometheus adds the `namespace` and `pod` labels the alerts group by. */
export function podMonitor(m: Model): IPodMonitor {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: objectMeta(m, m.name, monitorLabels(m)),
    spec: { selector: { matchLabels: m.selectorLabels }, podMetricsEndpoints: [endpoint(m)] },
  };
}

/**
 * The exporter ports behind one Service, for a Prometheus that only selects ServiceMonitors. Its own
 * component label keeps the ServiceMonitor from also selecting the client and headless Services.
 */
export function metricsService(m: Model): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: objectMeta(m, m.names.metrics, m.componentLabels("metrics").labels),
    spec: {
      selector: m.selectorLabels,
      ports: [{ name: METRICS_PORT_NAME, port: PORTS.metrics, targetPort: METRICS_PORT_NAME, appProtocol: "http" }],
    },
  };
}

export function serviceMonitor(m: Model): IServiceMonitor {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: objectMeta(m, m.name, monitorLabels(m)),
    spec: { selector: { matchLabels: m.componentLabels("metrics").selector }, endpoints: [endpoint(m)] },
  };
}

/** PodMonitor (default), or the metrics Service plus a ServiceMonitor. */
export function scrapeObjects(m: Model): (IService | IPodMonitor | IServiceMonitor)[] {
  if (!m.spec.monitoring.enabled) return [];
  return m.spec.monitoring.scrape === "SERVICEMONITOR" ? [metricsService(m), serviceMonitor(m)] : [podMonitor(m)];
}

/** The metrics Service's URL; only SERVICEMONITOR creates one (a PodMonitor has no single endpoint to name). */
export function metricsServiceUrl(m: Model): string | undefined {
  const mon = m.spec.monitoring;
  if (!mon.enabled || mon.scrape !== "SERVICEMONITOR") return undefined;
  return `http://${m.names.metrics}.${m.namespace}.svc.${m.spec.clusterDomain}:${PORTS.metrics}/metrics`;
}

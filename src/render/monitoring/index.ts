import type { Model } from "../../model/model.js";
import type { KubeObject } from "../object.js";
import { dashboards } from "./dashboards.js";
import type { MonitoringInput } from "./input.js";
import { prometheusRule } from "./prometheus-rule.js";
import { scrapeObjects } from "./scrape.js";

/** The alert window for slow consumers; not a spec field, the rule and dashboards share it. */
export const SLOW_CONSUMERS_WINDOW = "5m";

/** What the rule and dashboard renderers read, taken from the model. */
export function monitoringInput(m: Model): MonitoringInput {
  const mon = m.spec.monitoring;
  return {
    name: m.name,
    namespace: m.namespace,
    labels: m.labels,
    selectorLabels: m.selectorLabels,
    jetstream: m.jetstream.enabled,
    replicas: m.replicas,
    thresholds: {
      connectionsRatio: mon.alerts.connectionsRatio,
      storageRatio: mon.alerts.storageRatio,
      streamLagMessages: mon.alerts.streamLagMessages,
      slowConsumersWindow: SLOW_CONSUMERS_WINDOW,
    },
    ruleLabels: mon.labels ?? {},
  };
}

/** Scrape config, then the PrometheusRule (alerts.enabled), then the Grafana dashboards (dashboards). */
export function monitoringObjects(m: Model): KubeObject[] {
  const mon = m.spec.monitoring;
  if (!mon.enabled) return [];
  const input = monitoringInput(m);
  const out: unknown[] = [...scrapeObjects(m)];
  if (mon.alerts.enabled) out.push(prometheusRule(input));
  if (mon.dashboards) out.push(...dashboards(input));
  return out as KubeObject[];
}

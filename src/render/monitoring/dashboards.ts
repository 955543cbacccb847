import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { memo } from "../memo.js";
import type { DashboardFacts, MonitoringInput } from "./input.js";
import { dashboardUid } from "./grafana.js";
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

// A fleet renders many clusters whose dashboards differ only by name and namespace. Where both are DNS
// labels, every escaping they go through (PromQL strings, pod regexes, JSON) leaves them as they are, so
// the text is the one built for stand-in names with the names put in, and the uid (a hash of both)
// replaced: one build per replicas and thresholds instead of one per cluster. test/unit/monitoring.test.ts
// compares it with a fresh build.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// Upper case, so no DNS label and no text of the dashboards contains them; none is the start of another.
const NAME = "NATSKUBEXNAMEX";
const NAMESPACE = "NATSKUBEXNAMESPACEX";
const UID = "NATSKUBEXUIDX";
const HOLES = /(NATSKUBEXNAMEX|NATSKUBEXNAMESPACEX|NATSKUBEXUIDX)/;

/**
 * The stand-in text cut at its holes (odd indexes name them), once per facts: a cluster's text is then one
 * pass that puts its names in, rather than a replace of the uid and a replaceAll of each name over the
 * whole 20-30 KB. Undefined when the stand-in uid is not in the text (written some other way).
 */
function cut(text: string, standInUid: string): string[] | undefined {
  if (!text.includes(standInUid) || text.includes(UID)) return undefined;
  return text.replace(standInUid, UID).split(HOLES);
}

function withNames(kind: string, build: (facts: DashboardFacts) => string): (facts: DashboardFacts) => string {
  const uid = (namespace: string, name: string) => `"uid": "${dashboardUid(kind, namespace, name)}"`;
  const template = memo(8, factsKey, (facts: DashboardFacts) => cut(build(facts), uid(NAMESPACE, NAME)) ?? null);
  return (facts) => {
    if (!DNS_LABEL.test(facts.name) || !DNS_LABEL.test(facts.namespace)) return build(facts);
    const parts = template({ ...facts, name: NAME, namespace: NAMESPACE });
    if (!parts) return build(facts); // the uid is written some other way: build it
    const fill: Record<string, string> = { [NAME]: facts.name, [NAMESPACE]: facts.namespace, [UID]: uid(facts.namespace, facts.name) };
    let text = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) text += fill[parts[i]!]! + parts[i + 1]!;
    return text;
  };
}

// A dashboard's text (20-30 KB of JSON) depends on a few facts of the cluster only: built once per facts
// and reused, it costs a render of the same cluster nothing. test/unit/monitoring.test.ts compares what
// the memo returns with a fresh build on varied facts.
const serverText = memo(32, factsKey, withNames("server", serverDashboardText));
const jetStreamText = memo(32, factsKey, withNames("jetstream", jetStreamDashboardText));

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

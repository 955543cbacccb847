import type { DashboardFacts } from "./input.js";
import { dashboard, dashboardUid, stat, series, type PanelSpec } from "./grafana.js";
import { podRegex, promString } from "./promql.js";

/**
 * The NATS server dashboard: one cluster, filterable by pod. Reads varz
 * metrics, which every server exports whether or not JetStream is on, and
 * connz for the servers that answer.
 * in/out counters and slow_consumers are cumulative (typed gauge by the
 * exporter), so they are shown through rate()/increase().
 */
export function serverDashboard(m: DashboardFacts): Record<string, unknown> {
  const s = (metric: string) => `${metric}{namespace=${promString(m.namespace)}, pod=~"$pod"}`;
  const rate = (metric: string) => `rate(${s(metric)}[$__rate_interval])`;
  const window = m.thresholds.slowConsumersWindow;
  const perPod = (metric: string, legend = "{{pod}}") => ({ expr: `max by (pod) (${s(metric)})`, legend });

  const panels: PanelSpec[] = [
    // Not a varz metric: while its server is down, the exporter keeps serving the last varz values, but drops connz.
    stat("Servers reporting", `Servers the exporter reached at the last scrape; the StatefulSet runs ${m.replicas}.`, `count(${s("nats_connz_total")})`),
    stat("Client connections", "Current client connections, all servers.", `sum(${s("nats_varz_connections")})`),
    {
      type: "gauge", title: "Connection usage (busiest server)", unit: "percentunit", w: 4, h: 4,
      description: `Connections / max_connections on the busiest server. NatsConnectionsNearLimit fires above ${m.thresholds.connectionsRatio}.`,
      queries: [{ expr: `max(${s("nats_varz_connections")} / ${s("nats_varz_max_connections")})`, legend: "" }],
      thresholds: { yellow: m.thresholds.connectionsRatio, red: 1 },
    },
    {
      ...stat(`Slow consumers (${window})`, `Slow consumer events in the last ${window}, all servers. NatsSlowConsumers fires above 0.`,
        `sum(increase(${s("nats_varz_slow_consumers")}[${window}]))`),
      thresholds: { red: 1 },
    },
    stat("Subscriptions", "Subscriptions, all servers.", `sum(${s("nats_varz_subscriptions")})`),
    {
      ...stat("Uptime (youngest server)", "Time since the most recently started server started.",
        `min(time() - ${s("nats_varz_start")} / 1000)`),
      unit: "s",
    },
    series("Client connections vs max_connections", "Per server: current client connections and the configured limit.", "short", [
      perPod("nats_varz_connections"),
      perPod("nats_varz_max_connections", "{{pod}} max"),
    ]),
    series("Messages per second", "Messages received from and sent to all connections (clients and routes).", "short", [
      { expr: `sum by (pod) (${rate("nats_varz_in_msgs")})`, legend: "{{pod}} in" },
      { expr: `sum by (pod) (${rate("nats_varz_out_msgs")})`, legend: "{{pod}} out" },
    ]),
    series("Bytes per second", "Bytes received from and sent to all connections (clients and routes).", "Bps", [
      { expr: `sum by (pod) (${rate("nats_varz_in_bytes")})`, legend: "{{pod}} in" },
      { expr: `sum by (pod) (${rate("nats_varz_out_bytes")})`, legend: "{{pod}} out" },
    ]),
    series(`Slow consumers (increase over ${window})`, "All slow consumers, and those that were cluster routes (CPU or network trouble between pods).", "short", [
      { expr: `sum by (pod) (increase(${s("nats_varz_slow_consumers")}[${window}]))`, legend: "{{pod}} all" },
      { expr: `sum by (pod) (increase(${s("nats_varz_slow_consumer_stats_routes")}[${window}]))`, legend: "{{pod}} routes" },
    ]),
    series("Subscriptions per server", "Subscriptions registered on each server.", "short", [perPod("nats_varz_subscriptions")]),
    series("Routes per server", `Route connections to the other servers: at least ${Math.max(m.replicas - 1, 0)} (more with route pooling).`, "short", [
      perPod("nats_varz_routes"),
    ]),
    series("CPU", "Server process CPU, percent of one core (100 = one full core).", "percent", [perPod("nats_varz_cpu")]),
    series("Memory (RSS)", "Server process resident memory.", "bytes", [perPod("nats_varz_mem")]),
  ];

  return dashboard({
    uid: dashboardUid("server", m.namespace, m.name),
    title: `NATS server: ${m.namespace}/${m.name}`,
    description: `NATS servers of the KubernetesNats ${m.namespace}/${m.name} (prometheus-nats-exporter varz metrics). Rendered by natskube.`,
    tags: ["nats", "natskube"],
    variables: [{
      name: "pod",
      label: "Pod",
      query: `label_values(nats_varz_connections{namespace=${promString(m.namespace)}, pod=~${promString(podRegex(m.name))}}, pod)`,
      allValue: promString(podRegex(m.name)).slice(1, -1),
    }],
    panels,
  });
}

import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { MonitoringInput } from "./input.js";
import { scoped } from "./promql.js";

/** A rule group and a rule of the PrometheusRule CRD (taken from its type: @kubernetes-models/prometheus-operator 4.x, the last release for Node 20, has no module of their own). */
export type IRuleGroup = NonNullable<IPrometheusRule["spec"]["groups"]>[number];
export type IRule = NonNullable<IRuleGroup["rules"]>[number];

/**
 * Alerts for the guide's five "key metrics", written against the names
 * prometheus-nats-exporter really emits with `-prefix=nats` (none of the
 * guide's names exists; see docs/monitoring.md and
 * shared/anchors/EXPORTER-METRICS.md).
 */

/** Every exporter metric the rules read (alerts and guide-name recordings). */
export const ALERT_METRICS: readonly string[] = [
  "nats_server_jetstream_disabled",
  "nats_stream_last_seq",
  "nats_varz_connections",
  "nats_varz_jetstream_config_max_storage",
  "nats_varz_jetstream_stats_storage",
  "nats_varz_max_connections",
  "nats_varz_slow_consumers",
];

/** Alert names, server alerts first, then JetStream ones (only with JetStream). */
export const SERVER_ALERTS = ["NatsConnectionsNearLimit", "NatsSlowConsumers"] as const;
export const JETSTREAM_ALERTS = [
  "NatsJetStreamStorageNearLimit",
  "NatsJetStreamMetaLeaderNotOne",
  "NatsJetStreamStreamReplicaLag",
  "NatsJetStreamStreamReplicaMissing",
] as const;

/**
 * The guide's metric names, recorded from the real ones so its queries work
 * (`sum(nats_jetstream_meta_cluster_leader) != 1`). Series keep only
 * `namespace` and `pod` (plus the stream labels), because `server_id` changes
 * on every restart.
 */
export const GUIDE_RECORDINGS = {
  server: ["nats_server_total_connections", "nats_server_slow_consumers"],
  jetstream: ["nats_jetstream_storage_bytes", "nats_jetstream_meta_cluster_leader", "nats_jetstream_stream_replicas_lag"],
} as const;

/**
 * A healthy replica is at most a scrape interval behind the stream leader, yet
 * pods are scraped at different moments, so a busy stream shows a large
 * `last_seq` spread between healthy replicas. Comparing the slowest replica
 * now with the most advanced one this long ago (longer than the scrape
 * interval) cancels that skew.
 */
export const REPLICA_LAG_LOOKBACK = "1m";
/** The replica count is not exported; a stream's own recent maximum stands in for it. */
export const REPLICA_HISTORY = "1h";

const STREAM = "namespace, account, stream_name";
const POD = "namespace, pod";

export function prometheusRule(m: MonitoringInput): IPrometheusRule {
  const groups: IRuleGroup[] = [{ name: `${m.name}.nats-server`, rules: serverAlerts(m) }];
  if (m.jetstream) groups.push({ name: `${m.name}.nats-jetstream`, rules: jetStreamAlerts(m) });
  groups.push({ name: `${m.name}.nats-guide-metric-names`, rules: guideRecordings(m) });
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: `${m.name}-alerts`,
      namespace: m.namespace,
      labels: { ...m.labels, ...m.ruleLabels },
    },
    spec: { groups },
  };
}

function serverAlerts(m: MonitoringInput): IRule[] {
  const { connectionsRatio, slowConsumersWindow: window } = m.thresholds;
  return [
    alert(m, {
      alert: "NatsConnectionsNearLimit",
      expr: `max by (${POD}) (${scoped("nats_varz_connections", m)}) / max by (${POD}) (${scoped("nats_varz_max_connections", m)}) > ${connectionsRatio}`,
      for: "5m",
      severity: "warning",
      summary: "NATS {{ $labels.pod }} uses {{ $value | humanizePercentage }} of max_connections",
      description:
        `Client connections on ${m.namespace}/{{ $labels.pod }} have been above ${percent(connectionsRatio)} of max_connections for 5m; ` +
        "at 100% the server refuses new clients. " +
        "Runbook: list the clients (`nats server report connections`, or /connz?sort=start on port 8222), " +
        "look for a client that reconnects without closing its old connections, then raise max_connections or add replicas.",
    }),
    alert(m, {
      alert: "NatsSlowConsumers",
      // The exporter exports a cumulative count as a gauge; a bare `> 0` would stay on until the pod restarts.
      expr: `sum by (${POD}) (increase(${scoped("nats_varz_slow_consumers", m)}[${window}])) > 0`,
      for: "1m",
      severity: "critical",
      summary: "NATS {{ $labels.pod }} saw slow consumers in the last " + window,
      description:
        `${m.namespace}/{{ $labels.pod }} flagged about {{ $value | humanize }} slow consumer(s) in the last ${window}: ` +
        "it dropped messages for, or disconnected, a connection that did not read fast enough. " +
        "Runbook: nats_varz_slow_consumer_stats_{clients,routes,leafs} tell clients from cluster routes; " +
        "find the client with /connz?sort=pending_bytes or `nats server report connections --sort pending`, " +
        "then speed it up (more queue-group members, less work per message). Slow routes point at CPU or network trouble between pods.",
    }),
  ];
}

function jetStreamAlerts(m: MonitoringInput): IRule[] {
  const { storageRatio, streamLagMessages } = m.thresholds;
  const cluster = `${m.namespace}/${m.name}`;
  const replicas = `count by (${STREAM}) (${scoped("nats_stream_last_seq", m)})`;
  return [
    alert(m, {
      alert: "NatsJetStreamStorageNearLimit",
      // `> 0` skips servers without a file store limit instead of dividing by zero.
      expr: `max by (${POD}) (${scoped("nats_varz_jetstream_stats_storage", m)}) / max by (${POD}) (${scoped("nats_varz_jetstream_config_max_storage", m)} > 0) > ${storageRatio}`,
      for: "10m",
      severity: "warning",
      summary: "JetStream file storage on {{ $labels.pod }} is at {{ $value | humanizePercentage }} of its limit",
      description:
        `JetStream on ${m.namespace}/{{ $labels.pod }} has used more than ${percent(storageRatio)} of max_file_store for 10m; ` +
        "when it is full, publishes to file streams fail with 'insufficient resources'. " +
        "Runbook: find the largest streams (`nats stream report`), tighten their max_bytes/max_age or purge them, " +
        "or grow the PVC and jetstream.fileStore size together.",
    }),
    alert(m, {
      alert: "NatsJetStreamMetaLeaderNotOne",
      // Only the leader reports is_meta_leader="true". Not nats_varz_jetstream_meta_leader: it keeps a stale series after quorum loss.
      expr: `(count(${scoped("nats_server_jetstream_disabled", m, 'is_meta_leader="true"')}) or vector(0)) != 1`,
      for: "1m",
      severity: "critical",
      summary: `JetStream in ${cluster} has {{ $value }} meta leaders instead of 1`,
      description:
        `{{ $value }} JetStream servers in ${cluster} report being the meta leader. ` +
        "0 means the meta group lost quorum or every server is down: streams and consumers cannot be created, changed or deleted, and /healthz fails. " +
        "More than 1 means a split brain. " +
        "Runbook: check that the pods are Running and Ready, read their logs for RAFT/'no metadata leader' messages, " +
        "check the routes (nats_varz_routes, NetworkPolicy on port 6222), and bring missing servers back with their PVCs; never delete a PVC to recover.",
    }),
    alert(m, {
      alert: "NatsJetStreamStreamReplicaLag",
      expr:
        `max by (${STREAM}) (${scoped("nats_stream_last_seq", m)} offset ${REPLICA_LAG_LOOKBACK}) - ` +
        `min by (${STREAM}) (${scoped("nats_stream_last_seq", m)}) > ${streamLagMessages}`,
      for: "5m",
      severity: "warning",
      summary: "A replica of stream {{ $labels.account }}/{{ $labels.stream_name }} is {{ $value | humanize }} messages behind",
      description:
        `In ${cluster}, the slowest replica of {{ $labels.account }}/{{ $labels.stream_name }} has been more than ${streamLagMessages} messages ` +
        `behind where the most advanced replica was ${REPLICA_LAG_LOOKBACK} earlier, for 5m (the exporter has no replica-lag metric; this compares each replica's local last_seq). ` +
        "Runbook: `nats stream info` shows each replica's lag and whether it is current; check the lagging pod's CPU, disk latency and restarts. " +
        "A replica that never catches up can be rebuilt with `nats stream cluster peer-remove`.",
    }),
    alert(m, {
      alert: "NatsJetStreamStreamReplicaMissing",
      // A replica on a down pod has no series, so the lag alert cannot see it; count the replicas instead.
      expr: `${replicas} < max_over_time(${replicas}[${REPLICA_HISTORY}:1m])`,
      for: "10m",
      severity: "warning",
      summary: "Stream {{ $labels.account }}/{{ $labels.stream_name }} has {{ $value }} replicas reporting, fewer than in the last " + REPLICA_HISTORY,
      description:
        `In ${cluster}, fewer servers report stream {{ $labels.account }}/{{ $labels.stream_name }} than during the last ${REPLICA_HISTORY}: ` +
        "a pod is down or a server lost its copy of the stream. After a deliberate scale-down of the stream's replicas this clears within " + REPLICA_HISTORY + ". " +
        "Runbook: see which pod stopped reporting it (nats_stream_last_seq by pod), check that pod, then `nats stream info`; " +
        "for 'group node missing' errors, peer-remove the missing replica so a new one is placed.",
    }),
  ];
}

function guideRecordings(m: MonitoringInput): IRule[] {
  const rules: IRule[] = [
    { record: "nats_server_total_connections", expr: `max by (${POD}) (${scoped("nats_varz_connections", m)})` },
    { record: "nats_server_slow_consumers", expr: `max by (${POD}) (${scoped("nats_varz_slow_consumers", m)})` },
  ];
  if (!m.jetstream) return rules;
  const leader = (value: string) => scoped("nats_server_jetstream_disabled", m, `is_meta_leader="${value}"`);
  return rules.concat([
    { record: "nats_jetstream_storage_bytes", expr: `max by (${POD}) (${scoped("nats_varz_jetstream_stats_storage", m)})` },
    {
      record: "nats_jetstream_meta_cluster_leader",
      expr: `max by (${POD}) (${leader("true")} * 0 + 1) or max by (${POD}) (${leader("false")} * 0)`,
    },
    {
      record: "nats_jetstream_stream_replicas_lag",
      expr: `clamp_min(max by (${STREAM}) (${scoped("nats_stream_last_seq", m)} offset ${REPLICA_LAG_LOOKBACK}) - min by (${STREAM}) (${scoped("nats_stream_last_seq", m)}), 0)`,
    },
  ]);
}

interface AlertSpec {
  alert: string;
  expr: string;
  for: string;
  severity: "warning" | "critical";
  summary: string;
  description: string;
}

function alert(m: MonitoringInput, a: AlertSpec): IRule {
  return {
    alert: a.alert,
    expr: a.expr,
    for: a.for,
    // Static labels, because some expressions aggregate `namespace` away.
    labels: { severity: a.severity, namespace: m.namespace, nats_cluster: m.name },
    annotations: { summary: a.summary, description: a.description },
  };
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(2))}%`;
}

import type { DashboardFacts } from "./input.js";
import { dashboard, dashboardUid, series, stat, type PanelSpec } from "./grafana.js";
import { REPLICA_LAG_LOOKBACK } from "./prometheus-rule.js";
import { scopeMatchers, scoped } from "./promql.js";

/**
 * The JetStream dashboard. Every replica exports its streams and consumers,
 * so an R3 stream has three series; per-stream and per-consumer figures come
 * from the leader's series only (`is_stream_leader="true"`,
 * `is_consumer_leader="true"`), with max rather than sum so a leader change
 * inside one scrape never double counts.
 */
export function jetStreamDashboard(m: DashboardFacts): Record<string, unknown> {
  const s = (metric: string, ...extra: string[]) => scoped(metric, m, ...extra);
  const stream = 'stream_name=~"$stream"';
  const streamLeader = (metric: string) => `max by (account, stream_name) (${s(metric, 'is_stream_leader="true"', stream)})`;
  const consumerLeader = (metric: string) =>
    `max by (account, stream_name, consumer_name) (${s(metric, 'is_consumer_leader="true"', stream)})`;
  const perPod = (metric: string, legend: string) => ({ expr: `max by (pod) (${s(metric)})`, legend });
  const byStream = "{{account}}/{{stream_name}}";
  const byConsumer = "{{account}}/{{stream_name}}/{{consumer_name}}";
  const metaLeader = s("nats_server_jetstream_disabled", 'is_meta_leader="true"');
  const ratio = (used: string, limit: string) => `max(${s(used)} / (${s(limit)} > 0))`;

  const panels: PanelSpec[] = [
    { ...stat("Meta leader", "The server that leads the JetStream meta group.", `max by (server_name) (${metaLeader})`, "{{server_name}}"), showName: true },
    stat("Meta leaders (expect 1)", "Servers reporting themselves meta leader. NatsJetStreamMetaLeaderNotOne fires when this is not 1.", `count(${metaLeader}) or vector(0)`),
    stat("Streams", "Streams in this cluster, counted once each (leader series).", `count(${s("nats_stream_last_seq", 'is_stream_leader="true"')})`),
    stat("Consumers", "Consumers in this cluster, counted once each (leader series).", `count(${s("nats_consumer_num_pending", 'is_consumer_leader="true"')})`),
    {
      type: "gauge", title: "File storage usage (fullest server)", unit: "percentunit", w: 4, h: 4,
      description: `JetStream file storage / max_file_store on the fullest server. NatsJetStreamStorageNearLimit fires above ${m.thresholds.storageRatio}.`,
      queries: [{ expr: ratio("nats_varz_jetstream_stats_storage", "nats_varz_jetstream_config_max_storage"), legend: "" }],
      thresholds: { yellow: m.thresholds.storageRatio, red: 1 },
    },
    {
      type: "gauge", title: "Memory storage usage (fullest server)", unit: "percentunit", w: 4, h: 4,
      description: "JetStream memory storage / max_memory_store on the fullest server.",
      queries: [{ expr: ratio("nats_varz_jetstream_stats_memory", "nats_varz_jetstream_config_max_memory"), legend: "" }],
      thresholds: { yellow: m.thresholds.storageRatio, red: 1 },
    },
    series("File storage used vs limit", "Per server: JetStream file store bytes and max_file_store.", "bytes", [
      perPod("nats_varz_jetstream_stats_storage", "{{pod}} used"),
      perPod("nats_varz_jetstream_config_max_storage", "{{pod}} limit"),
    ]),
    series("Memory storage used vs limit", "Per server: JetStream memory store bytes and max_memory_store.", "bytes", [
      perPod("nats_varz_jetstream_stats_memory", "{{pod}} used"),
      perPod("nats_varz_jetstream_config_max_memory", "{{pod}} limit"),
    ]),
    series("Messages per stream", "Messages stored, from the stream leader.", "short", [{ expr: streamLeader("nats_stream_total_messages"), legend: byStream }]),
    series("Bytes per stream", "Bytes stored, from the stream leader.", "bytes", [{ expr: streamLeader("nats_stream_total_bytes"), legend: byStream }]),
    series("Messages stored per second", "Rate of the leader's last sequence: messages accepted per second.", "short", [
      { expr: `max by (account, stream_name) (rate(${s("nats_stream_last_seq", 'is_stream_leader="true"', stream)}[$__rate_interval]))`, legend: byStream },
    ]),
    series("Consumer pending", "Messages not yet delivered, from the consumer leader.", "short", [
      { expr: consumerLeader("nats_consumer_num_pending"), legend: byConsumer },
    ]),
    series("Consumer ack pending", "Messages delivered but not yet acknowledged, from the consumer leader.", "short", [
      { expr: consumerLeader("nats_consumer_num_ack_pending"), legend: byConsumer },
    ]),
    series("Replica lag (messages)",
      `How far the slowest replica is behind where the most advanced one was ${REPLICA_LAG_LOOKBACK} earlier. NatsJetStreamStreamReplicaLag fires above ${m.thresholds.streamLagMessages}.`,
      "short", [{
        expr: `clamp_min(max by (account, stream_name) (${s("nats_stream_last_seq", stream)} offset ${REPLICA_LAG_LOOKBACK}) - min by (account, stream_name) (${s("nats_stream_last_seq", stream)}), 0)`,
        legend: byStream,
      }]),
    series("Replicas reporting per stream", "Servers exporting each stream. A drop means a replica's pod is down or lost the stream.", "short", [
      { expr: `count by (account, stream_name) (${s("nats_stream_last_seq", stream)})`, legend: byStream },
    ]),
    series("JetStream API requests per second", "JetStream API calls and API errors per server.", "short", [
      { expr: `sum by (pod) (rate(${s("nats_varz_jetstream_stats_api_total")}[$__rate_interval]))`, legend: "{{pod}} total" },
      { expr: `sum by (pod) (rate(${s("nats_varz_jetstream_stats_api_errors")}[$__rate_interval]))`, legend: "{{pod}} errors" },
    ]),
  ];

  return dashboard({
    uid: dashboardUid("jetstream", m.namespace, m.name),
    title: `NATS JetStream: ${m.namespace}/${m.name}`,
    description: `JetStream of the KubernetesNats ${m.namespace}/${m.name} (prometheus-nats-exporter jsz and varz metrics). Rendered by natskube.`,
    tags: ["nats", "jetstream", "natskube"],
    variables: [{
      name: "stream",
      label: "Stream",
      query: `label_values(nats_stream_last_seq{${scopeMatchers(m)}}, stream_name)`,
      allValue: ".*",
    }],
    panels,
  });
}

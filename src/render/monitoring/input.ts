/**
 * What the monitoring renderers need from the model, and nothing more, so the
 * alert rules and dashboards can be tested without building a whole model.
 */
export interface MonitoringInput {
  /** metadata.name of the KubernetesNats, e.g. "orders-bus"; objects are named "<name>-...". */
  name: string;
  namespace: string;
  /** Common labels for every object. */
  labels: Record<string, string>;
  /** Labels selecting the NATS pods. */
  selectorLabels: Record<string, string>;
  /** JetStream enabled, so the exporter runs with -jsz=all and jsz metrics exist. */
  jetstream: boolean;
  replicas: number;
  thresholds: MonitoringThresholds;
  /** Extra labels on the PrometheusRule, e.g. {release: "kube-prometheus-stack"} for the operator's ruleSelector. */
  ruleLabels: Record<string, string>;
}

export interface MonitoringThresholds {
  /** Alert when client connections exceed this fraction of max_connections (monitoring.alerts.connectionsRatio). */
  connectionsRatio: number;
  /** Alert when JetStream file storage exceeds this fraction of max_file_store (monitoring.alerts.storageRatio). */
  storageRatio: number;
  /** Alert when a stream replica is this many messages behind (monitoring.alerts.streamLagMessages). */
  streamLagMessages: number;
  /** Window in which any new slow consumer alerts, a Prometheus duration (SLOW_CONSUMERS_WINDOW). */
  slowConsumersWindow: string;
}

/** What a Grafana dashboard reads: the cluster's name, namespace, size and alert thresholds. */
export type DashboardFacts = Pick<MonitoringInput, "name" | "namespace" | "replicas" | "thresholds">;

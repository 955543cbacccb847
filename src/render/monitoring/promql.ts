/**
 * PromQL helpers shared by the alert rules and the dashboards.
 *
 * Every query is scoped to one NATS cluster through the target labels the
 * PodMonitor adds (`namespace`, `pod`), so two clusters scraped by the same
 * Prometheus never mix. The exporter's own `server_id` label is useless for
 * that: it is the nkey the server had when the exporter started, new whenever
 * the pod is recreated.
 */

/** The cluster whose pods a query selects. */
export interface ClusterRef {
  name: string;
  namespace: string;
}

/** A PromQL double-quoted string literal (Go escaping rules). */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * Regex matching the StatefulSet's pods `<name>-0`, `<name>-1`, ... but not
 * `<name>-box-...` or another cluster whose name starts with ours.
 * PromQL anchors regexes, and a dot in a name must not match any character.
 */
export function podRegex(name: string): string {
  return `${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-[0-9]+`;
}

/** The matchers selecting this cluster's pods, without braces. */
export function scopeMatchers(cluster: ClusterRef): string {
  return `namespace=${promString(cluster.namespace)}, pod=~${promString(podRegex(cluster.name))}`;
}

/** `metric{namespace="...", pod=~"...", extra...}` */
export function scoped(metric: string, cluster: ClusterRef, ...extra: string[]): string {
  return `${metric}{${[scopeMatchers(cluster), ...extra].join(", ")}}`;
}

const NOT_METRICS = new Set([
  "and", "or", "unless", "offset", "bool", "by", "without", "on", "ignoring",
  "group_left", "group_right", "inf", "nan", "atan2", "start", "end",
]);

/**
 * Metric names a PromQL expression reads, sorted. A lexical scan, enough for
 * the expressions natskube writes: it drops string literals, label matchers,
 * range/subquery brackets and grouping label lists, then keeps identifiers
 * that are not keywords or function calls. Used by tests and lint to prove
 * every name exists in the exporter's output.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.:$])[a-zA-Z_:][\w:]*(?![\w:])(?!\s*\()/g)) {
    if (!NOT_METRICS.has(match[0].toLowerCase())) names.add(match[0]);
  }
  return [...names].sort();
}

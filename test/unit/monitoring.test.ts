import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { MonitoringInput } from "../../src/render/monitoring/input.js";
import {
  ALERT_METRICS, GUIDE_RECORDINGS, JETSTREAM_ALERTS, SERVER_ALERTS, prometheusRule, type IRule,
} from "../../src/render/monitoring/prometheus-rule.js";
import { dashboards, GRAFANA_DASHBOARD_LABEL, jetStreamDashboardText, serverDashboardText } from "../../src/render/monitoring/dashboards.js";
import { metricNames, podRegex, scoped } from "../../src/render/monitoring/promql.js";

// The exporter's real names (copy of shared/anchors/exporter-metrics.txt); the test runs from dist/test/unit.
const EXPORTER_METRICS = new Set(
  readFileSync(new URL("../../../test/fixtures/exporter-metrics.txt", import.meta.url), "utf8").split("\n").filter(Boolean),
);
const GUIDE_NAMES = [...GUIDE_RECORDINGS.server, ...GUIDE_RECORDINGS.jetstream];

function monitoringInput(overrides: Partial<MonitoringInput> = {}): MonitoringInput {
  return {
    name: "orders-bus",
    namespace: "messaging",
    labels: { "app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": "orders-bus" },
    selectorLabels: { "app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": "orders-bus" },
    jetstream: true,
    replicas: 3,
    thresholds: { connectionsRatio: 0.9, storageRatio: 0.8, streamLagMessages: 1000, slowConsumersWindow: "5m" },
    ruleLabels: { release: "kube-prometheus-stack" },
    ...overrides,
  };
}

const rulesOf = (m: MonitoringInput): IRule[] => (prometheusRule(m).spec.groups ?? []).flatMap((g) => g.rules ?? []);
const alertsOf = (m: MonitoringInput) => rulesOf(m).filter((r) => r.alert !== undefined);
const exprOf = (r: IRule) => String(r.expr);

interface Panel { id: number; title: string; gridPos: { h: number; w: number; x: number; y: number }; datasource: { uid: string }; targets: { expr: string; datasource: { uid: string } }[] }
interface Dashboard { uid: string; title: string; schemaVersion: number; panels: Panel[]; templating: { list: { name: string; type: string; query: unknown; definition?: string; allValue?: string }[] } }

function dashboardJson(m: MonitoringInput): { key: string; text: string; json: Dashboard }[] {
  return dashboards(m).map((cm) => {
    const [key, text] = Object.entries(cm.data ?? {})[0] ?? ["", ""];
    return { key, text, json: JSON.parse(text) as Dashboard };
  });
}

/** Every `metric{matchers}` in an expression, as [metric, matchers]. */
function selectors(expr: string): [string, string][] {
  return [...expr.matchAll(/([a-zA-Z_:][\w:]*)\{([^}]*)\}/g)].map((x) => [x[1] ?? "", x[2] ?? ""]);
}

test("PrometheusRule validates against the prometheus-operator schema, with and without JetStream", () => {
  for (const jetstream of [true, false]) {
    const rule = prometheusRule(monitoringInput({ jetstream }));
    assert.doesNotThrow(() => new PrometheusRule(rule).validate());
  }
});

test("PrometheusRule is named after the cluster and carries common plus rule labels", () => {
  const rule = prometheusRule(monitoringInput());
  assert.deepEqual(rule.metadata, {
    name: "orders-bus-alerts",
    namespace: "messaging",
    labels: { "app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": "orders-bus", release: "kube-prometheus-stack" },
  });
  assert.deepEqual(rule.spec.groups?.map((g) => g.name), [
    "orders-bus.nats-server", "orders-bus.nats-jetstream", "orders-bus.nats-guide-metric-names",
  ]);
});

test("JetStream alerts and recordings exist only with JetStream", () => {
  assert.deepEqual(alertsOf(monitoringInput()).map((r) => r.alert), [...SERVER_ALERTS, ...JETSTREAM_ALERTS]);
  const plain = monitoringInput({ jetstream: false });
  assert.deepEqual(alertsOf(plain).map((r) => r.alert), [...SERVER_ALERTS]);
  assert.deepEqual(rulesOf(plain).filter((r) => r.record).map((r) => r.record), [...GUIDE_RECORDINGS.server]);
  for (const r of rulesOf(plain)) assert.doesNotMatch(exprOf(r), /jetstream|nats_stream_|nats_server_/, r.alert ?? r.record);
});

test("every alert has for, a severity, and summary/description with a runbook hint", () => {
  for (const r of alertsOf(monitoringInput())) {
    assert.match(r.for ?? "", /^[0-9]+[smh]$/, r.alert);
    assert.ok(["warning", "critical"].includes(r.labels?.severity ?? ""), r.alert);
    assert.deepEqual(Object.keys(r.labels ?? {}), ["severity", "namespace", "nats_cluster"]);
    assert.equal(r.labels?.nats_cluster, "orders-bus");
    assert.ok((r.annotations?.summary ?? "").length > 10, r.alert);
    assert.match(r.annotations?.description ?? "", /Runbook: /, r.alert);
  }
});

test("rule expressions read only the exporter's real metric names, listed in ALERT_METRICS", () => {
  const used = new Set(rulesOf(monitoringInput()).flatMap((r) => metricNames(exprOf(r))));
  assert.deepEqual([...used].sort(), [...ALERT_METRICS].sort());
  for (const name of ALERT_METRICS) assert.ok(EXPORTER_METRICS.has(name), `${name} is not emitted by the exporter`);
  for (const name of GUIDE_NAMES) assert.ok(!EXPORTER_METRICS.has(name) && !used.has(name), `${name} must only be recorded`);
});

test("the guide's five names are recorded, never read", () => {
  const records = rulesOf(monitoringInput()).filter((r) => r.record).map((r) => r.record);
  assert.deepEqual(records, GUIDE_NAMES);
});

test("every selector in the rules is scoped to this cluster's namespace and pods", () => {
  for (const r of rulesOf(monitoringInput())) {
    const expr = exprOf(r);
    assert.doesNotMatch(expr, /\bnats_\w+(?![\w{])/, `bare metric in ${expr}`);
    for (const [metric, matchers] of selectors(expr)) {
      assert.ok(matchers.startsWith('namespace="messaging", pod=~"orders-bus-[0-9]+"'), `${metric}{${matchers}}`);
    }
  }
});

test("thresholds flow into the expressions and annotations", () => {
  const m = monitoringInput({ thresholds: { connectionsRatio: 0.75, storageRatio: 0.655, streamLagMessages: 5000, slowConsumersWindow: "15m" } });
  const byName = new Map(alertsOf(m).map((r) => [r.alert, r]));
  assert.match(exprOf(byName.get("NatsConnectionsNearLimit")!), / > 0\.75$/);
  assert.match(byName.get("NatsConnectionsNearLimit")!.annotations!.description!, /above 75% of max_connections/);
  assert.match(exprOf(byName.get("NatsSlowConsumers")!), /\[15m\]\)\) > 0$/);
  assert.match(exprOf(byName.get("NatsJetStreamStorageNearLimit")!), / > 0\.655$/);
  assert.match(byName.get("NatsJetStreamStorageNearLimit")!.annotations!.description!, /more than 65\.5% of max_file_store/);
  assert.match(exprOf(byName.get("NatsJetStreamStreamReplicaLag")!), / > 5000$/);
});

test("rendering is deterministic and does not mutate its input", () => {
  const m = monitoringInput();
  const before = structuredClone(m);
  assert.equal(JSON.stringify(prometheusRule(m)), JSON.stringify(prometheusRule(structuredClone(m))));
  assert.equal(JSON.stringify(dashboards(m)), JSON.stringify(dashboards(structuredClone(m))));
  assert.deepEqual(m, before);
});

test("dashboards are ConfigMaps the Grafana sidecar picks up, one per kind", () => {
  const maps = dashboards(monitoringInput());
  assert.deepEqual(maps.map((cm) => cm.metadata?.name), ["orders-bus-dashboard-server", "orders-bus-dashboard-jetstream"]);
  for (const cm of maps) {
    assert.doesNotThrow(() => new ConfigMap(cm).validate());
    assert.equal(cm.metadata?.namespace, "messaging");
    assert.equal(cm.metadata?.labels?.grafana_dashboard, GRAFANA_DASHBOARD_LABEL.grafana_dashboard);
    assert.equal(cm.metadata?.labels?.["app.kubernetes.io/instance"], "orders-bus");
  }
  assert.deepEqual(dashboardJson(monitoringInput()).map((d) => d.key), [
    "messaging-orders-bus-nats-server.json", "messaging-orders-bus-nats-jetstream.json",
  ]);
  assert.deepEqual(dashboards(monitoringInput({ jetstream: false })).map((cm) => cm.metadata?.name), ["orders-bus-dashboard-server"]);
});

// dashboards() reuses a text built for the same facts (a memo of 32): it must be the text a fresh build
// gives, for every fact a dashboard reads, whichever facts were rendered before, and after the memo filled up.
test("a reused dashboard text is the fresh build's, for each fact varied alone and in turn", () => {
  const base = monitoringInput();
  const variants: MonitoringInput[] = [
    base,
    monitoringInput({ name: "billing" }),
    monitoringInput({ namespace: "team-7" }),
    monitoringInput({ replicas: 5 }),
    ...(["connectionsRatio", "storageRatio", "streamLagMessages"] as const).map((k) => monitoringInput({ thresholds: { ...base.thresholds, [k]: base.thresholds[k] + 0.125 } })),
    monitoringInput({ thresholds: { ...base.thresholds, slowConsumersWindow: "15m" } }),
    monitoringInput({ labels: { other: "label" }, ruleLabels: {} }),
  ];
  const distinct = new Set<string>();
  for (let round = 0; round < 3; round++) {
    for (const m of [...variants, ...Array.from({ length: 40 * round }, (_, i) => monitoringInput({ name: `bus-${i}` }))]) {
      const [server, jetstream] = dashboards(m).map((cm) => Object.values(cm.data ?? {})[0]);
      assert.equal(server, serverDashboardText(m), `${m.name} ${JSON.stringify(m.thresholds)}`);
      assert.equal(jetstream, jetStreamDashboardText(m), `${m.name} ${JSON.stringify(m.thresholds)}`);
      if (round === 0) distinct.add(`${server}${jetstream}`);
    }
  }
  assert.equal(distinct.size, variants.length - 1, "each fact changes the text; labels do not");
});

// Clusters named with DNS labels get the text built for stand-in names with theirs put in: it must be
// the fresh build's for any label (lengths, digits, hyphens, names inside other names) and anything else.
test("a dashboard text with the cluster's names put in is the fresh build's", () => {
  const names = ["nats", "a", "n4", "nats-1", "nats-nats", "natskube", "x".repeat(63), "orders-bus", "team-7", "0ab", "a.b", "Caps", "q$&1"];
  for (const name of names) {
    for (const namespace of ["nats", "messaging", "team-12", "n", "x.y", name]) {
      for (const replicas of [1, 3]) {
        const m = monitoringInput({ name, namespace, replicas, thresholds: { connectionsRatio: 0.9, storageRatio: 0.8, streamLagMessages: 1000 + replicas, slowConsumersWindow: "5m" } });
        const [server, jetstream] = dashboards(m).map((cm) => Object.values(cm.data ?? {})[0]);
        assert.equal(server, serverDashboardText(m), `${namespace}/${name}`);
        assert.equal(jetstream, jetStreamDashboardText(m), `${namespace}/${name}`);
      }
    }
  }
});

test("dashboard JSON is stable 2-space JSON and small enough for kubectl apply", () => {
  for (const { text, json } of dashboardJson(monitoringInput())) {
    assert.equal(text, `${JSON.stringify(json, null, 2)}\n`);
    assert.ok(Buffer.byteLength(text) < 200_000, "last-applied-configuration is limited to 256 KiB");
  }
});

test("dashboards have a title, schemaVersion 39, a deterministic uid per cluster and a datasource variable", () => {
  const uids = new Set<string>();
  for (const namespace of ["messaging", "other"]) {
    for (const { json } of dashboardJson(monitoringInput({ namespace }))) {
      assert.equal(json.schemaVersion, 39);
      assert.match(json.title, new RegExp(`^NATS (server|JetStream): ${namespace}/orders-bus$`));
      assert.match(json.uid, /^[a-z0-9-]{1,40}$/);
      uids.add(json.uid);
      const ds = json.templating.list.find((v) => v.name === "datasource");
      assert.deepEqual([ds?.type, ds?.query], ["datasource", "prometheus"]);
    }
  }
  assert.equal(uids.size, 4, "uids differ between kinds and namespaces");
  assert.deepEqual(dashboardJson(monitoringInput()).map((d) => d.json.uid), dashboardJson(monitoringInput()).map((d) => d.json.uid));
});

test("dashboard panels have unique ids, non-overlapping gridPos and use the datasource variable", () => {
  for (const { json } of dashboardJson(monitoringInput())) {
    assert.ok(json.panels.length >= 10, json.title);
    assert.equal(new Set(json.panels.map((p) => p.id)).size, json.panels.length);
    const cells = new Set<string>();
    for (const p of json.panels) {
      const { h, w, x, y } = p.gridPos;
      assert.ok(w > 0 && h > 0 && x >= 0 && y >= 0 && x + w <= 24, `${p.title} gridPos`);
      for (let dx = 0; dx < w; dx++) for (let dy = 0; dy < h; dy++) {
        const cell = `${x + dx},${y + dy}`;
        assert.ok(!cells.has(cell), `${p.title} overlaps at ${cell}`);
        cells.add(cell);
      }
      assert.ok(p.title.length > 0);
      assert.equal(p.datasource.uid, "${datasource}");
      assert.ok(p.targets.length > 0, p.title);
      for (const t of p.targets) assert.equal(t.datasource.uid, "${datasource}");
    }
  }
});

test("every dashboard query reads only exporter metric names and stays scoped to the cluster", () => {
  for (const { json } of dashboardJson(monitoringInput())) {
    const exprs = json.panels.flatMap((p) => p.targets.map((t) => t.expr));
    const variables = json.templating.list.filter((v) => v.type === "query");
    exprs.push(...variables.map((v) => /^label_values\((.*), \w+\)$/.exec(v.definition ?? "")?.[1] ?? "unparsed"));
    for (const expr of exprs) {
      for (const name of metricNames(expr)) assert.ok(EXPORTER_METRICS.has(name), `${name} in ${expr}`);
      assert.ok(selectors(expr).length > 0, expr);
      for (const [metric, matchers] of selectors(expr)) {
        assert.match(matchers, /^namespace="messaging", pod=~"(\$pod|orders-bus-\[0-9\]\+)"/, `${metric}{${matchers}}`);
      }
    }
    for (const v of variables) assert.ok(v.allValue === ".*" || v.allValue === "orders-bus-[0-9]+", "All stays in the cluster");
  }
});

test("JetStream per-stream and per-consumer totals come from the leader's series only", () => {
  const jetstream = dashboardJson(monitoringInput())[1]!.json;
  const exprs = jetstream.panels.flatMap((p) => p.targets.map((t) => t.expr));
  const totals = exprs.filter((e) => /nats_stream_total_|nats_consumer_num_/.test(e));
  assert.ok(totals.length >= 4);
  for (const e of totals) assert.match(e, /is_(stream|consumer)_leader="true"/, e);
});

test("promql helpers: pod regex escapes dots, metricNames ignores labels, functions and keywords", () => {
  assert.equal(podRegex("orders.bus"), "orders\\.bus-[0-9]+");
  assert.equal(scoped("m", { name: "a.b", namespace: "ns" }, 'x="1"'), 'm{namespace="ns", pod=~"a\\\\.b-[0-9]+", x="1"}');
  assert.deepEqual(
    metricNames('sum by (pod, job) (rate(a_total{x="b_c"}[5m] offset 1m)) / on (pod) group_left (l) b:rec > bool 1e3 or vector(0) and c'),
    ["a_total", "b:rec", "c"],
  );
  assert.deepEqual(metricNames("max_over_time(count by (s) (m{a=\"1\"})[1h:1m]) - time() * 1000"), ["m"]);
});

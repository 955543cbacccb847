import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { MonitoringInput } from "../../src/render/monitoring/input.js";
import { JETSTREAM_ALERTS, SERVER_ALERTS, prometheusRule, type IRule } from "../../src/render/monitoring/prometheus-rule.js";
import { dashboards } from "../../src/render/monitoring/dashboards.js";
import { toolPath } from "../support/tools.js";

/**
 * The rendered alert rules, run by the real Prometheus rule engine
 * (`promtool test rules`): crafted series make each alert fire, healthy ones
 * keep every alert silent, and series of other clusters never leak in.
 */

/** $PROMTOOL, else the pinned build in .tools (a missing one fails with how to get it). */
const promtoolBin = () => process.env.PROMTOOL ?? toolPath("promtool");
const TIMEOUT_MS = 30_000;
const NS = "messaging";
const NAME = "orders-bus";
const GiB = 1024 ** 3;
/** Minutes of input data in every scenario. */
const MINUTES = 200;
const ALL_ALERTS = [...SERVER_ALERTS, ...JETSTREAM_ALERTS];

const input: MonitoringInput = {
  name: NAME,
  namespace: NS,
  labels: { "app.kubernetes.io/name": "nats" },
  selectorLabels: { "app.kubernetes.io/name": "nats" },
  jetstream: true,
  replicas: 3,
  thresholds: { connectionsRatio: 0.9, storageRatio: 0.8, streamLagMessages: 1000, slowConsumersWindow: "5m" },
  ruleLabels: {},
};

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "natskube-promtool-"));
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Run { code: number; output: string }

function promtool(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const bin = promtoolBin();
    execFile(bin, args, { cwd: dir, timeout: TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(new Error(`promtool not found (${bin}): run bash scripts/ensure-tools.sh, which builds it into .tools/bin`));
      } else if (error && error.killed) {
        reject(new Error(`promtool ${args.join(" ")} timed out after ${TIMEOUT_MS} ms\n${output}`));
      } else {
        resolve({ code: error ? Number(error.code ?? 1) : 0, output });
      }
    });
  });
}

async function writeYaml(file: string, value: unknown): Promise<string> {
  await writeFile(join(dir, file), stringify(value, { lineWidth: 0 }));
  return file;
}

// ---- input series -------------------------------------------------------

interface InputSeries { series: string; values: string }
type Labels = Record<string, string>;

function series(metric: string, labels: Labels, values: string): InputSeries {
  return { series: `${metric}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(", ")}}`, values };
}

/** `start`, growing by `step` a minute, for the whole test or until the target disappears (a staleness marker). */
function ramp(start: number, step: number, downAt?: number): string {
  return downAt === undefined ? `${start}+${step}x${MINUTES}` : `${start}+${step}x${downAt} stale`;
}

interface ServerOptions {
  namespace?: string;
  metaLeader?: boolean;
  /** Minute at which the pod, and so every series it exports, disappears. */
  downAt?: number;
  /** Replacement `values` per series key below. */
  values?: Record<string, string>;
}

/**
 * The series one healthy NATS server exports (with the PodMonitor's
 * namespace/pod labels). Stream ORDERS is R3; FAST is R3 and busy, and each pod
 * is scraped at a different moment, so its replicas differ by thousands of
 * messages without any lag; AUDIT is R1 on pod 1.
 */
function server(pod: string, index: number, o: ServerOptions = {}): InputSeries[] {
  const v = (key: string, start: number, step = 0) => o.values?.[key] ?? ramp(start, step, o.downAt);
  const base = { namespace: o.namespace ?? NS, pod, server_id: `NID${index}${pod}` };
  const jsz = { ...base, server_name: pod, cluster: NAME, meta_leader: `${NAME}-0`, is_meta_leader: String(o.metaLeader ?? index === 0) };
  const stream = (name: string) => ({ ...jsz, account: "$G", stream_name: name, is_stream_leader: String(index === 0) });
  const out = [
    series("nats_varz_connections", base, v("connections", 10)),
    series("nats_varz_max_connections", base, v("max_connections", 65536)),
    // An old slow consumer: the cumulative count is 2 but no longer grows, so nothing may fire.
    series("nats_varz_slow_consumers", base, v("slow_consumers", 2)),
    series("nats_varz_jetstream_stats_storage", base, v("storage", GiB)),
    series("nats_varz_jetstream_config_max_storage", base, v("max_storage", 10 * GiB)),
    series("nats_server_jetstream_disabled", jsz, v("meta", 0)),
    series("nats_stream_last_seq", stream("ORDERS"), v("ORDERS", 0, 1000)),
    series("nats_stream_last_seq", stream("FAST"), v("FAST", 10_000 - 3_000 * index, 10_000)),
  ];
  if (index === 1) out.push(series("nats_stream_last_seq", stream("AUDIT"), v("AUDIT", 0, 10)));
  return out;
}

function cluster(options: Partial<Record<0 | 1 | 2, ServerOptions>> = {}): InputSeries[] {
  return ([0, 1, 2] as const).flatMap((i) => server(`${NAME}-${i}`, i, options[i]));
}

/**
 * Another cluster's servers, unhealthy in every way an alert looks at: near
 * max connections, slow consumers growing, storage full, claiming meta
 * leadership, a stuck replica that then disappears. If a rule were not
 * scoped, these would make it fire.
 */
function otherClusters(): InputSeries[] {
  const broken: ServerOptions["values"] = {
    connections: ramp(65_000, 0), slow_consumers: ramp(0, 1), storage: ramp(9.9 * GiB, 0),
    ORDERS: "0x60 stale", FAST: "0x60 stale",
  };
  return [
    ...server(`${NAME}-archive-0`, 0, { metaLeader: true, values: broken }),
    ...server(`${NAME}-0`, 0, { namespace: "other", metaLeader: true, values: broken }),
  ];
}

// ---- scenarios ----------------------------------------------------------

interface Firing {
  alert: string;
  /** The expression's output labels. */
  labels: Labels;
  /** How each `{{ $value ... }}` in the annotations renders. */
  values: Record<string, string>;
}

interface Scenario {
  name: string;
  series: InputSeries[];
  /** At each minute, exactly these alerts fire; every other alert is checked silent. */
  alertsAt: Record<number, Firing[]>;
  exprsAt?: Record<number, { expr: string; samples: { labels: string; value: number }[] }[]>;
}

const pod = (p: string) => ({ namespace: NS, pod: p });
const stream = (name: string) => ({ namespace: NS, account: "$G", stream_name: name });
const recorded = (metric: string, labels: Labels, value: number) => ({ labels: `${metric}${braces(labels)}`, value });
const braces = (labels: Labels) => `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(", ")}}`;

const scenarios: Scenario[] = [
  {
    name: "healthy cluster: every alert silent, guide names recorded",
    series: cluster(),
    alertsAt: { 30: [], 70: [], 150: [] },
    exprsAt: {
      70: [
        { expr: "sum(nats_jetstream_meta_cluster_leader)", samples: [{ labels: "{}", value: 1 }] },
        { expr: "nats_jetstream_meta_cluster_leader", samples: [0, 1, 2].map((i) => recorded("nats_jetstream_meta_cluster_leader", pod(`${NAME}-${i}`), i === 0 ? 1 : 0)) },
        { expr: "nats_server_total_connections", samples: [0, 1, 2].map((i) => recorded("nats_server_total_connections", pod(`${NAME}-${i}`), 10)) },
        { expr: "sum(nats_server_slow_consumers)", samples: [{ labels: "{}", value: 6 }] },
        { expr: "sum(nats_jetstream_storage_bytes)", samples: [{ labels: "{}", value: 3 * GiB }] },
        { expr: "nats_jetstream_stream_replicas_lag", samples: ["ORDERS", "FAST", "AUDIT"].map((s) => recorded("nats_jetstream_stream_replicas_lag", stream(s), 0)) },
      ],
    },
  },
  {
    name: "pod 1 holds 60000 of 65536 connections",
    series: cluster({ 1: { values: { connections: ramp(60_000, 0) } } }),
    alertsAt: {
      3: [],
      10: [{ alert: "NatsConnectionsNearLimit", labels: pod(`${NAME}-1`), values: { "$value | humanizePercentage": "91.55%" } }],
    },
  },
  {
    name: "pod 2 gets three new slow consumers at minute 11",
    series: cluster({ 2: { values: { slow_consumers: `2x10 5x${MINUTES - 11}` } } }),
    alertsAt: {
      10: [],
      // Prometheus 3 ranges are left-open: (8m, 13m] holds the samples of minutes 9-13, and increase()
      // extrapolates their +3 over 4 minutes to the 5m window (Prometheus 2 included minute 8 and said 3).
      13: [{ alert: "NatsSlowConsumers", labels: pod(`${NAME}-2`), values: { "$value | humanize": "3.75" } }],
      25: [],
    },
  },
  {
    name: "pod 0 JetStream file storage at 90% of its limit",
    series: cluster({ 0: { values: { storage: ramp(9 * GiB, 0) } } }),
    alertsAt: {
      5: [],
      15: [{ alert: "NatsJetStreamStorageNearLimit", labels: pod(`${NAME}-0`), values: { "$value | humanizePercentage": "90%" } }],
    },
  },
  {
    name: "meta leader lost at minute 21: every server reports is_meta_leader=false",
    series: [
      ...cluster({ 0: { values: { meta: "0x20 stale" } } }),
      series("nats_server_jetstream_disabled", {
        namespace: NS, pod: `${NAME}-0`, server_id: `NID0${NAME}-0`, server_name: `${NAME}-0`, cluster: NAME, meta_leader: "", is_meta_leader: "false",
      }, `_x21 0x${MINUTES - 21}`),
    ],
    alertsAt: { 20: [], 25: [{ alert: "NatsJetStreamMetaLeaderNotOne", labels: {}, values: { $value: "0" } }] },
    exprsAt: { 25: [{ expr: "sum(nats_jetstream_meta_cluster_leader)", samples: [{ labels: "{}", value: 0 }] }] },
  },
  {
    name: "split brain: two servers claim meta leadership",
    series: cluster({ 1: { metaLeader: true } }),
    alertsAt: { 10: [{ alert: "NatsJetStreamMetaLeaderNotOne", labels: {}, values: { $value: "2" } }] },
  },
  {
    name: "the ORDERS replica on pod 2 stops at sequence 10000 while the others go on",
    series: cluster({ 2: { values: { ORDERS: `0+1000x10 10000x${MINUTES - 11}` } } }),
    alertsAt: {
      12: [],
      25: [{ alert: "NatsJetStreamStreamReplicaLag", labels: stream("ORDERS"), values: { "$value | humanize": "14k" } }],
    },
    exprsAt: {
      25: [{ expr: 'nats_jetstream_stream_replicas_lag{stream_name="ORDERS"}', samples: [recorded("nats_jetstream_stream_replicas_lag", stream("ORDERS"), 14_000)] }],
    },
  },
  {
    name: "pod 2 disappears at minute 71: its R3 stream replicas go missing until the 1h history forgets them",
    series: cluster({ 2: { downAt: 70 } }),
    alertsAt: {
      75: [],
      85: ["ORDERS", "FAST"].map((s) => ({ alert: "NatsJetStreamStreamReplicaMissing", labels: stream(s), values: { $value: "2" } })),
      135: [],
    },
  },
];

function rulesByAlert(rule: ReturnType<typeof prometheusRule>): Map<string, IRule> {
  return new Map((rule.spec.groups ?? []).flatMap((g) => g.rules ?? []).filter((r) => r.alert).map((r) => [r.alert!, r]));
}

/** What Prometheus renders for `{{ $labels.x }}` and `{{ $value ... }}`; any other template is a test bug. */
function expand(template: string, firing: Firing): string {
  return template.replace(/\{\{ (.*?) \}\}/g, (_, inner: string) => {
    const label = /^\$labels\.(\w+)$/.exec(inner)?.[1];
    const text = label === undefined ? firing.values[inner] : firing.labels[label];
    if (text === undefined) throw new Error(`${firing.alert}: no expected rendering for {{ ${inner} }}`);
    return text;
  });
}

function testFile(rulesFile: string, rules: Map<string, IRule>) {
  return {
    rule_files: [rulesFile],
    evaluation_interval: "1m",
    tests: scenarios.map((s) => ({
      name: s.name,
      interval: "1m",
      input_series: [...s.series, ...otherClusters()],
      alert_rule_test: Object.entries(s.alertsAt).flatMap(([minute, firing]) =>
        ALL_ALERTS.map((alertname) => ({
          eval_time: `${minute}m`,
          alertname,
          exp_alerts: firing.filter((f) => f.alert === alertname).map((f) => {
            const rule = rules.get(alertname)!;
            return {
              exp_labels: { ...f.labels, ...rule.labels },
              exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, t]) => [k, expand(t, f)])),
            };
          }),
        }))),
      promql_expr_test: Object.entries(s.exprsAt ?? {}).flatMap(([minute, exprs]) =>
        exprs.map((e) => ({ expr: e.expr, eval_time: `${minute}m`, exp_samples: e.samples }))),
    })),
  };
}

// ---- tests --------------------------------------------------------------

test("promtool is installed", async () => {
  const run = await promtool(["--version"]);
  assert.equal(run.code, 0, run.output);
});

test("promtool check rules accepts the rule groups, with and without JetStream", async () => {
  for (const [jetstream, count] of [[true, 11], [false, 4]] as const) {
    const file = await writeYaml(`check-${jetstream}.yaml`, { groups: prometheusRule({ ...input, jetstream }).spec.groups });
    const run = await promtool(["check", "rules", file]);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, new RegExp(`SUCCESS: ${count} rules found`), run.output);
  }
});

test("promtool test rules: each alert fires on its failure, healthy series and other clusters keep all silent", async () => {
  const rule = prometheusRule(input);
  const rulesFile = await writeYaml("rules.yaml", { groups: rule.spec.groups });
  const tests = await writeYaml("rules.test.yaml", testFile(rulesFile, rulesByAlert(rule)));
  const run = await promtool(["test", "rules", tests]);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /SUCCESS/);
  const fired = new Set(scenarios.flatMap((s) => Object.values(s.alertsAt).flat().map((f) => f.alert)));
  assert.deepEqual([...fired].sort(), [...ALL_ALERTS].sort(), "every alert is made to fire by some scenario");
});

test("promtool check rules accepts every dashboard query", async () => {
  const exprs = dashboards(input).flatMap((cm) => {
    const json = JSON.parse(Object.values(cm.data ?? {})[0] ?? "{}") as { panels: { targets: { expr: string }[] }[] };
    return json.panels.flatMap((p) => p.targets.map((t) => t.expr));
  });
  // Grafana fills $__rate_interval; $pod and $stream sit inside regex strings and stay valid PromQL.
  const rules = exprs.map((expr, i) => ({ record: `natskube_dashboard_query_${i}`, expr: expr.replaceAll("$__rate_interval", "2m") }));
  const file = await writeYaml("dashboards.rules.yaml", { groups: [{ name: "dashboard-queries", rules }] });
  const run = await promtool(["check", "rules", file]);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, new RegExp(`SUCCESS: ${rules.length} rules found`));
});

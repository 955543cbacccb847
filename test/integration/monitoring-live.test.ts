// Monitoring against the real exporter and Prometheus: the production example's cluster runs on
// loopback with one prometheus-nats-exporter per server, started with the sidecar's rendered
// arguments; a real Prometheus scrapes them with the PodMonitor's target labels and evaluates the
// rendered PrometheusRule. Every rule and dashboard query must return series, and three alerts are
// made to fire by causing their condition (slow consumer, full file store, meta quorum loss).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { after, before, describe, it } from "node:test";
import type { NatsConnection } from "@nats-io/transport-node";
import { AckPolicy, jetstreamManager, StorageType } from "@nats-io/jetstream";
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { parse, stringify } from "yaml";
import { PORTS } from "../../src/model/model.js";
import { parseText } from "../../src/pipeline.js";
import { GRAFANA_DASHBOARD_LABEL } from "../../src/render/monitoring/dashboards.js";
import { EXPORTER_CONTAINER, METRICS_PORT_NAME } from "../../src/render/pod/exporter-container.js";
import { connectTo, type ClientAccess } from "../../src/verify/clients.js";
import type { LocalCluster } from "../../src/verify/local-cluster.js";
import { startFormed } from "../support/local.js";
import { buildLocalPlan, type LocalPlan } from "../../src/verify/local-plan.js";
import { localServerSpecs } from "../../src/verify/server-specs.js";
import { makeTlsMaterial, type TlsMaterial } from "../../src/verify/tls-files.js";
import { exampleText } from "../support/examples.js";
import { answered } from "../support/jetstream.js";
import { pollUntil, startProcess, stopAll, StopPolling, type Managed } from "../support/processes.js";
import { selectors, startPrometheus, withoutThreshold, type Prometheus } from "../support/prometheus.js";
import { natsServerBin, PINNED, toolPath } from "../support/tools.js";

const SUITE_TIMEOUT_MS = 150_000;
/** Bound for each alert to fire once its condition is caused. */
const FIRE_TIMEOUT_MS = 40_000;
const PROMETHEUS_PORT = 9090;
/**
 * This suite's own loopback range (verify uses 127.0.2.x, the benchmarks 127.0.4.x): `natskube verify`
 * runs elsewhere on the machine hold 127.0.0.2-4 for minutes. The per-address locks still apply.
 */
const FIRST_ADDRESS = "127.0.5.2";
const STREAM = "FILL";
const SLOW_SUBJECT = "flood.slow";

/**
 * examples/production.yaml (auth, TLS on clients and routes, FILE JetStream, monitoring) with a
 * 16Mi volume, so a test can fill the file store past the alert's ratio in a second, and a 1s
 * scrape interval, so Prometheus sees changes at once. Its NACK streams, KV and object stores
 * are dropped: NACK does not run here, and their maxBytes would not fit in 16Mi.
 */
function manifestText(): string {
  const doc = parse(exampleText("production")) as { spec: Record<string, any> };
  doc.spec["jetstream"].persistence.size = "16Mi";
  delete doc.spec["streams"];
  delete doc.spec["keyValues"];
  delete doc.spec["objectStores"];
  doc.spec["monitoring"].interval = "1s";
  return stringify(doc);
}

function objectOf<T>(plan: LocalPlan, kind: string, pred: (o: any) => boolean = () => true): T {
  const o = plan.objects.find((x) => x.kind === kind && pred(x));
  if (!o) throw new Error(`no ${kind} in the render`);
  return o as unknown as T;
}

/**
 * The sidecar's rendered args for the server on `host`: the monitoring URL (localhost in the pod)
 * points at the server's loopback address, and `-addr` keeps the listener on that address
 * (the pod's network namespace is what isolates it in Kubernetes). Nothing else changes.
 */
function exporterArgsFor(rendered: readonly string[], host: string): string[] {
  const urls = rendered.filter((a) => /^https?:\/\//.test(a));
  assert.equal(urls.length, 1, `one monitoring URL in the exporter args: ${rendered.join(" ")}`);
  // Flags before the URL: Go's flag package stops at the first positional argument.
  return [`-addr=${host}`, ...rendered.map((a) => {
    if (a !== urls[0]) return a;
    const url = new URL(a);
    assert.equal(url.hostname, "localhost", "the sidecar reads the server over the pod's loopback");
    assert.equal(Number(url.port), PORTS.monitor);
    url.hostname = host;
    return url.toString();
  })];
}

/** Escaped for a PromQL regex, joined as Grafana formats a multi-value variable. */
function grafanaMulti(values: string[]): string {
  return `(${values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|")})`;
}

async function varz(monitorUrl: string): Promise<any> {
  const res = await fetch(`${monitorUrl}/varz`, { signal: AbortSignal.timeout(2000) });
  return res.json();
}

/**
 * A client that subscribes and then stops reading its socket, as a stuck consumer does: the
 * server's buffer for it fills up to max_pending and the server flags it slow. Raw protocol,
 * because every NATS client library keeps reading into its own memory.
 */
async function stalledSubscriber(host: string, token: string, tls: TlsMaterial, subject: string): Promise<TLSSocket> {
  const raw = netConnect({ host, port: PORTS.client });
  // The server sends INFO in plain text, then the client upgrades to TLS.
  await new Promise<void>((done, fail) => {
    let seen = "";
    const t = setTimeout(() => fail(new Error("no INFO from the server in 5 s")), 5000);
    raw.once("error", fail);
    raw.on("data", function onData(chunk: Buffer) {
      seen += chunk.toString("latin1");
      if (!seen.includes("\r\n")) return;
      raw.off("data", onData);
      raw.pause();
      clearTimeout(t);
      done();
    });
  });
  const socket = tlsConnect({ socket: raw, host, ca: readFileSync(tls.caFile) });
  await new Promise<void>((done, fail) => {
    let seen = "";
    const t = setTimeout(() => fail(new Error(`no PONG after CONNECT in 5 s: ${seen.slice(0, 200)}`)), 5000);
    socket.once("error", fail);
    socket.once("secureConnect", () => {
      const connectOpts = { verbose: false, pedantic: false, tls_required: true, auth_token: token, name: "stalled-subscriber", lang: "raw", version: "0", protocol: 1 };
      socket.write(`CONNECT ${JSON.stringify(connectOpts)}\r\nSUB ${subject} 1\r\nPING\r\n`);
    });
    socket.on("data", function onData(chunk: Buffer) {
      seen += chunk.toString("latin1");
      if (seen.includes("-ERR")) return fail(new Error(`server refused the subscriber: ${seen.slice(0, 200)}`));
      if (!seen.includes("PONG")) return;
      socket.off("data", onData);
      clearTimeout(t);
      done();
    });
  });
  socket.pause();
  // Closed by the server once it is slow; that is the point.
  socket.on("error", () => {});
  return socket;
}

interface Probe {
  /** Where the expression comes from, e.g. "alert NatsSlowConsumers". */
  source: string;
  /** The expression queried. */
  expr: string;
  /** How it differs from the rendered expression. */
  how: string;
  /** Labels every sample must carry: those the alert's annotations or the panel's legend print. */
  labels: string[];
  /** Also checked: the value of every sample. */
  expect?: (values: number[]) => string | true;
}

describe(`monitoring against prometheus-nats-exporter ${PINNED["EXPORTER_VERSION"]} and Prometheus (module ${PINNED["PROMETHEUS_MODULE_VERSION"]})`, { timeout: SUITE_TIMEOUT_MS }, () => {
  let dir = "";
  let plan: LocalPlan;
  let tls: TlsMaterial;
  let cluster: LocalCluster | undefined;
  const exporters: Managed[] = [];
  let prometheus: Prometheus | undefined;
  let nc: NatsConnection | undefined;
  let stalled: TLSSocket | undefined;
  let rule: IPrometheusRule;
  let scrapeInterval = "";
  let access: ClientAccess;
  const started = Date.now();

  before(async () => {
    const exporterBin = toolPath("prometheus-nats-exporter");
    const prometheusBin = toolPath("prometheus");
    dir = mkdtempSync(join(tmpdir(), "natskube-monitoring-"));
    const parsed = parseText(manifestText(), "production.yaml").parsed[0];
    assert.ok(parsed, "the shrunk production example parses");
    plan = buildLocalPlan(parsed, { firstAddress: FIRST_ADDRESS });
    assert.ok(plan.tls, "the production example has TLS");
    const hosts = plan.servers.map((s) => s.host);
    tls = await makeTlsMaterial(plan.tls, hosts, join(dir, "tls"));
    mkdirSync(join(dir, "servers"));
    ({ cluster } = await startFormed(localServerSpecs(plan, tls), { bin: natsServerBin(), workDir: join(dir, "servers"), hostLockTimeoutMs: 60_000 }, 20_000));
    await cluster.waitRoutes(plan.servers.length - 1, 15_000);
    await cluster.waitHealthy(20_000);

    const sts = objectOf<IStatefulSet>(plan, "StatefulSet");
    const sidecar = sts.spec?.template.spec?.containers.find((c) => c.name === EXPORTER_CONTAINER);
    assert.ok(sidecar?.args, `the StatefulSet has the ${EXPORTER_CONTAINER} container with args`);
    const metricsPort = sidecar.ports?.find((p) => p.name === METRICS_PORT_NAME)?.containerPort;
    assert.ok(metricsPort, `container port ${METRICS_PORT_NAME}`);
    assert.ok(sidecar.args.includes(`-port=${metricsPort}`), "the exporter listens on the port the PodMonitor scrapes");

    for (const s of plan.servers) {
      const cwd = join(dir, "exporters", s.pod);
      mkdirSync(cwd, { recursive: true });
      exporters.push(startProcess(`exporter ${s.pod}`, exporterBin, exporterArgsFor(sidecar.args, s.host), { cwd }));
    }
    // -jsz=all must produce stream series: JetStream objects first, before the checks below.
    access = { auth: plan.auth, tls: tls.client, timeoutMs: 10_000 };
    nc = await connectTo(plan.servers[0]!.clientUrl, access);
    const jsm = await jetstreamManager(nc);
    // Right after the election 2.10 may not know every peer yet ("no suitable peers for placement").
    await pollUntil(`R3 stream ${STREAM} created`, 20_000, () =>
      jsm.streams.add({ name: STREAM, subjects: [`${STREAM.toLowerCase()}.>`], storage: StorageType.File, num_replicas: 3 }), 500);
    await answered(() => jsm.consumers.add(STREAM, { durable_name: "worker", ack_policy: AckPolicy.Explicit }));
    const js = jsm.jetstream();
    for (let i = 0; i < 10; i++) await js.publish(`${STREAM.toLowerCase()}.warmup`, `m${i}`);

    for (const [i, s] of plan.servers.entries()) {
      await pollUntil(`exporter of ${s.pod} serving nats metrics`, 15_000, async () => {
        if (!exporters[i]!.running) throw new StopPolling(`exporter exited:\n${exporters[i]!.logs()}`);
        const text = await (await fetch(`http://${s.host}:${metricsPort}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
        return text.includes("nats_varz_connections") && text.includes("nats_stream_last_seq") ? true : { retry: "no nats_varz/nats_stream metrics yet" };
      });
    }

    const podMonitor = objectOf<IPodMonitor>(plan, "PodMonitor");
    const endpoint = podMonitor.spec.podMetricsEndpoints?.[0];
    assert.equal(endpoint?.port, METRICS_PORT_NAME);
    scrapeInterval = endpoint.interval ?? "";
    assert.equal(scrapeInterval, "1s", "the manifest's monitoring.interval reaches the PodMonitor");
    rule = objectOf<IPrometheusRule>(plan, "PrometheusRule");
    // Shortened `for:` in this copy only, so an alert fires seconds after its condition; expressions are untouched.
    const groups = (rule.spec.groups ?? []).map((g) => ({ ...g, rules: (g.rules ?? []).map((r) => (r.alert ? { ...r, for: "1s" } : r)) }));
    prometheus = await startPrometheus({
      bin: prometheusBin,
      dir: join(dir, "prometheus"),
      listen: `${hosts[0]}:${PROMETHEUS_PORT}`,
      // The operator's job name for the first endpoint of a PodMonitor; the `job` label is namespace/name.
      jobName: `podMonitor/${podMonitor.metadata?.namespace}/${podMonitor.metadata?.name}/0`,
      scrapeInterval,
      evaluationInterval: "1s",
      // The target labels the operator's relabelling gives a PodMonitor target.
      targets: plan.servers.map((s) => ({
        address: `${s.host}:${metricsPort}`,
        labels: {
          job: `${podMonitor.metadata?.namespace}/${podMonitor.metadata?.name}`,
          namespace: plan.model.namespace,
          pod: s.pod,
          container: EXPORTER_CONTAINER,
          endpoint: METRICS_PORT_NAME,
        },
      })),
      rules: { groups },
    });
  });

  after(async () => {
    // Processes first (by PID), folders last, also when a step above failed.
    const errors: unknown[] = [];
    const attempt = async (f: () => Promise<unknown> | undefined) => {
      try {
        await f();
      } catch (e) {
        errors.push(e);
      }
    };
    stalled?.destroy();
    await attempt(() => nc?.close());
    await attempt(() => prometheus?.process.stop());
    await attempt(() => stopAll(exporters));
    await attempt(() => cluster?.stop());
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (errors.length > 0) throw errors[0];
  });

  /** Every expression to check, with rendered dashboard variables filled by their own queries' values. */
  async function probes(): Promise<Probe[]> {
    const p = prometheus!;
    const out: Probe[] = [];
    for (const g of rule.spec.groups ?? []) {
      for (const r of g.rules ?? []) {
        const expr = String(r.expr);
        const noOffset = expr.replace(/ offset \w+/g, "");
        if (r.alert) {
          const lhs = withoutThreshold(noOffset);
          assert.ok(lhs, `alert ${r.alert} has a threshold comparison: ${expr}`);
          out.push({
            source: `alert ${r.alert}`,
            expr: lhs,
            labels: [...new Set([...JSON.stringify(r.annotations ?? {}).matchAll(/\$labels\.(\w+)/g)].map((m) => m[1]!))],
            how: `without its threshold (${expr.slice(withoutThreshold(expr)!.length).trim()})${noOffset !== expr ? ", offset removed (no 1m history yet)" : ""}`,
            ...(r.alert === "NatsJetStreamMetaLeaderNotOne" ? { expect: (v: number[]) => (v.length === 1 && v[0] === 1) || `expected one leader, got ${v}` } : {}),
          });
        } else if (noOffset !== expr) {
          out.push({ source: `record ${r.record}`, expr: noOffset, how: "the rule's expression, offset removed (no 1m history yet)", labels: [] });
        } else {
          out.push({ source: `record ${r.record}`, expr: `${r.record}{namespace="${plan.model.namespace}"}`, how: "the recorded series, as Prometheus evaluated the rule", labels: [] });
        }
      }
    }
    const interval = Number(scrapeInterval.replace(/s$/, ""));
    const maps = plan.objects.filter((o) => o.kind === "ConfigMap" && o.metadata.labels?.["grafana_dashboard"] === GRAFANA_DASHBOARD_LABEL.grafana_dashboard) as unknown as IConfigMap[];
    assert.equal(maps.length, 2, "server and JetStream dashboards");
    for (const cm of maps) {
      const json = JSON.parse(Object.values(cm.data ?? {})[0]!) as {
        title: string;
        templating: { list: { name: string; type: string; definition?: string }[] };
        panels: { title: string; targets: { expr: string; refId: string; legendFormat: string }[] }[];
      };
      const vars = new Map<string, string>();
      for (const v of json.templating.list.filter((x) => x.type === "query")) {
        const m = /^label_values\((.*), (\w+)\)$/.exec(v.definition ?? "");
        assert.ok(m, `${json.title} variable ${v.name}: label_values(selector, label)`);
        const expr = `group by (${m[2]}) (${m[1]})`;
        out.push({ source: `${json.title} variable $${v.name}`, expr, how: `label_values as Grafana asks it`, labels: [m[2]!] });
        const values = (await p.query(expr)).map((s) => s.metric[m[2]!]!).filter(Boolean).sort();
        vars.set(v.name, values.length ? grafanaMulti(values) : "__no_values__");
      }
      for (const panel of json.panels) {
        for (const t of panel.targets) {
          let expr = t.expr.replaceAll("$__rate_interval", `${4 * interval}s`);
          for (const [name, value] of vars) expr = expr.replaceAll(`$${name}`, value);
          const noOffset = expr.replace(/ offset \w+/g, "");
          out.push({
            source: `${json.title} / ${panel.title} / ${t.refId}`,
            expr: noOffset,
            labels: [...t.legendFormat.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!),
            how: `variables set to all their values, $__rate_interval=${4 * interval}s (Grafana: 4 x scrape interval)${noOffset !== expr ? ", offset removed" : ""}`,
          });
        }
      }
    }
    return out;
  }

  it("the exporter version knows every flag the sidecar is rendered with", async () => {
    // Go's flag package exits on an unknown flag, so the running exporters prove it too; this names the flag.
    const help = await new Promise<string>((done) =>
      execFile(toolPath("prometheus-nats-exporter"), ["-h"], { timeout: 10_000 }, (_err, stdout, stderr) => done(`${stdout}${stderr}`)));
    const known = new Set([...help.matchAll(/^\s+-(\w+)/gm)].map((m) => m[1]));
    const sts = objectOf<IStatefulSet>(plan, "StatefulSet");
    const args = sts.spec?.template.spec?.containers.find((c) => c.name === EXPORTER_CONTAINER)?.args ?? [];
    const flags = args.filter((a) => a.startsWith("-")).map((a) => a.replace(/^-+/, "").replace(/=.*$/, ""));
    assert.ok(flags.length >= 7, `flags: ${args.join(" ")}`);
    assert.deepEqual(flags.filter((f) => !known.has(f)), [], `flags unknown to prometheus-nats-exporter ${PINNED["EXPORTER_VERSION"]}`);
  });

  it("scrapes every exporter with the PodMonitor's target labels", async () => {
    const up = await pollUntil("3 targets up", 15_000, async () => {
      const s = await prometheus!.query(`up{namespace="${plan.model.namespace}"} == 1`);
      return s.length === plan.servers.length ? s : { retry: `${s.length} targets up` };
    });
    assert.deepEqual(up.map((s) => s.metric["pod"]).sort(), plan.model.pods);
    for (const s of up) assert.equal(s.metric["job"], `${plan.model.namespace}/${plan.model.name}`);
  });

  it("every alert, recording rule and dashboard query returns series from the real exporter", async (t) => {
    let report: string[] = [];
    await pollUntil("every expression to return series", 30_000, async () => {
      const failures: string[] = [];
      report = [];
      for (const probe of await probes()) {
        const samples = await prometheus!.query(probe.expr);
        // A per-pod result must cover every pod: a name or label missing on one server version shows here.
        const pods = [...new Set(samples.map((s) => s.metric["pod"]).filter((p): p is string => p !== undefined))].sort();
        const verdict = samples.length === 0
          ? "no series"
          : pods.length > 0 && pods.join() !== plan.model.pods.join()
            ? `series for pods ${pods.join(", ")} only`
            : samples.find((x) => probe.labels.some((l) => !x.metric[l]))
              ? `a series lacks one of the labels ${probe.labels.join(", ")} its annotations or legend print: ${JSON.stringify(samples[0]!.metric)}`
              : probe.expect?.(samples.map((s) => s.value)) ?? true;
        if (verdict !== true) failures.push(`${probe.source}: ${verdict}: ${probe.expr}`);
        // The selectors on their own, so `or vector(0)` or an outer aggregation cannot hide a missing name or label.
        for (const sel of selectors(probe.expr)) {
          if ((await prometheus!.query(sel)).length === 0) failures.push(`${probe.source}: selector ${sel} matches nothing`);
        }
        report.push(`${probe.source}: ${samples.length} series${probe.labels.length ? ` with ${probe.labels.join(", ")}` : ""} (${probe.how})`);
      }
      return failures.length === 0 ? true : { retry: `\n${failures.join("\n")}` };
    });
    t.diagnostic(`${report.length} expressions checked after ${Date.now() - started} ms:\n${report.join("\n")}`);
    const active = (await prometheus!.alerts()).filter((a) => a.state !== "inactive");
    assert.deepEqual(active.map((a) => `${a.labels["alertname"]} ${a.state}`), [], "a healthy cluster raises no alert");
  });

  /** Milliseconds until `alertname` fires for series matching `match`, and its rendered summary. */
  async function waitFiring(alertname: string, match: (labels: Record<string, string>) => boolean): Promise<{ ms: number; summary: string }> {
    const since = Date.now();
    const firing = await pollUntil(`${alertname} firing`, FIRE_TIMEOUT_MS, async () => {
      const alerts = await prometheus!.alerts();
      const mine = alerts.filter((a) => a.labels["alertname"] === alertname);
      const firing = mine.find((a) => a.state === "firing" && match(a.labels));
      return firing ?? { retry: JSON.stringify(mine) };
    }, 250);
    // Templates print labels of the real series; a label the series lacks renders as "<no value>".
    for (const [key, text] of Object.entries(firing.annotations)) assert.doesNotMatch(text, /<no value>/, `${alertname} ${key}: ${text}`);
    return { ms: Date.now() - since, summary: firing.annotations["summary"] ?? "" };
  }

  it("NatsSlowConsumers fires when a subscriber stops reading and a publisher floods it", async (t) => {
    const server = plan.servers[0]!;
    assert.equal(plan.auth.mode, "token");
    stalled = await stalledSubscriber(server.host, plan.auth.mode === "token" ? plan.auth.token : "", tls, SLOW_SUBJECT);
    const before = (await varz(server.monitorUrl)).slow_consumers as number;
    const payload = new Uint8Array(64 * 1024);
    const cause = Date.now();
    // max_pending is 64MB by default: a few hundred MB at most, checked after every 4 MB.
    await pollUntil("the server to flag a slow consumer", 20_000, async () => {
      for (let i = 0; i < 64; i++) nc!.publish(SLOW_SUBJECT, payload);
      await nc!.flush();
      const now = (await varz(server.monitorUrl)).slow_consumers as number;
      return now > before ? now : { retry: `slow_consumers still ${now}` };
    }, 1);
    const { ms, summary } = await waitFiring("NatsSlowConsumers", (l) => l["pod"] === server.pod);
    t.diagnostic(`NatsSlowConsumers firing ("${summary}") ${ms} ms after the server flagged it (${Date.now() - cause} ms after the flood began)`);
  });

  it("NatsJetStreamStorageNearLimit fires when a stream fills the file store", async (t) => {
    const ratio = plan.model.spec.monitoring.alerts.storageRatio;
    const payload = new Uint8Array(64 * 1024);
    const subject = `${STREAM.toLowerCase()}.data`;
    const cause = Date.now();
    // Past the ratio on every replica (R3), with a margin, and short of the limit where publishes fail.
    const target = Math.min(ratio + 0.06, 0.95);
    await pollUntil(`file storage above ${target} of max_file_store on every server`, 30_000, async () => {
      const used = await Promise.all(plan.servers.map(async (s) => {
        const v = await varz(s.monitorUrl);
        return v.jetstream.stats.storage / v.jetstream.config.max_storage;
      }));
      if (used.every((u) => u >= target)) return true;
      if (Math.max(...used) < target) {
        for (let i = 0; i < 8; i++) nc!.publish(subject, payload);
        await nc!.flush();
      }
      return { retry: `used ${used.map((u) => u.toFixed(3)).join(", ")}` };
    }, 50);
    const { ms, summary } = await waitFiring("NatsJetStreamStorageNearLimit", (l) => plan.model.pods.includes(l["pod"] ?? ""));
    t.diagnostic(`NatsJetStreamStorageNearLimit firing ("${summary}") ${ms} ms after the store passed ${target.toFixed(2)} (${Date.now() - cause} ms after filling began)`);
  });

  it("NatsJetStreamMetaLeaderNotOne fires when 2 of 3 servers die (meta quorum lost)", async (t) => {
    const leader = await cluster!.waitMetaLeader(15_000);
    const survivor = plan.model.pods.find((p) => p !== leader)!;
    // SIGKILL: a graceful stop could hand leadership to the survivor, which then holds it until it notices the lost quorum.
    for (const pod of plan.model.pods.filter((p) => p !== survivor && p !== leader)) await cluster!.kill(pod, "SIGKILL");
    await cluster!.kill(leader, "SIGKILL");
    const { ms, summary } = await waitFiring("NatsJetStreamMetaLeaderNotOne", () => true);
    const firing = (await prometheus!.alerts()).find((a) => a.labels["alertname"] === "NatsJetStreamMetaLeaderNotOne" && a.state === "firing");
    assert.equal(Number(firing?.value), 0, "0 meta leaders");
    t.diagnostic(`NatsJetStreamMetaLeaderNotOne firing ("${summary}") ${ms} ms after killing ${leader} (leader) and the third server; ${survivor} survives`);
    // The exporters of the dead servers still answer and keep serving those servers' last varz values; the
    // dashboard's server count must see through that.
    const reporting = (await probes()).find((p) => p.source.endsWith("/ Servers reporting / A"));
    assert.ok(reporting, "the server dashboard has a Servers reporting panel");
    await pollUntil("Servers reporting = 1", 10_000, async () => {
      const v = (await prometheus!.query(reporting.expr)).map((x) => x.value);
      return v.length === 1 && v[0] === 1 ? true : { retry: `Servers reporting: ${v}` };
    });
    const others = (await prometheus!.alerts()).filter((a) => a.state === "firing").map((a) => `${a.labels["alertname"]}${a.labels["pod"] ? ` ${a.labels["pod"]}` : ""}${a.labels["stream_name"] ? ` ${a.labels["stream_name"]}` : ""}`);
    t.diagnostic(`firing at the end: ${others.sort().join(", ")}; whole run ${Date.now() - started} ms`);
  });
});

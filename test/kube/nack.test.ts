// The real NACK controller (the jetstream-controller binary of the version natskube renders) on the
// local control plane, reconciling the rendered resources into a real NATS cluster.
//
// One cluster and one controller for the whole file (the kube tier must stay quick on 2 cores):
// test/fixtures/kube/nack.yaml is rendered once for Kubernetes (applied to the API server) and once
// for loopback (booted by the verify machinery on 127.0.11.x, same token and TLS, client certificates
// required). The controller plays the NACK pod's container: started once kwok reports the pod Running, with the rendered
// command, arguments, working directory, env and mounted Secret files, stopped (SIGTERM, the grace
// period of the pod) as soon as the pod is deleted, as the kubelet does. Only the connection details
// differ from the pod: the NATS URL and the Account's servers are the loopback servers, the health
// endpoint listens on a loopback address, mounts are folders of a temporary directory, and the API
// server is reached through a kubeconfig holding a token of the rendered ServiceAccount (in a pod, the
// same token is mounted), so the rendered Role is what authorises the controller. The token and the
// NATS token are written to files and the API server, never to an argument, and the test checks the
// controller's log holds neither.
//
// The cluster's StatefulSet also serves one check of plan: the "all servers Ready" step it puts
// before every rolling restart fails, on the real API server, while one server is not Ready.
//
// What no container runtime means here: the controller-runtime metrics server of the binary listens
// on :8080 (all addresses; NACK has no flag for it), so nothing else on the machine may hold port
// 8080 while this file runs (scripts/test.sh runs the integration tier, whose WebSocket servers use
// 8080, after the kube tier).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { parse, stringify } from "yaml";
import { parseGoDuration } from "../../src/nats/durations.js";
import { parseText, renderParsed } from "../../src/pipeline.js";
import { buildPlan, sideFromRendered } from "../../src/plan/index.js";
import { connectTo, type ClientAccess } from "../../src/verify/clients.js";
import { startLocalCluster, type LocalCluster } from "../../src/verify/local-cluster.js";
import { buildLocalPlan, type LocalPlan } from "../../src/verify/local-plan.js";
import { localServerSpecs } from "../../src/verify/server-specs.js";
import { makeTlsMaterial, type TlsMaterial } from "../../src/verify/tls-files.js";
import { ROOT } from "../support/cli.js";
import { controlPlaneDown, controlPlaneUp, getJson, KUBECONFIG, kubectl, kubectlOk, recycleStorage, waitFor, watchLines } from "../support/control-plane.js";
import { startFormed } from "../support/local.js";
import { startProcess, type Managed } from "../support/processes.js";
import { nackControllerBin, natsServerOf } from "../support/tools.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; deletionTimestamp?: string; finalizers?: string[]; generation?: number };
  spec?: Any;
  status?: Any;
}

const FIXTURE = "test/fixtures/kube/nack.yaml";
const USERS_FIXTURE = "test/fixtures/kube/nack-users.yaml";
/** This file's loopback range (other suites use 127.0.0-6.x; the control plane 127.0.10.1). */
const FIRST_SERVER = "127.0.11.2";
const HEALTH_HOST = "127.0.11.10";
const USERS_FIRST_SERVER = "127.0.11.30";
const WAIT_MS = 60_000;
const LIMIT = { timeout: 4 * WAIT_MS };
const JETSTREAM_KINDS = ["Account", "Stream", "Consumer", "KeyValue", "ObjectStore"];
const crType = (kind: string) => `${kind.toLowerCase()}s.jetstream.nats.io`;

// ------------------------------------------------------------------ the render, both topologies

function renderFixture(text: string, file = FIXTURE) {
  const result = parseText(text, file);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  assert.deepEqual(errors, [], `${file} is invalid`);
  const parsed = result.parsed[0]!;
  const kube = renderParsed(parsed)!;
  return { parsed, objects: kube.objects as unknown as Obj[], model: kube.model };
}

interface Container {
  command: string[];
  args: string[];
  workingDir: string;
  env: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  volumeMounts: { name: string; mountPath: string }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet: { path: string; port: string } };
  readinessProbe?: { httpGet: { path: string; port: string } };
}
type PodVolume = { name: string; emptyDir?: object; secret?: { secretName: string; items: { key: string; path: string }[] } };

/** A manifest of this file, rendered for Kubernetes, and its NACK pod's container as rendered. */
function loadCase(file: string) {
  const text = readFileSync(join(ROOT, file), "utf8");
  const rendered = renderFixture(text, file);
  const deployment = rendered.objects.find((o) => o.kind === "Deployment" && o.metadata.name.endsWith("-nack"))!;
  const podSpec = deployment.spec.template.spec;
  return { file, text, ...rendered, ns: rendered.model.namespace, deployment, container: podSpec.containers[0] as Container, volumes: podSpec.volumes as PodVolume[] };
}
type NackCase = ReturnType<typeof loadCase>;

const tokenCase = loadCase(FIXTURE);
const fixtureText = tokenCase.text;
const fixture = tokenCase;
const NS = tokenCase.ns;
const nackDeployment = tokenCase.deployment;
const container = tokenCase.container;

/** The objects as applied in the test: the Account's servers are the loopback servers (a connection detail). */
function forLoopback(objects: readonly Obj[], plan: LocalPlan): Obj[] {
  return objects.map((o) => (o.kind === "Account" ? { ...o, spec: { ...o.spec, servers: plan.servers.map((s) => s.clientUrl) } } : o));
}
const yamlOf = (objects: readonly Obj[]) => objects.map((o) => stringify(o)).join("---\n");

const apply = (objects: readonly Obj[]) => kubectlOk(["apply", "--server-side", "--field-manager=natskube", "--validate=strict", "-f", "-"], yamlOf(objects));

function live(o: Obj): Obj | undefined {
  const r = kubectl(["get", o.kind === "Deployment" ? "deployment.apps" : JETSTREAM_KINDS.includes(o.kind) ? crType(o.kind) : o.kind, "-n", o.metadata.namespace ?? NS, o.metadata.name, "-o", "json"]);
  if (r.code !== 0) {
    if (/NotFound/.test(r.stderr)) return undefined;
    throw new Error(`kubectl get ${o.kind}/${o.metadata.name}: ${r.stderr}`);
  }
  return JSON.parse(r.stdout) as Obj;
}

const readyCondition = (o: Obj | undefined) => (o?.status?.conditions as { type: string; status: string; message?: string }[] | undefined)?.find((c) => c.type === "Ready");

/** Every JetStream resource of `objects` Ready (the controller's own condition) at its current generation. */
async function waitReconciled(objects: readonly Obj[], what: string): Promise<void> {
  const crs = objects.filter((o) => JETSTREAM_KINDS.includes(o.kind) && o.kind !== "Account");
  await waitFor(
    what,
    WAIT_MS,
    () => (crs.every((o) => readyCondition(live(o))?.status === "True") ? true : undefined),
    () => crs.map((o) => `${o.kind}/${o.metadata.name}: ${JSON.stringify(readyCondition(live(o)))}`).join("\n") + `\ncontroller log:\n${controllerLog()}`,
  );
}

// ------------------------------------------------------------------ server read-back: every field

const ns = (d: string) => {
  const v = parseGoDuration(d);
  assert.ok(v !== undefined, `Go duration ${d}`);
  return v;
};
type FieldMap = Record<string, [serverField: string, convert?: (v: Any) => unknown]>;
/** CR spec field -> the server's config field. A CR field in neither this table nor NOT_ON_SERVER fails the test. */
const STREAM_FIELDS: FieldMap = {
  name: ["name"],
  description: ["description"],
  subjects: ["subjects"],
  storage: ["storage"],
  replicas: ["num_replicas"],
  retention: ["retention"],
  maxAge: ["max_age", ns],
  maxBytes: ["max_bytes"],
  maxMsgs: ["max_msgs"],
  maxMsgSize: ["max_msg_size"],
  maxMsgsPerSubject: ["max_msgs_per_subject"],
  maxConsumers: ["max_consumers"],
  discard: ["discard"],
  duplicateWindow: ["duplicate_window", ns],
  denyDelete: ["deny_delete"],
  allowRollup: ["allow_rollup_hdrs"],
};
const CONSUMER_FIELDS: FieldMap = {
  durableName: ["durable_name"],
  description: ["description"],
  deliverPolicy: ["deliver_policy"],
  optStartSeq: ["opt_start_seq"],
  ackPolicy: ["ack_policy"],
  ackWait: ["ack_wait", ns],
  maxDeliver: ["max_deliver"],
  maxAckPending: ["max_ack_pending"],
  maxWaiting: ["max_waiting"],
  filterSubject: ["filter_subject"],
  filterSubjects: ["filter_subjects"],
  deliverSubject: ["deliver_subject"],
  deliverGroup: ["deliver_group"],
  replayPolicy: ["replay_policy"],
  replicas: ["num_replicas"],
  memStorage: ["mem_storage"],
};
// A KV bucket and an object store are streams (KV_<bucket>, OBJ_<bucket>).
const KV_FIELDS: FieldMap = {
  bucket: ["name", (b: string) => `KV_${b}`],
  description: ["description"],
  history: ["max_msgs_per_subject"],
  ttl: ["max_age", ns],
  maxValueSize: ["max_msg_size"],
  maxBytes: ["max_bytes"],
  storage: ["storage"],
  replicas: ["num_replicas"],
};
const OBJECT_STORE_FIELDS: FieldMap = {
  bucket: ["name", (b: string) => `OBJ_${b}`],
  description: ["description"],
  ttl: ["max_age", ns],
  maxBytes: ["max_bytes"],
  storage: ["storage"],
  replicas: ["num_replicas"],
};
/**
 * Not server configuration: `account` is how the controller connects (used by every resource, so a
 * wrong one fails every read-back), `preventDelete` what deleting the resource does (its own test),
 * `streamName` the consumer's stream (it is read from that stream).
 */
const NOT_ON_SERVER = new Set(["account", "preventDelete", "streamName"]);
const FIELDS: Record<string, FieldMap> = { Stream: STREAM_FIELDS, Consumer: CONSUMER_FIELDS, KeyValue: KV_FIELDS, ObjectStore: OBJECT_STORE_FIELDS };

async function serverConfig(jsm: JetStreamManager, cr: Obj): Promise<Record<string, unknown> | undefined> {
  const s = cr.spec;
  const name = cr.kind === "Stream" ? s.name : cr.kind === "KeyValue" ? `KV_${s.bucket}` : cr.kind === "ObjectStore" ? `OBJ_${s.bucket}` : undefined;
  try {
    if (cr.kind === "Consumer") return (await jsm.consumers.info(s.streamName, s.durableName)).config as unknown as Record<string, unknown>;
    return (await jsm.streams.info(name!)).config as unknown as Record<string, unknown>;
  } catch (e) {
    if (/not found/i.test((e as Error).message)) return undefined;
    throw e;
  }
}

/** Differences between the CR's spec and the server's configuration, one line each (empty: equal). */
function differences(cr: Obj, config: Record<string, unknown>): string[] {
  const table = FIELDS[cr.kind]!;
  const out: string[] = [];
  for (const [field, value] of Object.entries(cr.spec as Record<string, unknown>)) {
    if (NOT_ON_SERVER.has(field)) continue;
    const entry = table[field];
    if (!entry) {
      out.push(`${cr.kind}.spec.${field}: rendered, but this test does not know its server field (add it to the table)`);
      continue;
    }
    const [serverField, convert] = entry;
    const expected = convert ? convert(value) : value;
    if (JSON.stringify(config[serverField]) !== JSON.stringify(expected))
      out.push(`${cr.kind}/${cr.metadata.name} spec.${field}=${JSON.stringify(value)}: server ${serverField}=${JSON.stringify(config[serverField])}, expected ${JSON.stringify(expected)}`);
  }
  return out;
}

async function compareAll(jsm: JetStreamManager, crs: readonly Obj[]): Promise<string[]> {
  const out: string[] = [];
  for (const cr of crs.filter((o) => FIELDS[o.kind])) {
    const config = await serverConfig(jsm, cr);
    if (!config) out.push(`${cr.kind}/${cr.metadata.name}: not on the server`);
    else out.push(...differences(cr, config));
  }
  return out;
}

async function waitSame(jsm: JetStreamManager, crs: readonly Obj[], what: string): Promise<void> {
  let last: string[] = [];
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    last = await compareAll(jsm, crs);
    if (last.length === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`${what}:\n${last.join("\n")}\ncontroller log:\n${controllerLog()}`);
}

// ------------------------------------------------------------------ the controller, as the pod runs it

let controller: Managed | undefined;
const secretsToHide: string[] = [];
const controllerLog = () => {
  let text = controller?.logs() ?? "(not started)";
  for (const s of secretsToHide) text = text.split(s).join("<secret>");
  return text.split("\n").slice(-30).join("\n");
};

/** A kubeconfig with a token of the rendered ServiceAccount: what the pod's mounted token gives it. */
function serviceAccountKubeconfig(dir: string, serviceAccount: string, ns: string): { path: string; token: string } {
  const admin = parse(readFileSync(KUBECONFIG, "utf8")) as { clusters: { cluster: { server: string; "certificate-authority": string } }[] };
  const token = kubectlOk(["create", "token", serviceAccount, "-n", ns, "--duration=1h"]).trim();
  const cluster = admin.clusters[0]!.cluster;
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "local", cluster: { server: cluster.server, "certificate-authority": cluster["certificate-authority"] } }],
    users: [{ name: serviceAccount, user: { token } }],
    contexts: [{ name: "pod", context: { cluster: "local", user: serviceAccount, namespace: ns } }],
    "current-context": "pod",
  };
  const path = join(dir, "sa.kubeconfig");
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return { path, token };
}

/**
 * The container's arguments with the connection details pointed at loopback; everything else as
 * rendered. Returns the arguments and which rendered ones were changed.
 */
function localArgs(c: NackCase, podRoot: string, plan: LocalPlan): { args: string[]; changed: string[] } {
  const changed: string[] = [];
  const args = c.container.args.map((a) => {
    let out = a;
    if (a.startsWith("-s=")) out = `-s=${plan.servers.map((s) => s.clientUrl).join(",")}`;
    else if (a.startsWith("--health-probe-bind-address=")) out = `--health-probe-bind-address=${HEALTH_HOST}${a.slice(a.lastIndexOf(":"))}`;
    else for (const m of c.container.volumeMounts) if (a.includes(`=${m.mountPath}/`)) out = a.replace(`=${m.mountPath}/`, `=${join(podRoot, m.mountPath)}/`);
    if (out !== a) changed.push(a);
    return out;
  });
  return { args, changed };
}

/** The pod's volumes as folders: emptyDirs empty, Secret volumes with their items, from the Secrets in the API server. */
function mountVolumes(c: NackCase, podRoot: string): void {
  for (const m of c.container.volumeMounts) {
    const dir = join(podRoot, m.mountPath);
    mkdirSync(dir, { recursive: true });
    const v = c.volumes.find((x) => x.name === m.name)!;
    if (!v.secret) continue;
    const data = getJson<{ data: Record<string, string> }>(["secret", "-n", c.ns, v.secret.secretName]).data;
    for (const item of v.secret.items) writeFileSync(join(dir, item.path), Buffer.from(data[item.key]!, "base64"), { mode: 0o600 });
  }
}

interface ControllerPod {
  podName: string;
  /** The rendered arguments the test changed (connection details). */
  changedArgs: string[];
  stopWatch(): void;
  /** Resolves once the pod is deleted and the controller stopped: its last log line, and whether it stopped within the grace period. */
  gone: Promise<{ lastLine: string; graceful: boolean } | undefined>;
}

/**
 * The NACK pod, Running on a kwok node: its container starts now, as the kubelet would start it (rendered
 * command, arguments, working directory, env, mounted Secret files, the ServiceAccount's token), and is
 * stopped (SIGTERM, SIGKILL after the grace period) when the pod is deleted.
 */
async function startControllerPod(c: NackCase, plan: LocalPlan, dir: string): Promise<ControllerPod> {
  const selector = Object.entries(c.deployment.spec.selector.matchLabels as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(",");
  const pod = await waitFor(`the NACK pod Running`, WAIT_MS, () => getJson<{ items: Obj[] }>(["pods", "-n", c.ns, "-l", selector]).items.find((p) => p.status?.phase === "Running"));
  const podName = pod.metadata.name;

  const podRoot = join(dir, "pod");
  mountVolumes(c, podRoot);
  const sa = serviceAccountKubeconfig(dir, c.deployment.spec.template.spec.serviceAccountName as string, c.ns);
  secretsToHide.push(sa.token);
  const local = localArgs(c, podRoot, plan);
  const fieldValue: Record<string, string> = { "metadata.name": podName, "metadata.namespace": c.ns };
  const env: Record<string, string> = { KUBECONFIG: sa.path };
  for (const e of c.container.env) env[e.name] = fieldValue[e.valueFrom?.fieldRef?.fieldPath ?? ""] ?? "";
  assert.deepEqual(c.container.command, ["/jetstream-controller"]);
  const running = startProcess("jetstream-controller", nackControllerBin(), local.args, { cwd: join(podRoot, c.container.workingDir), env });
  controller = running;

  // The kubelet's part: SIGTERM when the pod is deleted, SIGKILL after its grace period.
  const grace = (c.deployment.spec.template.spec.terminationGracePeriodSeconds as number) * 1000;
  const watch = watchLines(["pods", "-n", c.ns, "--field-selector", `metadata.name=${podName}`], '{.type} {.object.metadata.deletionTimestamp}{"\\n"}', 20 * 60_000);
  let watching = true;
  const gone = (async () => {
    while (watching && running.running) {
      if (watch.lines().some((l) => l.startsWith("DELETED") || /^MODIFIED \S/.test(l))) {
        const started = Date.now();
        await running.stop(grace);
        const tail = running.logs().split("\n").filter(Boolean).at(-1) ?? "";
        return { lastLine: tail, graceful: Date.now() - started < grace };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  })();
  return {
    podName,
    changedArgs: local.changed,
    stopWatch: () => {
      watching = false;
      watch.stop();
    },
    gone,
  };
}

// ------------------------------------------------------------------ the suite

describe("the real NACK controller on the local control plane", () => {
  let startedHere = false;
  let dir = "";
  let plan: LocalPlan;
  let tls: TlsMaterial;
  let cluster: LocalCluster | undefined;
  let nc: NatsConnection | undefined;
  let jsm: JetStreamManager;
  let applied: Obj[] = [];
  let changedArgs: string[] = [];
  let pod: ControllerPod | undefined;

  before(async () => {
    ({ startedHere } = controlPlaneUp());
    dir = mkdtempSync(join(tmpdir(), "natskube-nack-"));
    await deleteNamespace();
    createNamespace();

    // The loopback cluster: same render, same token, TLS from a throwaway CA.
    plan = buildLocalPlan(fixture.parsed, { firstAddress: FIRST_SERVER });
    tls = await makeTlsMaterial(plan.tls!, plan.servers.map((s) => s.host), join(dir, "tls"));
    const formed = await startFormed(localServerSpecs(plan, tls), { bin: natsServerOf(fixture.model.spec.image.tag.replace(/-.*$/, "")), workDir: dir }, WAIT_MS);
    cluster = formed.cluster;
    const access: ClientAccess = { auth: plan.auth, tls: tls.client, timeoutMs: 10_000 };
    nc = await connectTo(plan.servers.map((s) => s.clientUrl), access, { reconnect: true });
    jsm = await jetstreamManager(nc);

    // What the user (auth Secret) and cert-manager (TLS Secrets) would have put in the namespace.
    const auth = plan.model.spec.auth;
    assert.equal(auth.mode, "TOKEN");
    const token = plan.auth.mode === "token" ? plan.auth.token : "";
    secretsToHide.push(token);
    // The files the servers got, by what they hold: the Secret cert-manager would have written.
    const byKind = Object.fromEntries(Object.entries(plan.tls!.files).map(([path, kind]) => [kind, tls.serverFiles[path]!]));
    const tlsFiles = { "tls.crt": byKind["cert"], "tls.key": byKind["key"], "ca.crt": readFileSync(tls.caFile, "utf8") };
    // The servers require a client certificate (tls.verifyClients): the Secret of natskube's client Certificate.
    const client = plan.model.tls?.client;
    assert.ok(plan.model.tls?.verifyClients && client?.issued, "the fixture requires client certificates and natskube issues the controller's");
    const clientFiles = { "tls.crt": readFileSync(tls.client.certFile, "utf8"), "tls.key": readFileSync(tls.client.keyFile, "utf8"), "ca.crt": readFileSync(tls.caFile, "utf8") };
    kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], yamlOf([
      { apiVersion: "v1", kind: "Secret", metadata: { name: plan.model.names.authSecret, namespace: NS }, stringData: { [auth.tokenKey]: token } } as unknown as Obj,
      { apiVersion: "v1", kind: "Secret", metadata: { name: plan.model.names.tlsSecret, namespace: NS }, type: "kubernetes.io/tls", stringData: tlsFiles } as unknown as Obj,
      { apiVersion: "v1", kind: "Secret", metadata: { name: client.secretName, namespace: NS }, type: "kubernetes.io/tls", stringData: clientFiles } as unknown as Obj,
    ]));

    // Everything natskube rendered, in its order.
    applied = forLoopback(fixture.objects, plan);
    apply(applied);

    pod = await startControllerPod(tokenCase, plan, dir);
    changedArgs = pod.changedArgs;
  }, { timeout: 5 * WAIT_MS });

  after(async () => {
    pod?.stopWatch();
    await controller?.stop(5000);
    await nc?.close().catch(() => undefined);
    await cluster?.stop();
    await deleteNamespace();
    rmSync(dir, { recursive: true, force: true });
    if (startedHere) controlPlaneDown();
  }, { timeout: 3 * WAIT_MS });

  it("the controller runs with exactly the rendered arguments, only the connection details pointed at loopback; its probes answer", LIMIT, async () => {
    // Changed: exactly what says where to connect or listen. The rest reached the binary as rendered.
    assert.deepEqual(changedArgs.map((a) => a.replace(/=.*/, "=")).sort(), ["--health-probe-bind-address=", "--tlsca=", "--tlscert=", "--tlskey=", "-s="].sort());
    assert.ok(container.args.includes(`--namespace=${NS}`) && container.args.includes("--control-loop"), `rendered args: ${container.args.join(" ")}`);
    // The rendered probes' paths answer on the rendered port.
    const port = container.ports!.find((p) => p.name === container.readinessProbe!.httpGet.port)!.containerPort;
    assert.ok(container.args.includes(`--health-probe-bind-address=:${port}`), "the health endpoint listens on the probes' port");
    for (const probe of [container.readinessProbe!, container.livenessProbe!]) {
      const url = `http://${HEALTH_HOST}:${port}${probe.httpGet.path}`;
      await until(`${url} answering 200`, async () => ((await httpStatus(url)) === 200 ? true : `status ${await httpStatus(url)}`));
    }
    assert.ok(controller!.running, `the controller exited:\n${controllerLog()}`);
    // The servers ask every client for a certificate, so the controller's connection below is the rendered one's.
    await assert.rejects(connectTo(plan.servers[0]!.clientUrl, { auth: plan.auth, tls: { caFile: tls.caFile } as ClientAccess["tls"], timeoutMs: 5000 }));
  });

  it("reconciles the rendered Stream, Consumer, KeyValue and ObjectStore: the server's configuration equals every field of each", LIMIT, async () => {
    await waitReconciled(applied, "every resource Ready");
    await waitSame(jsm, applied, "the server's configuration differs from the resources");
    const kinds = applied.filter((o) => FIELDS[o.kind]).map((o) => o.kind);
    for (const k of ["Stream", "Consumer", "KeyValue", "ObjectStore"]) assert.ok(kinds.includes(k), `the fixture renders a ${k}`);
  });

  it("a changed Stream (re-rendered, re-applied) changes the stream on the server", LIMIT, async () => {
    const manifest = parse(fixtureText) as { spec: { streams: Record<string, unknown>[] } };
    const orders = manifest.spec.streams[0]!;
    Object.assign(orders, { description: "Orders, kept a day", subjects: ["orders.>", "returns.>"], maxAge: "24h", maxMsgs: 500000, maxConsumers: 32 });
    const changed = forLoopback(renderFixture(stringify(manifest)).objects, plan);
    const before = applied.find((o) => o.kind === "Stream" && o.spec.name === "ORDERS")!;
    const after = changed.find((o) => o.kind === "Stream" && o.spec.name === "ORDERS")!;
    assert.notDeepEqual(after.spec, before.spec);
    apply(changed);
    applied = changed;
    await waitSame(jsm, [after], "ORDERS after the change");
    await waitSame(jsm, applied, "every resource after the change");
  });

  it("deleting a resource: preventDelete keeps the stream (the resource goes); without it the stream goes too; a consumer goes with its resource", LIMIT, async () => {
    const consumer = applied.find((o) => o.kind === "Consumer" && o.spec.durableName === "audit")!;
    const kept = applied.find((o) => o.kind === "Stream" && o.spec.preventDelete === true)!;
    const dropped = applied.find((o) => o.kind === "Stream" && o.spec.preventDelete === false)!;
    for (const o of [consumer, kept, dropped]) kubectlOk(["delete", crType(o.kind), "-n", NS, o.metadata.name, "--wait=true", "--timeout=60s"]);
    for (const o of [consumer, kept, dropped]) assert.equal(live(o), undefined, `${o.kind}/${o.metadata.name} deleted (its finalizer released)`);
    assert.equal(await serverConfig(jsm, consumer), undefined, "the consumer is gone from the server");
    assert.equal(await serverConfig(jsm, dropped), undefined, `${dropped.spec.name} (preventDelete: false) is gone from the server`);
    const still = await serverConfig(jsm, kept);
    assert.ok(still, `${kept.spec.name} (preventDelete: true) is still on the server`);
    assert.deepEqual(differences(kept, still), [], "and unchanged");
    // Applied again, the controller adopts the stream it kept and recreates the others.
    apply(applied);
    await waitReconciled(applied, "every resource Ready again");
    await waitSame(jsm, applied, "after applying again");
  });

  it("the check plan puts before every rolling restart (kubectl wait: all servers Ready) fails while one server is not Ready", LIMIT, async () => {
    // The plan for a new image on this cluster; its first step is the command to run.
    const manifest = parse(fixtureText) as { spec: Record<string, unknown> };
    manifest.spec["image"] = { repository: "nats", tag: "2.15.3-alpine" };
    const newer = renderFixture(stringify(manifest));
    const old = renderParsed(fixture.parsed)!;
    const restart = buildPlan(sideFromRendered("old.yaml", [old]), sideFromRendered("new.yaml", [renderParsed(newer.parsed)!]))
      .objects.flatMap((o) => o.changes)
      .find((c) => c.class === "rolling-restart" && /pod template changed/.test(c.summary))!;
    const command = /: kubectl (wait .*)$/.exec(restart.procedure[0] ?? "")?.[1];
    assert.ok(command, `the plan's first step is a kubectl wait: ${restart.procedure.join("\n")}`);
    const args = command.split(" ").map((a) => (a.startsWith("--timeout=") ? "--timeout=5s" : a));
    const sts = applied.find((o) => o.kind === "StatefulSet")!;
    await waitFor(`${sts.metadata.name}: all pods Ready`, WAIT_MS, () => (getJson<Obj>(["statefulset", "-n", NS, sts.metadata.name]).status?.readyReplicas === sts.spec.replicas ? true : undefined));
    assert.equal(kubectl(args).code, 0, "all servers Ready: the check passes");
    const setReady = (status: "True" | "False") =>
      kubectlOk(["patch", "pod", `${sts.metadata.name}-0`, "-n", NS, "--subresource=status", "--type=strategic", "-p", JSON.stringify({ status: { conditions: [{ type: "Ready", status }, { type: "ContainersReady", status }] } })]);
    setReady("False");
    const down = kubectl(args);
    setReady("True");
    assert.notEqual(down.code, 0, "one server not Ready: the check must fail, so that nothing is applied");
    assert.match(down.stderr, /timed out waiting for the condition on pods\/nats-0/);
  });

  it("deleting in the documented order (JetStream resources, then the rest) leaves nothing Terminating; the controller stops when its pod goes", LIMIT, async () => {
    const file = join(dir, "nats.k8s.yaml");
    writeFileSync(file, yamlOf(applied));
    const instance = fixture.model.labels["app.kubernetes.io/instance"]!;
    // Step 1 (docs/nack.md): the JetStream resources, while the controller runs and releases their finalizers.
    const step1 = kubectl(["delete", "-n", NS, JETSTREAM_KINDS.map(crType).join(","), "-l", `app.kubernetes.io/instance=${instance}`, "--wait=true", "--timeout=90s"]);
    assert.equal(step1.code, 0, `step 1: ${step1.stderr}\n${controllerLog()}`);
    for (const kind of JETSTREAM_KINDS) assert.equal(kubectl(["get", crType(kind), "-n", NS, "-o", "name"]).stdout.trim(), "", `${kind} resources left`);
    // preventDelete: the data stays on the servers.
    for (const o of applied.filter((x) => FIELDS[x.kind] && x.kind !== "Consumer"))
      assert.equal((await serverConfig(jsm, o)) !== undefined, o.spec.preventDelete !== false, `${o.kind}/${o.metadata.name} on the server after step 1`);
    assert.ok(controller!.running, "the controller still runs");

    // Step 2: everything else, in natskube's order.
    const step2 = kubectl(["delete", "-f", file, "--ignore-not-found", "--wait=true", "--timeout=90s"]);
    assert.equal(step2.code, 0, `step 2: ${step2.stderr}`);
    assert.equal(kubectl(["get", "-f", file, "--ignore-not-found", "-o", "name"]).stdout.trim(), "", "objects of the render left");
    const controllerExit = await pod!.gone;
    assert.ok(controllerExit, "the controller was stopped when its pod was deleted");
    assert.ok(controllerExit.graceful, `the controller stopped within the pod's grace period on SIGTERM: ${controllerExit.lastLine}`);
    // Pods and ReplicaSets go a moment after their owners (the garbage collector): Terminating for a
    // while is normal, staying so is not.
    await waitFor("no object Terminating", WAIT_MS, () => (terminating().length === 0 ? true : undefined), () => terminating().join(", "));

    // The controller's log never held the tokens (NATS, ServiceAccount).
    const log = controller!.logs();
    for (const secret of secretsToHide) assert.ok(!log.includes(secret), "a token appears in the controller's log");

    // The Terminating check above is live: a resource whose finalizer nobody releases any more (the
    // controller is gone, as after deleting in the wrong order) stays, until the documented fix.
    const stuck = { ...applied.find((o) => o.kind === "Stream")!, metadata: { ...applied.find((o) => o.kind === "Stream")!.metadata, name: "stuck", finalizers: ["stream.nats.io/finalizer"] } };
    stuck.spec = { ...stuck.spec, name: "STUCK", subjects: ["stuck.>"] };
    apply([stuck]);
    kubectlOk(["delete", crType("Stream"), "-n", NS, "stuck", "--wait=false"]);
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(terminating(), [`Stream/stuck`]);
    kubectlOk(["patch", crType("Stream"), "-n", NS, "stuck", "--type=merge", "-p", '{"metadata":{"finalizers":null}}']);
    await waitFor("the stuck Stream gone after its finalizer is removed", WAIT_MS, () => (terminating().length === 0 && live(stuck) === undefined ? true : undefined));
  });
});

describe("the real NACK controller beside declared accounts: it signs in as nack.user, with the keys its Account names", () => {
  const c = loadCase(USERS_FIXTURE);
  let startedHere = false;
  let dir = "";
  let plan: LocalPlan;
  let cluster: LocalCluster | undefined;
  let pod: ControllerPod | undefined;
  let applied: Obj[] = [];
  const conns: NatsConnection[] = [];
  const as = async (user: string): Promise<JetStreamManager> => {
    const u = plan.users.find((x) => x.user.name === user)!;
    const nc = await connectTo(plan.servers.map((s) => s.clientUrl), { auth: u.auth, timeoutMs: 10_000 });
    conns.push(nc);
    return jetstreamManager(nc);
  };

  before(async () => {
    ({ startedHere } = controlPlaneUp());
    dir = mkdtempSync(join(tmpdir(), "natskube-nack-users-"));
    await deleteNamespace(c.ns);
    createNamespace(c.ns);
    plan = buildLocalPlan(c.parsed, { firstAddress: USERS_FIRST_SERVER });
    // One server: JetStream without a meta group, so healthy is what there is to wait for.
    cluster = await startLocalCluster(localServerSpecs(plan), { bin: natsServerOf(c.model.spec.image.tag.replace(/-.*$/, "")), workDir: dir });
    await cluster.waitHealthy(WAIT_MS);

    // The auth Secret as its user writes it: every password the servers got, and the user name NACK signs in as.
    const auth = c.model.names.authSecret;
    const data: Record<string, string> = Object.fromEntries(c.model.auth.users.map((u) => [u.passwordKey, plan.secrets.get(auth, u.passwordKey)]));
    data[c.model.auth.nack!.userKey] = c.model.auth.nack!.user.name;
    secretsToHide.push(...c.model.auth.users.map((u) => data[u.passwordKey]!));
    kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], yamlOf([{ apiVersion: "v1", kind: "Secret", metadata: { name: auth, namespace: c.ns }, stringData: data } as unknown as Obj]));

    applied = forLoopback(c.objects, plan);
    apply(applied);
    pod = await startControllerPod(c, plan, dir);
  }, { timeout: 5 * WAIT_MS });

  after(async () => {
    pod?.stopWatch();
    await controller?.stop(5000);
    for (const nc of conns) await nc.close().catch(() => undefined);
    await cluster?.stop();
    await deleteNamespace(c.ns);
    rmSync(dir, { recursive: true, force: true });
    if (startedHere) controlPlaneDown();
  }, { timeout: 3 * WAIT_MS });

  it("the Account names the auth Secret's nack-user and nack keys; every resource becomes Ready, created in account apps and only there", LIMIT, async () => {
    const account = applied.find((o) => o.kind === "Account")!;
    assert.deepEqual(account.spec.user, { secret: { name: c.model.names.authSecret }, user: "nack-user", password: "nack" });
    assert.equal(account.spec.token, undefined);
    await waitReconciled(applied, "every resource Ready");
    // Seen from account apps (as orders, who uses them): every field as rendered.
    const apps = await as("orders");
    await waitSame(apps, applied, "account apps: the server's configuration differs from the resources");
    // Seen from account billing: none of them.
    const billing = await as("invoicer");
    const names: string[] = [];
    for await (const si of billing.streams.list()) names.push(si.config.name);
    assert.deepEqual(names, [], "account billing holds no stream");
    // The controller's log holds no password.
    const log = controller!.logs();
    for (const secret of secretsToHide) assert.ok(!log.includes(secret), "a password appears in the controller's log");
  });

  it("with a wrong user name under nack-user, the controller is refused and says so on the resources; put right, they reconcile", LIMIT, async () => {
    const auth = c.model.names.authSecret;
    const stream = applied.find((o) => o.kind === "Stream")!;
    kubectlOk(["patch", "secret", auth, "-n", c.ns, "--type=merge", "-p", JSON.stringify({ stringData: { "nack-user": "invoicer" } })]);
    const changed = { ...stream, spec: { ...stream.spec, description: "changed while the Secret is wrong" } };
    apply([changed]);
    await waitFor(
      "the Stream not Ready, with the server's refusal",
      WAIT_MS,
      () => {
        const ready = readyCondition(live(changed));
        return ready?.status === "False" && /authorization/i.test(ready.message ?? "") ? true : undefined;
      },
      () => `${JSON.stringify(readyCondition(live(changed)))}\ncontroller log:\n${controllerLog()}`,
    );
    kubectlOk(["patch", "secret", auth, "-n", c.ns, "--type=merge", "-p", JSON.stringify({ stringData: { "nack-user": "nack" } })]);
    await waitReconciled([changed], "the Stream Ready again once the Secret is right");
    await waitSame(await as("orders"), [changed], "the changed description on the server");
  });
});

/** Objects of the namespace marked for deletion and still there. */
function terminating(): string[] {
  const types = ["pods", "deployments.apps", "replicasets.apps", "statefulsets.apps", "services", "configmaps", "secrets", "serviceaccounts", "roles.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io", ...JETSTREAM_KINDS.map(crType)];
  const list = getJson<{ items: Obj[] }>([types.join(","), "-n", NS]);
  return list.items.filter((o) => o.metadata.deletionTimestamp).map((o) => `${o.kind}/${o.metadata.name}`);
}

async function httpStatus(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status;
  } catch {
    return 0;
  }
}

/** Polls the async `probe` every 500 ms until it returns true; fails after WAIT_MS with its last answer. */
async function until(what: string, probe: () => Promise<true | string>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let last = "";
  while (Date.now() < deadline) {
    const r = await probe();
    if (r === true) return;
    last = r;
    await new Promise((res) => setTimeout(res, 500));
  }
  assert.fail(`timed out waiting for ${what}: ${last}\n${controllerLog()}`);
}

function createNamespace(ns = NS): void {
  const namespace = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: ns,
      labels: {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
      },
    },
  };
  kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], JSON.stringify(namespace));
}

async function deleteNamespace(ns = NS): Promise<void> {
  // A failed run may leave resources whose finalizer nobody releases now (no controller runs): strip
  // them, so that the namespace can go (that run has already failed, and said why).
  for (const kind of JETSTREAM_KINDS) {
    const left = kubectl(["get", crType(kind), "-n", ns, "-o", "name"]).stdout.split("\n").filter(Boolean);
    for (const name of left) kubectl(["patch", name, "-n", ns, "--type=merge", "-p", '{"metadata":{"finalizers":null}}']);
  }
  kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]);
  await waitFor(`namespace ${ns} to be gone`, 120_000, () => (kubectl(["get", "namespace", ns]).code !== 0 ? true : undefined), () => kubectl(["get", "namespace", ns, "-o", "jsonpath={.status}"]).stdout);
  recycleStorage();
}


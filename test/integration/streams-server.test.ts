// The JetStream resources a spec declares, created on a real 3-node cluster exactly as the NACK
// resources describe them (the configuration NACK would send), and what validation rejects that
// the server rejects too, on the nats-server version this run targets (each version of the matrix
// in turn): the manifests name that version as their image, so validation and server judge alike.
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { jetstreamManager, type ConsumerConfig, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { PORTS } from "../../src/model/model.js";
import { consumerConfig, keyValueOptions, objectStoreOptions, streamConfig } from "../../src/nack/crd-to-api.js";
import type { ConsumerCrSpec, KeyValueCrSpec, ObjectStoreCrSpec, StreamCrSpec } from "../../src/nack/crd-types.js";
import type { KubeObject } from "../../src/render/object.js";
import { serverRefuses, type Behaviour } from "../../src/nats/server-versions.js";
import { retry } from "../../src/verify/checks.js";
import { natsServerVersion } from "../../src/verify/server-version.js";
import { answered } from "../support/jetstream.js";
import { bootPods, defer } from "../support/local.js";
import { diagnosticsOf, manifest, render } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";

const bin = natsServerBin();
/** The running server's version, also the image tag of every manifest here. */
const version = await natsServerVersion(bin);
const IMAGE = { image: { tag: `${version}-alpine` } };
const HOSTS = ["127.0.14.2", "127.0.14.3", "127.0.14.4"];
const MiB = 2 ** 20;
type Named = Partial<StreamConfig> & { name: string };

/** 3 servers with 1Gi volumes (921Mi file store each) and a 1Gi memory limit (256Mi memory store each). */
const CLUSTER = {
  ...IMAGE,
  replicas: 3,
  resources: { limits: { memory: "1Gi" } },
  jetstream: { persistence: { mode: "FILE", size: "1Gi" } },
  nack: { enabled: true, controlLoop: true },
};
const DECLARED = {
  ...CLUSTER,
  streams: [
    {
      name: "ORDERS",
      subjects: ["orders.>"],
      maxAge: "168h",
      maxBytes: 100 * MiB,
      maxMsgs: 100000,
      maxMsgSize: 65536,
      maxMsgsPerSubject: 100,
      discard: "new_msgs",
      duplicateWindow: "2m",
      denyDelete: true,
      allowRollup: true,
      consumers: [
        { durableName: "pull_worker", filterSubject: "orders.created", ackWait: "45s", maxDeliver: 5, maxAckPending: 100, maxWaiting: 64 },
        { durableName: "push", deliverSubject: "deliver.orders", deliverGroup: "workers", deliverPolicy: "new_msgs", ackPolicy: "all", replayPolicy: "original" },
        { durableName: "latest", deliverPolicy: "lastPerSubject", filterSubject: "orders.*" },
        { durableName: "from-seq", deliverPolicy: "byStartSequence", optStartSeq: 1, ackPolicy: "none" },
      ],
    },
    { name: "EVENTS", subjects: ["events.*"], storage: "memory", replicas: 1, retention: "interest", maxAge: "30s", consumers: [{ durableName: "audit" }] },
    {
      name: "JOBS",
      subjects: ["jobs.>"],
      retention: "workqueue",
      consumers: [
        { durableName: "us", filterSubject: "jobs.us.>" },
        { durableName: "eu", filterSubject: "jobs.eu.>" },
      ],
    },
  ],
  keyValues: [{ bucket: "config", history: 5, ttl: "24h", maxValueSize: 1024, maxBytes: 10 * MiB }],
  objectStores: [{ bucket: "blobs", ttl: "720h", maxBytes: 50 * MiB }],
};

/** The rendered cluster booted as its pods run (bootPods), JetStream ready, and a client of it. */
async function startJetStream(t: TestContext, spec: Record<string, unknown>): Promise<{ nc: NatsConnection; jsm: JetStreamManager; objects: KubeObject[] }> {
  const text = manifest(spec);
  const replicas = render(text).model.pods.length;
  // A single server has no meta group; /healthz says when JetStream is ready.
  const { plan, cluster } = await bootPods(t, text, { bin, firstAddress: HOSTS[0]!, ...(replicas > 1 ? { formedWithinMs: 20_000 } : {}) });
  const hosts = plan.servers.map((s) => s.host);
  if (replicas > 1) await waitMetaPeers(hosts, 20_000);
  else await cluster.waitHealthy(20_000);
  const nc = await connect({ servers: hosts.map((h) => `nats://${h}:4222`), timeout: 5000 });
  defer(t, () => nc.close());
  return { nc, jsm: await jetstreamManager(nc, { timeout: 10_000 }), objects: plan.objects };
}

interface MetaCluster {
  leader?: string;
  cluster_size?: number;
  replicas?: { name: string; current?: boolean; offline?: boolean }[];
}

/**
 * Until the meta leader counts every server as a current peer: 2.10+ elect a leader while a peer
 * still shows offline, and R3 placement then fails with "no suitable peers" for a moment.
 */
async function waitMetaPeers(hosts: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  for (let i = 0; i < timeoutMs / 100 && Date.now() < deadline; i++) {
    const views = await Promise.all(
      hosts.map(async (h) => {
        try {
          const res = await fetch(`http://${h}:${PORTS.monitor}/jsz`, { signal: AbortSignal.timeout(1000) });
          return ((await res.json()) as { meta_cluster?: MetaCluster }).meta_cluster;
        } catch {
          return undefined;
        }
      }),
    );
    // Only the leader's own view counts: followers list the leader among their replicas.
    const leader = views.find((v) => v?.leader !== undefined && v.replicas !== undefined && !v.replicas.some((p) => p.name === v.leader));
    const peers = leader?.replicas ?? [];
    if (views.every((v) => v?.cluster_size === hosts.length) && peers.length === hosts.length - 1 && peers.every((p) => p.current && !p.offline)) return;
    last = JSON.stringify(views.map((v) => [v?.leader, v?.cluster_size, v?.replicas?.map((p) => `${p.name}:${p.current ? "current" : "behind"}${p.offline ? ",offline" : ""}`)]));
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the meta leader did not count ${hosts.length - 1} current peers within ${timeoutMs} ms: ${last}`);
}

const specsOf = <T>(objects: readonly KubeObject[], kind: string) => objects.filter((o) => o.kind === kind).map((o) => o["spec"] as T);

/** Every key asked for comes back from the server with the same value. */
function assertApplied(what: string, asked: object, actual: object): void {
  const got = actual as Record<string, unknown>;
  for (const [k, v] of Object.entries(asked)) assert.deepEqual(got[k], v, `${what}: ${k}`);
}

async function rejected(what: string, attempt: Promise<unknown>, reason: RegExp): Promise<void> {
  await assert.rejects(attempt, (e: Error) => {
    assert.match(e.message, reason, `${what}: server said "${e.message}"`);
    return true;
  }, `${what}: the server accepted it`);
}

describe("a 3-node cluster accepts the JetStream resources as the NACK resources describe them", { timeout: 60_000 }, () => {
  it("streams, consumers, a KV bucket and an object store: replicas, subjects, retention, limits", async (t) => {
    assert.deepEqual(diagnosticsOf(manifest(DECLARED)).filter((d) => d.severity !== "info"), []);
    const { nc, jsm, objects } = await startJetStream(t, DECLARED);

    const streams = specsOf<StreamCrSpec>(objects, "Stream");
    assert.deepEqual(streams.map((s) => [s.name, s.storage, s.replicas]), [["ORDERS", "file", 3], ["EVENTS", "memory", 1], ["JOBS", "file", 3]]);
    for (const s of streams) {
      const cfg = streamConfig(s);
      // Creates are idempotent: retried while 2.10's new meta leader still counts a peer offline for a moment.
      const info = await retry(() => jsm.streams.add(cfg as Named), 10_000);
      assertApplied(`stream ${s.name}`, cfg, info.config);
      assert.equal((info.cluster?.replicas?.length ?? 0) + 1, s.replicas, `stream ${s.name} placed on ${s.replicas} servers`);
    }
    const orders = (await jsm.streams.info("ORDERS")).config;
    assert.equal(orders.retention, "limits");
    assert.equal(orders.discard, "new");
    assert.equal(orders.max_age, 168 * 3600e9);
    assert.equal(orders.max_bytes, 100 * MiB);
    assert.equal((await jsm.streams.info("EVENTS")).config.duplicate_window, 30e9, "a 30s max age brings a 30s duplicate window");
    assert.equal((await jsm.streams.info("JOBS")).config.retention, "workqueue");

    const consumers = specsOf<ConsumerCrSpec>(objects, "Consumer");
    assert.equal(consumers.length, 7);
    for (const c of consumers) {
      const cfg = consumerConfig(c);
      const info = await answered(() => jsm.consumers.add(c.streamName, cfg as Partial<ConsumerConfig>));
      assertApplied(`consumer ${c.streamName}/${c.durableName}`, cfg, info.config);
    }
    const pull = (await jsm.consumers.info("ORDERS", "pull_worker")).config;
    assert.equal(pull.ack_wait, 45e9, "ack wait as written, not NACK's 1ns default");
    assert.equal((await jsm.consumers.info("EVENTS", "audit")).config.ack_wait, 30e9);

    const [kvSpec] = specsOf<KeyValueCrSpec>(objects, "KeyValue");
    // Retried as the streams are: a placement can still find a peer offline for a moment (seen on 2.15.3).
    const kv = await retry(() => new Kvm(nc).create(kvSpec!.bucket, keyValueOptions(kvSpec!)), 10_000);
    const kvStatus = await kv.status();
    assert.deepEqual([kvStatus.replicas, kvStatus.history, kvStatus.ttl, kvStatus.max_bytes, kvStatus.maxValueSize, kvStatus.storage], [3, 5, 24 * 3600e3, 10 * MiB, 1024, "file"]);
    // A new R3 bucket takes writes once its stream has a leader; until then a put has no responder (seen on 2.15).
    await retry(() => kv.put("greeting", "hello"), 10_000);
    assert.equal((await kv.get("greeting"))?.string(), "hello");

    const [osSpec] = specsOf<ObjectStoreCrSpec>(objects, "ObjectStore");
    const os = await retry(() => new Objm(nc).create(osSpec!.bucket, objectStoreOptions(osSpec!)), 10_000);
    const osStatus = await os.status();
    assert.deepEqual([osStatus.replicas, osStatus.ttl, osStatus.storage, osStatus.streamInfo.config.max_bytes], [3, 720 * 3600e9, "file", 50 * MiB]);

    // The resources work: a published order reaches the filtered pull consumer.
    const js = (await import("@nats-io/jetstream")).jetstream(nc);
    await js.publish("orders.created", "o1");
    const m = await (await js.consumers.get("ORDERS", "pull_worker")).next({ expires: 5000 });
    assert.equal(m?.string(), "o1");
    m?.ack();
  });
});

/**
 * A rejection case: the manifest validation refuses, and the request the server refuses. With
 * `behaviour`, whether the server refuses depends on its version (the table in
 * src/nats/server-versions.ts): where it accepts, validation must not call it an error either.
 */
interface Case {
  name: string;
  spec: Record<string, unknown>;
  path: string;
  attempt: (jsm: JetStreamManager) => Promise<unknown>;
  reason: RegExp;
  behaviour?: Behaviour;
}

const refusedHere = (c: Case) => c.behaviour === undefined || serverRefuses(version, c.behaviour);

const S = (o: Partial<StreamCrSpec> & { name: string; subjects: string[] }): Named => streamConfig({ storage: "file", replicas: 3, retention: "limits", discard: "old", ...o }) as Named;
const C = (o: Partial<ConsumerCrSpec> & { durableName: string; streamName: string }): Partial<ConsumerConfig> =>
  consumerConfig({ deliverPolicy: "all", ackPolicy: "explicit", ackWait: "30s", replayPolicy: "instant", ...o }) as Partial<ConsumerConfig>;
const withStream = (stream: Record<string, unknown>) => ({ ...CLUSTER, streams: [{ name: "BASE", subjects: ["base.>"] }, stream] });
const withConsumer = (consumer: Record<string, unknown>, stream: Record<string, unknown> = {}) => ({
  ...CLUSTER,
  streams: [{ name: "BASE", subjects: ["base.>"], ...stream, consumers: [{ durableName: "c", ...consumer }] }],
});
const consumerPath = (f: string) => `spec.streams[0].consumers[0].${f}`;

const CASES: Case[] = [
  { name: "overlapping subjects across streams", spec: withStream({ name: "X", subjects: ["base.*"] }), path: "spec.streams[1].subjects[0]", attempt: (j) => j.streams.add(S({ name: "X", subjects: ["base.*"] })), reason: /overlap/ },
  { name: "overlapping subjects in one stream", spec: withStream({ name: "X", subjects: ["x.*", "x.>"] }), path: "spec.streams[1].subjects[1]", attempt: (j) => j.streams.add(S({ name: "X", subjects: ["x.*", "x.>"] })), reason: /overlaps/ },
  { name: "invalid subject", spec: withStream({ name: "X", subjects: ["x..y"] }), path: "spec.streams[1].subjects[0]", attempt: (j) => j.streams.add(S({ name: "X", subjects: ["x..y"] })), reason: /invalid subject/ },
  { name: "the JetStream API's subjects", spec: withStream({ name: "X", subjects: ["$JS.API.x"] }), path: "spec.streams[1].subjects[0]", attempt: (j) => j.streams.add(S({ name: "X", subjects: ["$JS.API.x"] })), reason: /jetstream api/ },
  { name: "more replicas than servers", spec: withStream({ name: "X", subjects: ["x"], replicas: 4 }), path: "spec.streams[1].replicas", attempt: (j) => j.streams.add(S({ name: "X", subjects: ["x"], replicas: 4 })), reason: /no suitable peers/ },
  { name: "maxBytes above a server's file store", spec: withStream({ name: "X", subjects: ["x"], maxBytes: 1000 * MiB }), path: "spec.streams[1].maxBytes", attempt: (j) => j.streams.add(S({ name: "X", subjects: ["x"], maxBytes: 1000 * MiB })), reason: /insufficient storage/ },
  {
    name: "declared sizes x replicas above the cluster's file store",
    spec: { ...CLUSTER, streams: [{ name: "A", subjects: ["a"], maxBytes: 500 * MiB }, { name: "B", subjects: ["b"], maxBytes: 500 * MiB }] },
    path: "spec.streams[1].maxBytes",
    attempt: async (j) => {
      await j.streams.add(S({ name: "A", subjects: ["a"], maxBytes: 500 * MiB }));
      return j.streams.add(S({ name: "B", subjects: ["b"], maxBytes: 500 * MiB }));
    },
    reason: /insufficient storage/,
    behaviour: "clusterReservation",
  },
  { name: "max age under 100ms", spec: withStream({ name: "X", subjects: ["x"], maxAge: "50ms" }), path: "spec.streams[1].maxAge", attempt: (j) => j.streams.add(S({ name: "X", subjects: ["x"], maxAge: "50ms" })), reason: /max age needs to be >= 100ms/ },
  {
    name: "duplicate window longer than max age",
    spec: withStream({ name: "X", subjects: ["x"], maxAge: "1m", duplicateWindow: "2m" }),
    path: "spec.streams[1].duplicateWindow",
    attempt: (j) => j.streams.add(S({ name: "X", subjects: ["x"], maxAge: "1m", duplicateWindow: "2m" })),
    reason: /duplicates window can not be larger then max age/,
  },
  { name: "filter outside the stream", spec: withConsumer({ filterSubject: "other.x" }), path: consumerPath("filterSubject"), attempt: (j) => j.consumers.add("BASE", C({ durableName: "outside", streamName: "BASE", filterSubject: "other.x" })), reason: /not a valid subset/, behaviour: "filterOutsideStream" },
  {
    name: "several filter subjects",
    spec: withConsumer({ filterSubjects: ["base.a", "base.b"] }),
    path: consumerPath("filterSubjects"),
    attempt: (j) => j.consumers.add("BASE", C({ durableName: "multi", streamName: "BASE", filterSubjects: ["base.a", "base.b"] })),
    reason: /unknown field|filter_subjects|not supported/,
    behaviour: "filterSubjects",
  },
  {
    name: "consumer replicas unlike the stream's on an interest stream",
    spec: withConsumer({ replicas: 1 }, { retention: "interest" }),
    path: consumerPath("replicas"),
    attempt: async (j) => {
      await j.streams.add(S({ name: "INT", subjects: ["int.>"], retention: "interest" }));
      return j.consumers.add("INT", C({ durableName: "c", streamName: "INT", replicas: 1 }));
    },
    reason: /replicas must match interest retention stream/,
    behaviour: "consumerReplicasOnInterest",
  },
  { name: "lastPerSubject without a filter", spec: withConsumer({ deliverPolicy: "lastPerSubject" }), path: consumerPath("deliverPolicy"), attempt: (j) => j.consumers.add("BASE", C({ durableName: "c", streamName: "BASE", deliverPolicy: "lastPerSubject" })), reason: /filter subject is not set/ },
  { name: "byStartSequence without optStartSeq", spec: withConsumer({ deliverPolicy: "byStartSequence" }), path: consumerPath("deliverPolicy"), attempt: (j) => j.consumers.add("BASE", C({ durableName: "c", streamName: "BASE", deliverPolicy: "byStartSequence" })), reason: /start sequence is not set/ },
  { name: "consumer replicas above the stream's", spec: withConsumer({ replicas: 3 }, { replicas: 1 }), path: consumerPath("replicas"), attempt: async (j) => { await j.streams.add(S({ name: "R1", subjects: ["r1"], replicas: 1 })); return j.consumers.add("R1", C({ durableName: "c", streamName: "R1", replicas: 3 })); }, reason: /replica count exceeds parent stream/ },
  { name: "a wildcard deliver subject", spec: withConsumer({ deliverSubject: "d.*" }), path: consumerPath("deliverSubject"), attempt: (j) => j.consumers.add("BASE", C({ durableName: "c", streamName: "BASE", deliverSubject: "d.*" })), reason: /wildcards/ },
  { name: "a deliver subject inside the stream", spec: withConsumer({ deliverSubject: "base.out" }), path: consumerPath("deliverSubject"), attempt: (j) => j.consumers.add("BASE", C({ durableName: "c", streamName: "BASE", deliverSubject: "base.out" })), reason: /cycle/ },
  { name: "maxWaiting on a push consumer", spec: withConsumer({ deliverSubject: "d", maxWaiting: 5 }), path: consumerPath("maxWaiting"), attempt: (j) => j.consumers.add("BASE", C({ durableName: "c", streamName: "BASE", deliverSubject: "d", maxWaiting: 5 })), reason: /push mode can not set max waiting/ },
  {
    name: "maxAckPending without acks on a push consumer",
    spec: withConsumer({ deliverSubject: "d", ackPolicy: "none", maxAckPending: 5 }),
    path: consumerPath("maxAckPending"),
    attempt: (j) => j.consumers.add("BASE", C({ durableName: "c", streamName: "BASE", deliverSubject: "d", ackPolicy: "none", maxAckPending: 5 })),
    reason: /requires ack policy/,
  },
  {
    name: "a workqueue consumer without explicit acks",
    spec: withConsumer({ ackPolicy: "none" }, { retention: "workqueue" }),
    path: consumerPath("ackPolicy"),
    attempt: async (j) => { await j.streams.add(S({ name: "WQ", subjects: ["wq.>"], retention: "workqueue" })); return j.consumers.add("WQ", C({ durableName: "c", streamName: "WQ", ackPolicy: "none" })); },
    reason: /requires ack policy|explicit ack/,
  },
  {
    name: "two unfiltered workqueue consumers",
    spec: { ...CLUSTER, streams: [{ name: "BASE", subjects: ["base.>"], retention: "workqueue", consumers: [{ durableName: "a" }, { durableName: "b" }] }] },
    path: "spec.streams[0].consumers[1].durableName",
    attempt: async (j) => {
      await j.streams.add(S({ name: "WQ2", subjects: ["wq2.>"], retention: "workqueue" }));
      await j.consumers.add("WQ2", C({ durableName: "a", streamName: "WQ2" }));
      return j.consumers.add("WQ2", C({ durableName: "b", streamName: "WQ2" }));
    },
    reason: /multiple non-filtered consumers/,
  },
];

describe("what validation rejects, the server rejects too", { timeout: 90_000 }, () => {
  it(`${CASES.length} cases on one 3-node cluster of nats-server ${version}`, async (t) => {
    for (const c of CASES) {
      const errors = diagnosticsOf(manifest(c.spec)).filter((d) => d.severity === "error");
      if (refusedHere(c)) assert.ok(errors.some((d) => d.path === c.path), `${c.name}: validation has no error at ${c.path}: ${errors.map((d) => `${d.path}: ${d.message}`).join("; ")}`);
      else assert.deepEqual(errors.map((d) => `${d.path}: ${d.message}`), [], `${c.name}: ${version} accepts it, so validation has no error`);
    }
    const { jsm } = await startJetStream(t, { ...CLUSTER });
    // Right after formation the leader may not yet know its peers' free storage ("insufficient storage").
    await retry(() => jsm.streams.add(S({ name: "BASE", subjects: ["base.>"] })), 10_000);
    for (const c of CASES) {
      const attempt = () => answered(() => c.attempt(jsm));
      if (refusedHere(c)) await rejected(c.name, attempt(), c.reason);
      // From 2.14 an over-committed reservation is usually accepted, but refused once the leader has
      // counted the earlier streams' reservations (docs/server-versions.md): either verdict, for its reason.
      else if (c.behaviour === "clusterReservation") await attempt().catch((e: Error) => assert.match(e.message, c.reason, `${c.name}: server said "${e.message}"`));
      else await attempt(); // accepted: a rejection fails the test with the server's own words
    }
  });

  it("file streams on a MEMORY-only server", async (t) => {
    const memory = { ...IMAGE, replicas: 1, jetstream: { persistence: { mode: "MEMORY", size: "256Mi" } }, nack: { enabled: true } };
    const spec = { ...memory, streams: [{ name: "X", subjects: ["x"], storage: "file" }] };
    assert.ok(diagnosticsOf(manifest(spec)).some((d) => d.severity === "error" && d.path === "spec.streams[0].storage"));
    const { jsm } = await startJetStream(t, memory);
    await rejected("file stream", jsm.streams.add(streamConfig({ name: "X", subjects: ["x"], storage: "file", replicas: 1 }) as Named), /insufficient storage|resources/);
    const ok = await jsm.streams.add(streamConfig({ name: "Y", subjects: ["y"], storage: "memory", replicas: 1 }) as Named);
    assert.equal(ok.config.storage, "memory");
  });
});

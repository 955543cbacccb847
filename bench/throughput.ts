// (d) Throughput through the generated configuration (production: 3 servers, TLS, token) against
// a bare nats-server with defaults on the same machine: core publish/subscribe messages per second,
// and acknowledged JetStream publishes per second on R1 and R3 file streams. Loopback only, bounded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectTo, type ClientAccess } from "../src/verify/clients.js";
import type { LocalCluster } from "../src/verify/local-cluster.js";
import { bareSpec, boot, prepareProduction } from "./local.js";
import { rate, type Row } from "./stats.js";

const CORE_MESSAGES = 200_000;
const JS_MESSAGES = 10_000;
const JS_WINDOW = 100;
const PAYLOAD = new Uint8Array(128);
const LIMIT_MS = 60_000;

/** Messages per second from `pub` to a subscriber on `sub`, first publish to last delivery. */
async function corePubSub(pub: NatsConnection, sub: NatsConnection): Promise<{ rate: number; received: number }> {
  const subject = `bench.core.${Math.random().toString(36).slice(2)}`;
  let received = 0;
  let probed = false;
  let done: () => void = () => {};
  const all = new Promise<void>((r) => (done = r));
  const s = sub.subscribe(subject, {
    callback: (_e, m) => {
      if (m.data.length === 0) probed = true;
      else if (++received === CORE_MESSAGES) done();
    },
  });
  await sub.flush();
  // Interest must reach the publisher's server (across the route) before timing starts.
  for (let i = 0; i < 200 && !probed; i++) {
    pub.publish(subject);
    await pub.flush();
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!probed) throw new Error("the subscriber never saw a probe message");
  const t = performance.now();
  for (let i = 0; i < CORE_MESSAGES; i += 1000) {
    for (let j = 0; j < 1000; j++) pub.publish(subject, PAYLOAD);
    await pub.flush();
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise((r) => (timer = setTimeout(r, LIMIT_MS)))]);
  clearTimeout(timer);
  const elapsed = performance.now() - t;
  s.unsubscribe();
  return { rate: (received / elapsed) * 1000, received };
}

/** Acknowledged publishes per second with JS_WINDOW publishes in flight. */
async function jsPublish(nc: NatsConnection, replicas: number): Promise<number> {
  const name = `BENCH_R${replicas}`;
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name, subjects: [`bench.js.r${replicas}`], num_replicas: replicas, storage: "file" } as Parameters<typeof jsm.streams.add>[0]);
  const js = jetstream(nc, { timeout: 10_000 });
  const t = performance.now();
  for (let i = 0; i < JS_MESSAGES; i += JS_WINDOW) {
    await Promise.all(Array.from({ length: JS_WINDOW }, () => js.publish(`bench.js.r${replicas}`, PAYLOAD)));
    if (performance.now() - t > LIMIT_MS) throw new Error(`R${replicas}: ${i} publishes in ${LIMIT_MS} ms`);
  }
  const elapsed = performance.now() - t;
  await jsm.streams.delete(name);
  return (JS_MESSAGES / elapsed) * 1000;
}

async function withConnections<T>(urls: string[], access: ClientAccess, fn: (ncs: NatsConnection[]) => Promise<T>): Promise<T> {
  const ncs: NatsConnection[] = [];
  try {
    for (const u of urls) ncs.push(await connectTo(u, access));
    return await fn(ncs);
  } finally {
    await Promise.allSettled(ncs.map((c) => c.close()));
  }
}

export async function benchThroughput(root: string, bin: string): Promise<Row[]> {
  const rows: Row[] = [];
  const prepared = await prepareProduction(root, 3);
  let cluster: LocalCluster | undefined;
  try {
    cluster = await boot(bin, prepared.specs, prepared.dir);
    await cluster.waitMetaLeader(30_000);
    await cluster.waitHealthy(30_000);
    const access: ClientAccess = { auth: prepared.plan.auth, ...(prepared.tls ? { tls: prepared.tls.client } : {}), timeoutMs: 10_000 };
    const urls = prepared.plan.servers.map((s) => s.clientUrl);
    await withConnections([urls[0]!, urls[2]!, urls[0]!], access, async ([a, c, a2]) => {
      const same = await corePubSub(a2!, a!);
      const across = await corePubSub(c!, a!);
      rows.push(
        { benchmark: "core pub/sub, generated config, same server", result: rate(same.rate), notes: `${same.received}/${CORE_MESSAGES} msgs of 128 B, TLS + token` },
        { benchmark: "core pub/sub, generated config, across a route", result: rate(across.rate), notes: `${across.received}/${CORE_MESSAGES}, route TLS` },
      );
      const r1 = await jsPublish(a!, 1);
      const r3 = await jsPublish(a!, 3);
      rows.push(
        { benchmark: "JetStream acked publishes, generated, R1 file", result: rate(r1), notes: `${JS_MESSAGES} msgs, ${JS_WINDOW} in flight` },
        { benchmark: "JetStream acked publishes, generated, R3 file", result: rate(r3), notes: `${JS_MESSAGES} msgs, ${JS_WINDOW} in flight, 3 servers` },
      );
    });
  } finally {
    await cluster?.stop();
    prepared.cleanup();
  }

  const bareDir = mkdtempSync(join(tmpdir(), "natskube-bench-bare-"));
  const bare = await boot(bin, [bareSpec(true)], bareDir);
  try {
    await bare.waitHealthy(30_000);
    const url = `nats://${bare.servers[0]!.host}:4222`;
    await withConnections([url, url], { auth: { mode: "none" }, timeoutMs: 10_000 }, async ([p, s]) => {
      const core = await corePubSub(p!, s!);
      const r1 = await jsPublish(p!, 1);
      rows.push(
        { benchmark: "core pub/sub, bare nats-server defaults", result: rate(core.rate), notes: `${core.received}/${CORE_MESSAGES} msgs of 128 B, no TLS, no auth` },
        { benchmark: "JetStream acked publishes, bare, R1 file", result: rate(r1), notes: `${JS_MESSAGES} msgs, ${JS_WINDOW} in flight (R3 needs a cluster: n/a)` },
      );
    });
  } finally {
    await bare.stop();
    rmSync(bareDir, { recursive: true, force: true });
  }
  return rows;
}

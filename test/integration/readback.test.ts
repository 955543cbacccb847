// The chaos read-back against a real server: it reads every message, fails in bounded time when
// the stream ends early, and keeps trying (new consumers) while the server is away.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { readStream } from "../../src/verify/chaos/readback.js";
import { defer, tempDir } from "../support/local.js";
import { pollUntil, startProcess, StopPolling, type Managed } from "../support/processes.js";
import { natsServerBin } from "../support/tools.js";

const HOST = "127.0.6.10";
const PORT = 4222;
const STREAM = "READBACK";

function startServer(t: TestContext, dir: string): Managed {
  const server = startProcess("nats-server", natsServerBin(), ["-a", HOST, "-p", String(PORT), "-js", "-sd", join(dir, "store")], { cwd: dir });
  defer(t, () => server.stop());
  return server;
}

async function connectWhenUp(t: TestContext, server: Managed): Promise<NatsConnection> {
  const nc = await pollUntil("the server to accept clients", 10_000, async () => {
    if (!server.running) throw new StopPolling(server.logs());
    return connect({ servers: `${HOST}:${PORT}`, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  });
  defer(t, () => nc.close());
  return nc;
}

async function fill(nc: NatsConnection, count: number): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: STREAM, subjects: ["readback.>"] });
  const js = jetstream(nc);
  for (let i = 1; i <= count; i++) await js.publish("readback.x", `m${i}|payload`);
}

test("reads every message of the stream once", { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const nc = await connectWhenUp(t, startServer(t, dir));
  await fill(nc, 2500);
  const found = await readStream(jetstream(nc), STREAM, 2500, 10_000);
  assert.equal(found.size, 2500);
  assert.deepEqual(found.get("m1"), [1]);
  assert.deepEqual(found.get("m2500"), [2500]);
});

test("a stream that ends early fails the read in bounded time, after trying new consumers", { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const nc = await connectWhenUp(t, startServer(t, dir));
  await fill(nc, 300);
  const started = Date.now();
  await assert.rejects(readStream(jetstream(nc), STREAM, 400, 9000), (e: Error) => {
    assert.match(e.message, /^read the stream up to sequence 300 of 400 within 9000 ms \(([2-9]|\d\d) consumers/);
    return true;
  });
  assert.ok(Date.now() - started < 12_000, `took ${Date.now() - started} ms`);
});

test("keeps reading across a server killed and restarted mid-read", { timeout: 90_000 }, async (t) => {
  const dir = tempDir(t);
  const first = startServer(t, dir);
  const nc = await connectWhenUp(t, first);
  await fill(nc, 3000);
  const pid = first.pid!;
  process.kill(pid, "SIGKILL");
  await pollUntil("the killed server to exit", 5000, async () => (first.running ? { retry: "still running" } : true));
  const reading = readStream(jetstream(nc), STREAM, 3000, 30_000);
  await new Promise((r) => setTimeout(r, 1500));
  startServer(t, dir);
  const found = await reading;
  assert.equal(found.size, 3000);
  assert.ok([...found.values()].every((seqs) => seqs.length === 1));
});

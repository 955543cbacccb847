// natskube status against real servers: the rendered cluster booted on loopback by the verify
// machinery, then read through its monitoring endpoints by the CLI itself, healthy and broken
// the ways a live cluster breaks (a killed pod, a scale-down that left its peer behind, a server
// peer-removed and restarted on its old store, a full store).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { jetstreamManager, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { retry } from "../../src/verify/checks.js";
import { connectSystem } from "../../src/live/nats-system.js";
import { connectTo } from "../../src/verify/clients.js";
import { natsServerVersion } from "../../src/verify/server-version.js";
import { waitPlaced } from "../../src/verify/placement.js";
import { cliAsync } from "../support/cli.js";
import { placeable } from "../support/jetstream.js";
import { bootPods, defer, tempDir } from "../support/local.js";
import { manifest } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";

const bin = natsServerBin();
const FIRST_ADDRESS = "127.0.18.2";
// The manifests name the version under test as their image, as a cluster running it would.
const version = await natsServerVersion(bin);

interface StatusJson {
  servers: { url: string; name?: string; error?: string }[];
  findings: { severity: string; code: string; subject: string; message: string; fix: string }[];
}

function spec(replicas: number, extra: Record<string, unknown> = {}) {
  return { replicas, image: { tag: `${version}-alpine` }, jetstream: { enabled: true, persistence: { mode: "FILE", size: "64Mi" } }, ...extra };
}

/** Adds a stream once the meta leader can place it (placeable). */
function addStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }) {
  return placeable(() => jsm.streams.add(config));
}

/** Boots the manifest's cluster on loopback; returns its plan, cluster and the manifest file to give status. */
async function boot(t: TestContext, text: string) {
  const { plan, cluster } = await bootPods(t, text, { bin, firstAddress: FIRST_ADDRESS, formedWithinMs: 30_000, start: { hostLockTimeoutMs: 60_000 } });
  await cluster.waitHealthy(20_000);
  const file = join(tempDir(t, "natskube-status-"), "status.yaml");
  writeFileSync(file, text);
  const nc = await connectTo(plan.servers[0]!.clientUrl, { auth: plan.auth, timeoutMs: 5000 });
  defer(t, () => nc.close());
  return { plan, cluster, file, nc, urls: plan.servers.map((s) => s.monitorUrl) };
}

async function status(file: string, urls: string[]): Promise<{ code: number; json: StatusJson; text: string }> {
  const args = ["status", file, ...urls.flatMap((u) => ["--monitor-url", u]), "--timeout", "3"];
  const r = await cliAsync([...args, "-o", "json"]);
  assert.equal(r.stderr, "", r.stderr);
  const text = await cliAsync(args);
  assert.equal(text.code, r.code, "text and json agree on the exit code");
  return { code: r.code, json: JSON.parse(r.stdout) as StatusJson, text: text.stdout };
}

const codes = (j: StatusJson) => j.findings.map((f) => `${f.severity} ${f.code} ${f.subject}`);

describe("natskube status on a booted cluster", { timeout: 240_000 }, () => {
  it("a healthy cluster with an R3 stream has no finding and exits 0", async (t) => {
    const { file, nc, urls } = await boot(t, manifest(spec(3)));
    const jsm = await jetstreamManager(nc);
    await addStream(jsm, { name: "ORDERS", subjects: ["orders.>"], num_replicas: 3 });
    await waitPlaced(() => jsm.streams.info("ORDERS"), 3, 15_000);
    const r = await status(file, urls);
    assert.deepEqual(codes(r.json), [], r.text);
    assert.equal(r.code, 0);
    assert.deepEqual(r.json.servers.map((s) => s.name), ["nats-0", "nats-1", "nats-2"]);
    assert.match(r.text, /no findings/);
    // An R1 stream is a risk, not a fault: a warning with the command that adds replicas, exit 0.
    await addStream(jsm, { name: "SCRATCH", subjects: ["scratch.>"], num_replicas: 1 });
    await waitPlaced(() => jsm.streams.info("SCRATCH"), 1, 15_000);
    const r1 = await status(file, urls);
    assert.deepEqual(codes(r1.json), ["warning stream-r1 SCRATCH"], r1.text);
    assert.equal(r1.code, 0);
    assert.match(r1.json.findings[0]!.fix, /nats stream edit SCRATCH --replicas 3$/);
    // The same cluster judged against a manifest with another image: the servers' version differs.
    const other = join(tempDir(t, "natskube-status-v-"), "other.yaml");
    writeFileSync(other, manifest({ ...spec(3), image: { tag: version === "2.14.0" ? "2.14.1-alpine" : "2.14.0-alpine" } }));
    assert.ok(codes((await status(other, urls)).json).includes("warning version-differs cluster"));
  });

  it("a killed server: unreachable, gone from the meta group, its stream replica behind", async (t) => {
    const { file, nc, urls, cluster } = await boot(t, manifest(spec(3)));
    const jsm = await jetstreamManager(nc);
    await addStream(jsm, { name: "ORDERS", subjects: ["orders.>"], num_replicas: 3 });
    await waitPlaced(() => jsm.streams.info("ORDERS"), 3, 15_000);
    // The victim: a server that leads neither the meta group nor ORDERS, so both keep a leader.
    const orders = await jsm.streams.info("ORDERS");
    const meta = cluster.servers.map((s) => s.serverName);
    const leaderOfMeta = (await (await fetch(`${urls[0]}/jsz`)).json()) as { meta_cluster: { leader: string } };
    const victim = meta.find((n) => n !== orders.cluster?.leader && n !== leaderOfMeta.meta_cluster.leader)!;
    await cluster.kill(cluster.servers.find((s) => s.serverName === victim)!.name, "SIGKILL");
    const deadline = Date.now() + 30_000;
    let r = await status(file, urls);
    // The leaders count a peer gone once they have missed it for RAFT's lost-quorum interval (10 s).
    const settled = (c: string[]) => c.includes(`error meta-peer-offline ${victim}`) && c.includes("warning stream-replica-behind ORDERS");
    while (!settled(codes(r.json)) && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 500));
      r = await status(file, urls);
    }
    const got = codes(r.json);
    assert.equal(r.code, 1, r.text);
    assert.ok(got.some((c) => c.startsWith("error server-unreachable ")), r.text);
    assert.ok(got.includes(`error meta-peer-offline ${victim}`), r.text);
    assert.ok(got.includes("warning stream-replica-behind ORDERS"), r.text);
    assert.ok(!got.some((c) => /no-meta-leader|meta-leader-disagreement|phantom-peer/.test(c)), r.text);
    const unreachable = r.json.findings.find((f) => f.code === "server-unreachable")!;
    assert.match(unreachable.fix, /kubectl -n nats (get pods|logs)/);
  });

  it("a scale-down that left the departed server in the meta group: a phantom peer with its peer-remove command", async (t) => {
    // Booted with 3, the manifest then says 2, and the third pod is gone: what a StatefulSet scale-down
    // without a peer-remove leaves behind.
    const { cluster, urls, plan } = await boot(t, manifest(spec(3)));
    const third = cluster.servers[2]!;
    await cluster.kill(third.name, "SIGTERM");
    const dir = tempDir(t, "natskube-status-2-");
    const file = join(dir, "two.yaml");
    writeFileSync(file, manifest(spec(2)));
    const deadline = Date.now() + 30_000;
    let r = await status(file, urls.slice(0, 2));
    while (!codes(r.json).includes(`error phantom-peer ${third.serverName}`) && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 500));
      r = await status(file, urls.slice(0, 2));
    }
    assert.equal(r.code, 1, r.text);
    assert.ok(codes(r.json).includes(`error phantom-peer ${third.serverName}`), r.text);
    assert.ok(codes(r.json).includes("error meta-group-size meta group"), r.text);
    const phantom = r.json.findings.find((f) => f.code === "phantom-peer")!;
    assert.match(phantom.fix, new RegExp(`kubectl -n nats exec deploy/nats-box -- nats server raft peer-remove ${third.serverName}`));
    assert.equal(plan.servers.length, 3);
  });

  it("a server peer-removed and restarted on its old store: it follows the leader, which does not count it; the fix is to wait", async (t) => {
    // The system account natskube renders with declared users: $JS.API.SERVER.REMOVE is honoured only from it.
    const { cluster, urls, plan, file } = await boot(t, manifest(spec(3, { auth: { enabled: true, mode: "BASIC", users: [{ name: "app" }] } })));
    const leaderOf = async () => ((await (await fetch(`${urls[0]}/jsz`)).json()) as { meta_cluster: { leader: string } }).meta_cluster.leader;
    const leader = await leaderOf();
    const removed = cluster.servers.map((s) => s.name).find((n) => n !== leader)!;
    assert.ok(plan.system?.mode === "user", "the render has a system account");
    // As natskube's scale-down does it: the server stopped, then peer-removed by the system account's user.
    await cluster.kill(removed, "SIGTERM");
    const sys = await connectSystem(plan.servers.filter((s) => s.pod !== removed).map((s) => s.clientUrl), plan.system.user, plan.system.pass, 5000);
    defer(t, () => sys.close());
    await retry(() => sys.removePeer(removed), 15_000);
    await cluster.restart(removed);
    // Right after its restart the server knows no leader yet (no-meta-leader, /healthz fails): that passes.
    const settled = ["error meta-group-size meta group", `error meta-peer-removed ${removed}`];
    const deadline = Date.now() + 30_000;
    let r = await status(file, urls);
    while (codes(r.json).join() !== settled.join() && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 500));
      r = await status(file, urls);
    }
    assert.equal(r.code, 1, r.text);
    assert.deepEqual(codes(r.json), settled, r.text);
    const f = r.json.findings.find((x) => x.code === "meta-peer-removed")!;
    assert.match(f.message, new RegExp(`^${removed} runs and follows meta leader nats-\\d, but the leader does not count it as a peer`), r.text);
    assert.match(f.fix, new RegExp(`^nothing to run: the meta leader re-admits ${removed} by itself 5 minutes after its peer-remove .*kubectl -n nats exec deploy/nats-box -- nats server report jetstream`), r.text);
    assert.match(r.json.findings.find((x) => x.code === "meta-group-size")!.message, new RegExp(`2 peers, the StatefulSet 3 servers: ${removed} peer-removed and not yet re-admitted`), r.text);
  });

  it("a store over 95% of max_file_store is an error naming the fill and the fix", async (t) => {
    const { file, nc, urls } = await boot(t, manifest(spec(3)));
    const jsm = await jetstreamManager(nc);
    await addStream(jsm, { name: "FILL", subjects: ["fill"], num_replicas: 3 });
    // A publish before the stream is placed can find no interest yet ("jetstream is not enabled").
    await waitPlaced(() => jsm.streams.info("FILL"), 3, 15_000);
    const payload = new Uint8Array(512 * 1024);
    const limits = ((await (await fetch(`${urls[0]}/jsz?config=true`)).json()) as { config: { max_storage: number } }).config.max_storage;
    const js = (await import("@nats-io/jetstream")).jetstream(nc);
    for (let sent = 0; sent < 0.97 * limits; sent += payload.length) await js.publish("fill", payload);
    const r = await status(file, urls);
    const full = r.json.findings.filter((f) => f.code === "store-full");
    assert.equal(r.code, 1, r.text);
    assert.ok(full.length >= 1, r.text);
    assert.match(full[0]!.message, /^file store 9\d% used \([\d.]+ MiB of 57 MiB\): new messages are refused$/);
    assert.match(full[0]!.fix, /persistence\.size/);
  });

  it("unreachable endpoints and bad arguments: one clear line, no stack", async (t) => {
    const text = manifest(spec(3));
    const dir = tempDir(t, "natskube-status-x-");
    const file = join(dir, "m.yaml");
    writeFileSync(file, text);
    const r = await cliAsync(["status", file, "--monitor-url", "http://127.0.18.250:8222", "--timeout", "1"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error server-unreachable \(http:\/\/127\.0\.18\.250:8222\): the monitoring endpoint http:\/\/127\.0\.18\.250:8222 could not be read: ECONNREFUSED/);
    const bad = await cliAsync(["status", file, "--monitor-url", "not a url"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^natskube status: --monitor-url "not a url" is not a URL/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
    // Without --monitor-url, status reads the cluster: with no kubeconfig, one line saying so.
    const none = await cliAsync(["status", file], { KUBECONFIG: join(dir, "missing-kubeconfig") });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^natskube status: error kubeconfig: no kubeconfig: .*missing-kubeconfig does not exist\n  hint: /);
    assert.doesNotMatch(none.stderr, /\n\s+at /);
  });
});

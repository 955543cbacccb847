// The quorum-safe scale-down of `natskube apply --nats-url`: its refusals and its loop, driven by a fake
// cluster (the real one is test/kube/scale-down.test.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { viewOf } from "../../src/live/nats-system.js";
import { severityWithout, structuralRefusals, type ScaleDown } from "../../src/live/scale-apply.js";
import { scaleDown, scaleDownRefusals, type ClusterView, type StreamView } from "../../src/live/scale-down.js";
import type { Plan, Severity } from "../../src/plan/types.js";
import { manifest, parseValid } from "../support/render.js";

const parseDocumentFor = (text: string) => ({ model: parseValid(text).model });

const servers = (n: number) => Array.from({ length: n }, (_, i) => `nats-${i}`);
const peer = (name: string, extra: Partial<{ current: boolean; offline: boolean }> = {}) => ({ name, current: true, offline: false, ...extra });
const stream = (name: string, on: string[], replicas = on.length): StreamView => ({ account: "APP", name, replicas, leader: on[0]!, followers: on.slice(1).map((n) => peer(n)) });
const healthy = (n: number, streams: StreamView[] = []): ClusterView => ({ meta: { leader: "nats-0", peers: servers(n).map((s) => peer(s)) }, streams });

describe("scale-down refusals", () => {
  it("a healthy cluster with streams that fit may scale", () => {
    assert.deepEqual(scaleDownRefusals(healthy(5, [stream("ORDERS", ["nats-0", "nats-3", "nats-4"])]), servers(5), 3, true), []);
  });
  it("no system account: refused with the fix", () => {
    const [r, ...rest] = scaleDownRefusals(healthy(5), servers(5), 3, false);
    assert.equal(rest.length, 0);
    assert.match(r!, /no system account.*\$JS\.API\.SERVER\.REMOVE.*spec\.auth\.systemAccount\.enabled: true/);
  });
  it("streams with more replicas than the servers that remain are named", () => {
    const v = healthy(5, [stream("BIG", servers(5)), stream("OK", ["nats-0", "nats-1", "nats-2"]), stream("ALSO", servers(4))]);
    const r = scaleDownRefusals(v, servers(5), 3, true);
    assert.equal(r.length, 1);
    assert.match(r[0]!, /2 stream\(s\).*APP > BIG \(R5\), APP > ALSO \(R4\).*nats stream edit <stream> --replicas 3/);
    assert.doesNotMatch(r[0]!, /OK/);
  });
  it("an R1 stream on a departing server would lose its messages: named; one on a server that stays is fine", () => {
    const v = healthy(5, [stream("LONE", ["nats-4"]), stream("STAYS", ["nats-1"])]);
    const r = scaleDownRefusals(v, servers(5), 3, true);
    assert.equal(r.length, 1, r.join("\n"));
    assert.match(r[0]!, /1 R1 stream\(s\) live only on departing servers and would lose their messages: APP > LONE on nats-4\. Fix: nats stream edit <stream> --replicas 3/);
  });
  it("no meta leader", () => {
    const v: ClusterView = { meta: { peers: [] }, streams: [] };
    assert.ok(scaleDownRefusals(v, servers(3), 2, true).some((r) => /no leader/.test(r)));
  });
  it("a server missing from the meta group, or one not current", () => {
    const v: ClusterView = { meta: { leader: "nats-0", peers: [peer("nats-0"), peer("nats-1"), peer("nats-2", { current: false }), peer("nats-3", { offline: true })] }, streams: [] };
    const r = scaleDownRefusals(v, servers(5), 3, true);
    assert.ok(r.some((x) => /lacks nats-4/.test(x)), r.join("\n"));
    assert.ok(r.some((x) => /not current: nats-2, nats-3/.test(x)), r.join("\n"));
  });
  it("an online peer that is no pod is refused; an offline departed one is not (the loop removes it)", () => {
    const online: ClusterView = { meta: { leader: "nats-0", peers: [...servers(4).map((s) => peer(s)), peer("nats-4")] }, streams: [] };
    assert.ok(scaleDownRefusals(online, servers(4), 3, true).some((x) => /no pod.*nats-4/.test(x)));
    const offline: ClusterView = { meta: { leader: "nats-0", peers: [...servers(4).map((s) => peer(s)), peer("nats-4", { offline: true, current: false })] }, streams: [] };
    assert.deepEqual(scaleDownRefusals(offline, servers(4), 3, true), []);
  });
  it("a stream without a leader or with a lagging replica", () => {
    const lag = stream("LAG", ["nats-0", "nats-1", "nats-2"]);
    lag.followers[0]!.current = false;
    const { leader: _, ...leaderless } = stream("NOLEADER", ["nats-1"]);
    const r = scaleDownRefusals(healthy(5, [lag, leaderless]), servers(5), 3, true);
    assert.ok(r.some((x) => /APP > LAG, APP > NOLEADER/.test(x)), r.join("\n"));
  });
});

/** A cluster whose meta leader reassigns a removed server's stream replicas to the lowest free server. */
function fakeCluster(n: number, streams: { name: string; on: string[] }[]) {
  let replicas = n;
  const pods = new Set(servers(n));
  const peers = new Map(servers(n).map((s) => [s, peer(s)]));
  const placement = new Map(streams.map((s) => [s.name, [...s.on]]));
  const calls: string[] = [];
  return {
    calls,
    deps: {
      view: async (): Promise<ClusterView> => ({
        meta: { leader: "nats-0", peers: [...peers.values()] },
        streams: [...placement].map(([name, on]) => stream(name, on)),
      }),
      shrink: async (to: number) => {
        calls.push(`shrink ${to}`);
        for (let i = to; i < replicas; i++) {
          pods.delete(`nats-${i}`);
          peers.set(`nats-${i}`, peer(`nats-${i}`, { offline: true, current: false }));
        }
        replicas = to;
      },
      podGone: async (pod: string) => !pods.has(pod),
      removePeer: async (s: string) => {
        calls.push(`remove ${s}`);
        peers.delete(s);
        for (const on of placement.values()) {
          const i = on.indexOf(s);
          if (i >= 0) on[i] = [...peers.keys()].find((p) => !on.includes(p))!;
        }
      },
    },
  };
}

describe("scale-down loop", () => {
  it("5 -> 3: one server at a time from the highest ordinal, streams moved", async () => {
    const c = fakeCluster(5, [{ name: "A", on: ["nats-2", "nats-3", "nats-4"] }]);
    const lines: string[] = [];
    const out = await scaleDown(c.deps, { servers: servers(5), to: 3, timeoutMs: 5000, pollMs: 1, progress: (l) => lines.push(l), resume: "natskube apply f.yaml" });
    assert.deepEqual(out, { ok: true, removed: ["nats-4", "nats-3"], replicas: 3 });
    assert.deepEqual(c.calls, ["shrink 4", "remove nats-4", "shrink 3", "remove nats-3"]);
    assert.ok(lines.some((l) => /nats-4: removed; meta group of 4, 1 stream\(s\) current again/.test(l)), lines.join("\n"));
  });
  it("a refused peer-remove stops with the state and the command to go on", async () => {
    const c = fakeCluster(4, []);
    c.deps.removePeer = async () => {
      throw new Error("$JS.API.SERVER.REMOVE refused: not allowed");
    };
    const out = await scaleDown(c.deps, { servers: servers(4), to: 3, timeoutMs: 2000, pollMs: 1, resume: "natskube apply f.yaml --nats-url u" });
    assert.equal(out.ok, false);
    assert.equal(out.replicas, 3);
    assert.match(out.failure!.message, /after the shrink, before the peer-remove: .*not allowed.*3 replica\(s\); peer-removed so far: none/);
    assert.match(out.failure!.hint, /natskube apply f\.yaml --nats-url u/);
  });
  it("a pod that never goes stops at the timeout", async () => {
    const c = fakeCluster(4, []);
    c.deps.podGone = async () => false;
    const out = await scaleDown(c.deps, { servers: servers(4), to: 3, timeoutMs: 50, pollMs: 5, resume: "x" });
    assert.match(out.failure!.message, /pod nats-3 still exists/);
  });
  it("a departed server left in the meta group by a stopped run is removed first", async () => {
    const c = fakeCluster(5, []);
    await c.deps.shrink(4); // the earlier run's shrink
    c.calls.length = 0;
    const out = await scaleDown(c.deps, { servers: servers(4), to: 3, timeoutMs: 2000, pollMs: 1, resume: "x" });
    assert.equal(out.ok, true);
    assert.deepEqual(c.calls, ["remove nats-4", "shrink 3", "remove nats-3"]);
  });
});

describe("the system account's JSZ, as a view", () => {
  it("the meta group from its leader, each stream from its leader", () => {
    const v = viewOf([
      { server: { name: "nats-1" }, data: { meta_cluster: { leader: "nats-0", replicas: [] }, account_details: [{ name: "APP", stream_detail: [{ name: "S", config: { num_replicas: 3 }, cluster: { leader: "nats-2", replicas: [{ name: "nats-1", current: false }] } }] }] } },
      { server: { name: "nats-0" }, data: { meta_cluster: { leader: "nats-0", replicas: [{ name: "nats-1", current: true }, { name: "nats-2", current: true, offline: true }] } } },
      { server: { name: "nats-2" }, data: { meta_cluster: { leader: "nats-0" }, account_details: [{ name: "APP", stream_detail: [{ name: "S", config: { num_replicas: 3 }, cluster: { leader: "nats-2", replicas: [{ name: "nats-0", current: true }, { name: "nats-1", current: true }] } }] }] } },
    ]);
    assert.deepEqual(v.meta, { leader: "nats-0", peers: [peer("nats-0"), peer("nats-1"), peer("nats-2", { offline: true })] });
    assert.deepEqual(v.streams, [{ account: "APP", name: "S", replicas: 3, leader: "nats-2", followers: [peer("nats-0"), peer("nats-1")] }]);
  });
});

describe("apply's scale-down, before any NATS request", () => {
  const change = (severity: Severity, paths: string[]) => ({ class: "topology" as const, severity, summary: "", paths, details: [], procedure: [] });
  const ref = { apiVersion: "apps/v1", kind: "StatefulSet", namespace: "nats", name: "nats" };
  const plan = (fields: string[], changes = [change("disruptive", ["spec.replicas"])]): Plan => ({
    objects: [{ ref, action: "update", severity: "disruptive", fields: fields.map((path) => ({ path, op: "replace", class: "topology", severity: "disruptive" })), changes }],
    clusters: [],
    unchanged: 0,
    severity: "disruptive",
  } as unknown as Plan);
  const doc = parseDocumentFor(manifest({ replicas: 3, jetstream: { enabled: true, persistence: { mode: "FILE" } }, auth: { enabled: true, mode: "BASIC", users: [{ name: "app" }] } }));
  const sd = (to: number) => ({ doc, sts: { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "nats", namespace: "nats" } }, from: 5, to, servers: servers(5) }) as unknown as ScaleDown;
  const urls = servers(5).map((_, i) => `nats://127.0.0.${i + 2}:4222`);

  it("the replica change is the safe path's; anything else disruptive stays", () => {
    assert.equal(severityWithout(plan(["spec.replicas"])), "safe");
    assert.equal(severityWithout(plan(["spec.replicas"], [change("disruptive", ["spec.replicas"]), change("disruptive", ["spec.volumeClaimTemplates"])])), "disruptive");
  });
  it("only the replicas (and the retention policy) may change with it", () => {
    assert.deepEqual(structuralRefusals(plan(["spec.replicas", "spec.persistentVolumeClaimRetentionPolicy.whenScaled"]), sd(3), urls), []);
    const [r] = structuralRefusals(plan(["spec.replicas", "spec.template.spec.containers[0].image"]), sd(3), urls);
    assert.match(r!, /changes in more than its replicas \(spec\.template\.spec\.containers\[0\]\.image\): apply those changes at 5 replicas first/);
  });
  it("--nats-url once per server, in pod order", () => {
    const [r] = structuralRefusals(plan(["spec.replicas"]), sd(3), urls.slice(0, 3));
    assert.match(r!, /--nats-url is given 3 time\(s\): give it once per server, in pod order \(nats-0, nats-1, nats-2, nats-3, nats-4\)/);
  });
  it("with tls.verifyClients: refused unless a client certificate is named (--tls-client-secret, or the manifest's)", () => {
    const docWith = (tls: Record<string, unknown>) =>
      ({ ...sd(3), doc: parseDocumentFor(manifest({ replicas: 3, jetstream: { enabled: true, persistence: { mode: "FILE" } }, auth: { enabled: true, mode: "BASIC", users: [{ name: "app" }] }, natsBox: { enabled: false }, tls })) }) as unknown as ScaleDown;
    const managed = docWith({ enabled: true, secretName: "server-tls", verifyClients: true });
    const [r] = structuralRefusals(plan(["spec.replicas"]), managed, urls);
    assert.match(r!, /tls\.verifyClients: the servers require a client certificate on 4222, and none was given\. Pass --tls-client-secret NAME \(or set tls\.clientSecretName\): a kubernetes\.io\/tls Secret in nats /);
    assert.deepEqual(structuralRefusals(plan(["spec.replicas"]), managed, urls, "natskube-admin"), []);
    // natskube's issued client certificate (cert-manager), or tls.clientSecretName, is the one presented.
    assert.deepEqual(structuralRefusals(plan(["spec.replicas"]), docWith({ enabled: true, verifyClients: true }), urls), []);
    assert.deepEqual(structuralRefusals(plan(["spec.replicas"]), docWith({ enabled: true, secretName: "server-tls", verifyClients: true, clientSecretName: "ops-client" }), urls), []);
    assert.deepEqual(structuralRefusals(plan(["spec.replicas"]), sd(3), urls), []);
  });
  it("down to one server: refused, a new cluster and migration instead", () => {
    assert.ok(structuralRefusals(plan(["spec.replicas"]), sd(1), urls).some((r) => /standalone JetStream.*new cluster and migrate/.test(r)));
  });
});

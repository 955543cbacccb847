// The judgements of `natskube status` on states a booted test cluster cannot be put in on demand
// (test/integration/status.test.ts has the real ones): snapshots shaped as nats-server reports them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expectationOf, natsFindings, type Expectation } from "../../src/status/findings.js";
import { podSources } from "../../src/status/pod-sources.js";
import { readSnapshots, type ServerSnapshot } from "../../src/status/snapshot.js";
import { manifest, render } from "../support/render.js";

const MI = 2 ** 20;
const expect: Expectation = { namespace: "nats", servers: ["nats-0", "nats-1", "nats-2"], jetstream: true, maxFileStore: 900 * MI, maxMemoryStore: 256 * MI, version: "2.14.2", clusterName: "nats", box: "nats-box" };

function server(name: string, over: { leader?: string; version?: string; storage?: number; clusterSize?: number; cluster?: string; maxStorage?: number } = {}): ServerSnapshot {
  return {
    url: `http://${name}:8222`,
    varz: { server_id: `ID-${name}`, server_name: name, version: over.version ?? "2.14.2", cluster: { name: over.cluster ?? "nats" } },
    jsz: {
      memory: 0,
      storage: over.storage ?? 0,
      config: { max_memory: 256 * MI, max_storage: over.maxStorage ?? 900 * MI },
      // As nats-server reports it: every peer but the server itself.
      meta_cluster: { leader: over.leader ?? "nats-0", cluster_size: over.clusterSize ?? 3, replicas: ["nats-0", "nats-1", "nats-2"].filter((n) => n !== name).map((n) => ({ name: n, current: true, active: 0 })) },
    },
  };
}
const healthy = () => ["nats-0", "nats-1", "nats-2"].map((n) => server(n));
const codes = (s: ServerSnapshot[], e = expect) => natsFindings(e, s).map((f) => `${f.severity} ${f.code} ${f.subject}`);

describe("status findings", () => {
  it("a healthy cluster has none", () => {
    assert.deepEqual(codes(healthy()), []);
  });

  it("the expectation comes from the render", () => {
    const m = render(manifest({ replicas: 3, image: { tag: "2.15.3-alpine" } })).model;
    const e = expectationOf(m);
    assert.deepEqual([e.servers, e.version, e.clusterName, e.box, e.jetstream], [["nats-0", "nats-1", "nats-2"], "2.15.3", "nats", "nats-box", true]);
    assert.equal(e.maxFileStore, m.jetstream.maxFileStore);
  });

  it("two servers with one name", () => {
    const s = healthy();
    s[2] = { ...s[2]!, varz: { ...s[2]!.varz!, server_name: "nats-1" } };
    assert.ok(codes(s).includes("error duplicate-server-name nats-1"));
  });

  it("leaders that disagree, and a server that knows none", () => {
    const s = [server("nats-0", { leader: "nats-0" }), server("nats-1", { leader: "nats-1" }), server("nats-2", { leader: "" })];
    const got = codes(s);
    assert.ok(got.includes("error meta-leader-disagreement meta group"), got.join("\n"));
    assert.ok(got.includes("error no-meta-leader meta group"), got.join("\n"));
  });

  it("a meta group short of the StatefulSet: servers that never joined", () => {
    const s = healthy().map((x) => ({ ...x, jsz: { ...x.jsz!, meta_cluster: { ...x.jsz!.meta_cluster!, cluster_size: 2 } } }));
    const f = natsFindings(expect, s).find((x) => x.code === "meta-group-size")!;
    assert.match(f.message, /2 peers, the StatefulSet 3 servers: some servers never joined/);
  });

  it("version skew during a rollout, and servers on another version than the manifest", () => {
    assert.ok(codes([server("nats-0"), server("nats-1"), server("nats-2", { version: "2.15.3" })]).includes("warning version-skew cluster"));
    assert.ok(codes(healthy(), { ...expect, version: "2.15.3" }).includes("warning version-differs cluster"));
  });

  it("stores: 80% is a warning, 95% an error; a limit unlike the render's is drift", () => {
    assert.ok(codes([server("nats-0", { storage: 800 * MI }), server("nats-1"), server("nats-2")]).includes("warning store-filling nats-0"));
    const full = natsFindings(expect, [server("nats-0", { storage: 880 * MI }), server("nats-1"), server("nats-2")]).find((f) => f.code === "store-full")!;
    assert.equal(full.message, "file store 98% used (880 MiB of 900 MiB): new messages are refused");
    assert.ok(codes([server("nats-0", { maxStorage: 1000 * MI }), server("nats-1"), server("nats-2")]).includes("warning config-drift nats-0"));
    assert.ok(codes([server("nats-0", { cluster: "other" }), server("nats-1"), server("nats-2")]).includes("warning config-drift nats-0"));
  });

  it("a stream no server leads, and a consumer without a leader", () => {
    const s = healthy();
    s[1]!.jsz!.account_details = [{ name: "$G", stream_detail: [{ name: "ORDERS", config: { num_replicas: 3 }, cluster: { replicas: [] } }] }];
    s[2]!.jsz!.account_details = [
      { name: "APP", stream_detail: [{ name: "EVENTS", config: { num_replicas: 3 }, cluster: { leader: "nats-2", replicas: [] }, consumer_detail: [{ name: "worker", stream_name: "EVENTS", cluster: {} }] }] },
    ];
    const got = codes(s);
    assert.ok(got.includes("error stream-no-leader ORDERS"), got.join("\n"));
    assert.ok(got.includes("error consumer-no-leader EVENTS (account APP)/worker"), got.join("\n"));
  });

  it("no JetStream where the render enables it", () => {
    const s = healthy();
    s[0] = { ...s[0]!, jsz: { memory: 0, storage: 0, disabled: true } };
    assert.ok(codes(s).includes("error jetstream-disabled nats-0"));
  });

  it("findings are sorted: errors first, then by code and subject", () => {
    const s = [server("nats-0", { storage: 800 * MI, leader: "" }), { url: "http://nats-1:8222", error: "ECONNREFUSED" }, server("nats-2", { version: "2.15.3" })];
    const got = natsFindings(expect, s);
    const order = got.map((f) => f.severity);
    assert.deepEqual(order, [...order].sort((a, b) => (a === b ? 0 : a === "error" ? -1 : 1)));
    assert.equal(got[0]!.severity, "error");
  });

  it("a server peer-removed and back: it follows the leader, the leader does not count it; the fix is to wait", () => {
    const s = healthy();
    const peers = (names: string[]) => names.map((name) => ({ name, current: true, active: 0 }));
    s[0]!.jsz!.meta_cluster = { leader: "nats-0", cluster_size: 2, replicas: peers(["nats-2"]) };
    s[1]!.jsz!.meta_cluster = { leader: "nats-0", cluster_size: 2, replicas: peers(["nats-0", "nats-2"]) };
    s[2]!.jsz!.meta_cluster = { leader: "nats-0", cluster_size: 2, replicas: peers(["nats-0"]) };
    const got = natsFindings(expect, s);
    assert.deepEqual(got.map((f) => `${f.severity} ${f.code} ${f.subject}`), ["error meta-group-size meta group", "error meta-peer-removed nats-1"]);
    assert.match(got[1]!.fix, /^nothing to run: the meta leader re-admits nats-1 by itself 5 minutes after its peer-remove .*nats server report jetstream/);
    assert.match(got[0]!.message, /2 peers, the StatefulSet 3 servers: nats-1 peer-removed and not yet re-admitted/);
  });

  it("no right to the pod proxy: one finding naming it and --monitor-url, not one per server", () => {
    const refused = (pod: string): ServerSnapshot => ({ url: `/api/v1/namespaces/nats/pods/${pod}:8222/proxy`, pod, forbidden: true, error: `pods "${pod}" is forbidden: User "u" cannot get resource "pods/proxy"` });
    const got = natsFindings(expect, ["nats-0", "nats-1", "nats-2"].map(refused));
    assert.deepEqual(got.map((f) => `${f.severity} ${f.code} ${f.subject}`), ["error monitor-forbidden NATS view"]);
    assert.match(got[0]!.message, /^3 of 3 servers not read: .*cannot get resource "pods\/proxy"/);
    assert.match(got[0]!.fix, /get on pods\/proxy in nats .*--monitor-url/);
  });

  it("through the pod proxy: the Model's port and scheme; a pod missing, not Running or without an IP is not asked", async () => {
    const m = render(manifest({ replicas: 3 })).model;
    const pod = (name: string, status: object) => ({ apiVersion: "v1", kind: "Pod", metadata: { name }, status });
    const asked: string[] = [];
    const proxy = {
      url: (p: string, port: number, scheme: string) => `${scheme}:${p}:${port}`,
      get: async (p: string, port: number, scheme: string, path: string) => {
        asked.push(`${scheme} ${p}:${port}${path}`);
        return { status: 200, body: path === "/varz" ? { server_id: "X", server_name: p, version: "2.14.2" } : {} };
      },
    };
    const sources = podSources(m, [pod("nats-0", { phase: "Running", podIP: "10.0.0.5" }), pod("nats-1", { phase: "Pending" }), pod("nats-3", { phase: "Running", podIP: "10.0.0.9" })], proxy);
    const snaps = await readSnapshots(sources, 1000);
    assert.deepEqual(snaps.map((x) => [x.pod, x.url, x.varz?.server_name ?? x.error]), [
      ["nats-0", "http:nats-0:8222", "nats-0"],
      ["nats-1", "http:nats-1:8222", "pod nats-1 is Pending, not Running"],
      ["nats-2", "http:nats-2:8222", "pod nats-2 does not exist"],
    ]);
    assert.ok(asked.every((a) => a.startsWith("http nats-0:8222/")), asked.join("\n"));
    assert.equal(asked.length, 3);
    const running = podSources(m, [pod("nats-0", { phase: "Running" })], proxy)[0]!;
    assert.equal((await readSnapshots([running], 1000))[0]!.error, "pod nats-0 has no IP yet");
    const unreachable = natsFindings(expectationOf(m), snaps).filter((f) => f.code === "server-unreachable");
    assert.deepEqual(unreachable.map((f) => f.subject), ["nats-1", "nats-2"]);
    assert.match(unreachable[0]!.fix, /kubectl -n nats logs nats-1 -c nats --previous$/);
  });
});

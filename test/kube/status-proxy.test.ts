// natskube status without --monitor-url: the NATS view read through the API server's pod proxy, for real.
// kwok pods run no containers, but each gets an IP from kwok's pod range, and kube-apiserver's pod proxy
// dials podIP:port. So the test puts each pod's IP on lo and boots the loopback cluster from the same
// render with each server's monitoring listener on its pod's IP (clients and routes stay on 127.0.31.x):
// the API server then proxies to the real nats-server of that pod. The one environment-dependent skip:
// a machine that refuses `ip addr add` (no CAP_NET_ADMIN).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import { waitPlaced } from "../../src/verify/placement.js";
import { connectTo } from "../../src/verify/clients.js";
import { natsServerVersion } from "../../src/verify/server-version.js";
import { cliAsync, show, type CliResult } from "../support/cli.js";
import { getJson, KUBECONFIG, kubectlOk, userKubeconfig, withControlPlane } from "../support/control-plane.js";
import { bootFormed, defer, podsOf } from "../support/local.js";
import { manifest } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";
import { placeable } from "../support/jetstream.js";

const bin = natsServerBin();
const version = await natsServerVersion(bin);
const NS = "status-proxy";
/** Client and route listeners of the three servers: 127.0.31.11-13 unless told otherwise. */
const FIRST = process.env["NATSKUBE_STATUS_PROXY_FIRST_ADDRESS"] ?? "127.0.31.11";
const tmp = mkdtempSync(join(tmpdir(), "natskube-status-proxy-"));

interface StatusJson {
  servers: { url: string; pod?: string; name?: string; metaLeader?: string | null; error?: string }[];
  findings: { severity: string; code: string; subject: string; message: string; fix: string }[];
}

const natskube = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => cliAsync(args, { KUBECONFIG, ...env }, 120_000);
const ip = (args: string[]) => spawnSync("ip", args, { encoding: "utf8", timeout: 10_000 });

describe("natskube status through the API server's pod proxy", () => {
  withControlPlane([NS], () => rmSync(tmp, { recursive: true, force: true }));

  it("reads every server through the pod proxy: a healthy cluster is clean, a killed server is unreachable, no pods/proxy right is one finding", { timeout: 400_000 }, async (t) => {
    const text = manifest({ namespace: NS, replicas: 3, image: { tag: `${version}-alpine` }, jetstream: { enabled: true, persistence: { mode: "FILE", size: "64Mi" } } });
    const file = join(tmp, "nats.yaml");
    writeFileSync(file, text);
    const applied = await natskube(["apply", file, "--generate-secrets", "--timeout", "120s"]);
    assert.equal(applied.code, 0, show(applied));

    const pods = getJson<{ items: { metadata: { name: string }; status: { phase?: string; podIP?: string } }[] }>(["pods", "-n", NS, "-l", "app.kubernetes.io/component=nats"]).items;
    const podIp = new Map(pods.map((p) => [p.metadata.name, p.status.podIP]));
    assert.deepEqual([...podIp.keys()].sort(), ["nats-0", "nats-1", "nats-2"]);
    for (const [name, addr] of podIp) assert.ok(addr && !addr.startsWith("127."), `${name} has a pod IP the API server proxies to: ${addr}`);
    for (const addr of podIp.values()) {
      const add = ip(["addr", "add", `${addr}/32`, "dev", "lo"]);
      if (add.status !== 0 && /not permitted|permission denied/i.test(add.stderr)) {
        t.skip(`ip addr add ${addr}/32 dev lo refused: ${add.stderr.trim()}`);
        return;
      }
      assert.equal(add.status, 0, `ip addr add ${addr}/32 dev lo: ${add.stderr || add.error?.message}`);
      defer(t, () => void ip(["addr", "del", `${addr}/32`, "dev", "lo"]));
    }

    const { specs, plan } = podsOf(text, { firstAddress: FIRST });
    const { cluster } = await bootFormed(t, specs.map((s) => ({ ...s, monitorHost: podIp.get(s.name)! })), { bin, hostLockTimeoutMs: 60_000 }, 60_000);
    await cluster.waitHealthy(30_000);
    const nc = await connectTo(plan.servers[0]!.clientUrl, { auth: plan.auth, timeoutMs: 5000 });
    defer(t, () => nc.close());
    const jsm = await jetstreamManager(nc);
    await placeable(() => jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"], num_replicas: 3 }));
    await waitPlaced(() => jsm.streams.info("ORDERS"), 3, 20_000);

    const status = async (env: NodeJS.ProcessEnv = {}, extra: string[] = []) => {
      const r = await natskube(["status", file, "-o", "json", "--timeout", "5", ...extra], env);
      assert.equal(r.stderr, "", show(r));
      return { r, json: JSON.parse(r.stdout) as StatusJson };
    };
    const errors = (j: StatusJson) => j.findings.filter((f) => f.severity === "error").map((f) => `${f.code} ${f.subject}`);

    // Healthy: every server read through /api/v1/namespaces/NS/pods/POD:8222/proxy, one meta leader, no error.
    const healthy = await status();
    t.diagnostic(`healthy: ${JSON.stringify(healthy.json.servers)}; findings ${JSON.stringify(healthy.json.findings.map((f) => f.code))}`);
    assert.equal(healthy.r.code, 0, show(healthy.r));
    assert.deepEqual(errors(healthy.json), [], show(healthy.r));
    assert.ok(healthy.json.findings.every((f) => f.code === "pods-share-node"), show(healthy.r));
    assert.deepEqual(
      healthy.json.servers.map((s) => [s.pod, s.name, s.url]),
      ["nats-0", "nats-1", "nats-2"].map((p) => [p, p, `/api/v1/namespaces/${NS}/pods/${p}:8222/proxy`]),
    );
    const leaders = new Set(healthy.json.servers.map((s) => s.metaLeader));
    assert.equal(leaders.size, 1, show(healthy.r));
    assert.ok([...leaders][0]?.startsWith("nats-"), show(healthy.r));
    const textOut = await natskube(["status", file, "--timeout", "5"]);
    assert.match(textOut.stdout, new RegExp(`^  nats-0  ${version.replace(/\./g, "\\.")}  healthy, meta leader nats-\\d, meta group 3  \\(/api/v1/namespaces/${NS}/pods/nats-0:8222/proxy\\)$`, "m"), show(textOut));

    // A user who may read natskube's objects but not pods/proxy: one finding naming the right and the way around.
    const reader = "natskube-status-reader";
    const rbac = [
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: reader }, rules: [
        { apiGroups: [""], resources: ["pods", "configmaps", "secrets", "services", "serviceaccounts", "persistentvolumeclaims", "nodes", "namespaces"], verbs: ["get", "list"] },
        // Every kind of the other groups natskube renders or prunes: none of them holds pods/proxy.
        { apiGroups: ["apps", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "monitoring.coreos.com", "cert-manager.io", "jetstream.nats.io"], resources: ["*"], verbs: ["get", "list"] },
      ] },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: reader }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: reader }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: reader }] },
    ];
    kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: rbac }));
    defer(t, () => void kubectlOk(["delete", "clusterrole,clusterrolebinding", reader, "--ignore-not-found"]));
    const kubeconfig = userKubeconfig(reader, "reader", tmp);
    const refused = await status({}, ["--kubeconfig", kubeconfig, "--context", "reader"]);
    assert.equal(refused.r.code, 1, show(refused.r));
    assert.deepEqual(errors(refused.json), ["monitor-forbidden NATS view"], show(refused.r));
    const forbidden = refused.json.findings.find((f) => f.code === "monitor-forbidden")!;
    assert.match(forbidden.message, new RegExp(`^3 of 3 servers not read: .*"${reader}" cannot get resource "pods/proxy"`), show(refused.r));
    assert.match(forbidden.fix, /get on pods\/proxy in status-proxy .*--verb=get --resource=pods\/proxy.*--monitor-url/, show(refused.r));

    // --monitor-url wins over the pod proxy when given (with the kubeconfig: both views).
    const direct = await status({}, ["--monitor-url", [...podIp.values()].map((a) => `http://${a}:8222`).join(","), "--kubeconfig", KUBECONFIG]);
    assert.deepEqual(direct.json.servers.map((s) => s.url), [...podIp.values()].map((a) => `http://${a}:8222`), show(direct.r));
    assert.deepEqual(errors(direct.json), [], show(direct.r));

    // A server killed: its pod is still Running in the API server's eyes, the proxy finds nothing behind its IP.
    const leader = [...leaders][0]!;
    const victim = ["nats-0", "nats-1", "nats-2"].find((p) => p !== leader)!;
    await cluster.kill(victim, "SIGKILL");
    const down = await status();
    assert.equal(down.r.code, 1, show(down.r));
    assert.ok(errors(down.json).includes(`server-unreachable ${victim}`), show(down.r));
    const unreachable = down.json.findings.find((f) => f.code === "server-unreachable")!;
    t.diagnostic(`no pods/proxy: ${forbidden.message}\nkilled ${victim}: ${unreachable.message}`);
    assert.match(unreachable.message, new RegExp(`^the monitoring endpoint /api/v1/namespaces/${NS}/pods/${victim}:8222/proxy could not be read: .*${podIp.get(victim)!.replace(/\./g, "\\.")}:8222`), show(down.r));
    assert.equal(down.json.servers.filter((s) => s.name).length, 2, show(down.r));
  });
});

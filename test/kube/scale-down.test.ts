// Quorum-safe scale-down through `natskube apply --nats-url`, end to end: the control plane holds the
// StatefulSet (kwok pods, which run no containers) and loopback nats-servers booted by the verify
// machinery from the same render stand for the pods, with the passwords the API server holds. A
// bridge plays the kubelet: the moment a pod is deleted, its server gets the rendered preStop (lame
// duck) and SIGTERM. 5 -> 3 with R3 streams under acknowledged publishes: every acknowledged message
// is still there, the meta group is 3, status finds no phantom peer, the departed claims are gone.
// 3 -> 2 over TLS with client verification: the CA natskube trusts read from the cluster's TLS Secret, the
// certificate it presents from the Secret --tls-client-secret (or tls.clientSecretName) names, both through the API server.
import assert from "node:assert/strict";
import { createServer, connect as netConnect, type AddressInfo, type Socket } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { ChaosPublisher } from "../../src/verify/chaos/publisher.js";
import { readStream } from "../../src/verify/chaos/readback.js";
import { waitPlaced } from "../../src/verify/placement.js";
import { makeServerCertificate } from "../../src/verify/certs.js";
import { natsServerVersion } from "../../src/verify/server-version.js";
import { cliAsync, show, type CliResult } from "../support/cli.js";
import { deleteNamespace, getJson, KUBECONFIG, kubectlOk, withControlPlane } from "../support/control-plane.js";
import { kubeletBridge } from "../support/kubelet-bridge.js";
import { bootPods, defer, podsOf, tlsSecretFiles } from "../support/local.js";
import { manifest } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";
import { placeable } from "../support/jetstream.js";

const bin = natsServerBin();
const version = await natsServerVersion(bin);
const NS = "scale-down";
/** Loopback addresses of the five servers: 127.0.27.1-5 unless told otherwise. */
const FIRST = process.env["NATSKUBE_SCALE_FIRST_ADDRESS"] ?? "127.0.27.1";
/** And of the TLS cluster's three: 127.0.28.1-3 unless told otherwise. */
const FIRST_TLS = process.env["NATSKUBE_SCALE_TLS_FIRST_ADDRESS"] ?? "127.0.28.1";
const STREAMS = ["ORDERS", "EVENTS", "AUDIT", "METRICS"];
const tmp = mkdtempSync(join(tmpdir(), "natskube-scale-"));

const spec = (replicas: number, namespace = NS) => ({
  namespace,
  replicas,
  image: { tag: `${version}-alpine` },
  jetstream: { enabled: true, persistence: { mode: "FILE", size: "64Mi" } },
  auth: { enabled: true, mode: "BASIC", users: [{ name: "app" }] },
});

function file(name: string, text: string): string {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
}

const natskube = (args: string[], timeoutMs = 60_000): Promise<CliResult> => cliAsync(args, { KUBECONFIG }, timeoutMs);

const secretData = (name: string, ns = NS) => {
  const s = getJson<{ data: Record<string, string> }>(["secret", "-n", ns, name]);
  return Object.fromEntries(Object.entries(s.data).map(([k, v]) => [`${name}/${k}`, Buffer.from(v, "base64").toString("utf8")]));
};

describe("natskube apply: quorum-safe scale-down on the control plane, through the API server's port-forward or --nats-url", () => {
  withControlPlane([NS], () => rmSync(tmp, { recursive: true, force: true }));

  it("5 -> 3 with R3 streams under acknowledged publishes loses nothing and leaves no phantom peer", { timeout: 600_000 }, async (t) => {
    const five = manifest(spec(5));
    const three = manifest(spec(3));
    const f5 = file("five.yaml", five);
    const f3 = file("three.yaml", three);

    const applied = await natskube(["apply", f5, "--generate-secrets", "--timeout", "120s"], 180_000);
    assert.equal(applied.code, 0, show(applied));
    // The servers read the passwords the API server holds, the system one included.
    const secretValues = { ...secretData("nats-auth"), ...secretData("nats-system") };
    assert.ok(secretValues["nats-system/password"], "the system account's Secret");
    const { plan, cluster } = await bootPods(t, five, { bin, firstAddress: FIRST, secretValues, formedWithinMs: 60_000, start: { hostLockTimeoutMs: 60_000 } });
    await cluster.waitHealthy(30_000);
    assert.deepEqual(plan.servers.map((s) => s.pod), ["nats-0", "nats-1", "nats-2", "nats-3", "nats-4"]);

    // The kubelet: a pod deleted (or being deleted) has its server drained and stopped.
    kubeletBridge(t, NS, plan, cluster);

    // The client reaches the servers that stay, as a Service in front of the remaining pods would.
    const auth = plan.auth as { user: string; pass: string };
    const nc = await connect({ servers: plan.servers.slice(0, 3).map((s) => s.clientUrl), user: auth.user, pass: auth.pass, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    defer(t, () => nc.close());
    const jsm = await jetstreamManager(nc);
    for (const name of STREAMS) {
      await placeable(() => jsm.streams.add({ name, subjects: [`${name.toLowerCase()}.>`], num_replicas: 3, duplicate_window: 120e9 }));
      await waitPlaced(() => jsm.streams.info(name), 3, 20_000);
    }
    const placed = await Promise.all(STREAMS.map(async (s) => ({ s, on: [(await jsm.streams.info(s)).cluster!.leader!, ...((await jsm.streams.info(s)).cluster!.replicas ?? []).map((r) => r.name)] })));
    t.diagnostic(`placement: ${placed.map((p) => `${p.s} on ${p.on.join(",")}`).join("; ")}`);
    assert.ok(
      placed.some((p) => p.on.includes("nats-3") || p.on.includes("nats-4")),
      "at least one stream has a replica on a departing server (else the test proves nothing about moving)",
    );

    const js = jetstream(nc);
    const deadline = Date.now() + 400_000;
    const publishers = STREAMS.map((s) => new ChaosPublisher(js, `${s.toLowerCase()}.x`, { attemptTimeoutMs: 2000, deadline }));
    for (const p of publishers) p.start();
    for (const p of publishers) assert.ok(await p.waitForAcked(50), `publishing: ${p.lastError}`);

    // The pre-check refuses while a stream has more replicas than the servers that remain.
    await placeable(() => jsm.streams.add({ name: "WIDE", subjects: ["wide.>"], num_replicas: 5 }));
    await waitPlaced(() => jsm.streams.info("WIDE"), 5, 20_000);
    const urls = plan.servers.flatMap((s) => ["--nats-url", s.clientUrl]);
    const refused = await natskube(["apply", f3, ...urls, "--timeout", "60s"]);
    assert.equal(refused.code, 4, show(refused));
    assert.match(refused.stderr, /scale-down-refused: scale-down of scale-down\/nats 5 -> 3 refused: 1 stream\(s\) have more replicas than the 3 servers that remain: \$G > WIDE \(R5\)/, show(refused));
    assert.equal(getJson<{ spec: { replicas: number } }>(["statefulset", "-n", NS, "nats"]).spec.replicas, 5, "nothing written");
    await jsm.streams.delete("WIDE");

    // From here without --nats-url: natskube reaches each server through the API server's port-forward.
    // kwok's PortForward resources carry a pod's 4222 to its loopback server, as a kubelet carries it into the pod.
    for (const s of plan.servers)
      kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], JSON.stringify({ apiVersion: "kwok.x-k8s.io/v1alpha1", kind: "PortForward", metadata: { name: s.pod, namespace: NS }, spec: { forwards: [{ ports: [4222], target: { port: 4222, address: s.host } }] } }));

    // A dry run checks against the servers and says what it would do; nothing changes.
    const dry = await natskube(["apply", f3, "--dry-run"]);
    assert.equal(dry.code, 0, show(dry));
    assert.match(dry.stderr, /would scale scale-down\/nats 5 -> 3, one server at a time: nats-4, nats-3/);
    assert.equal(getJson<{ spec: { replicas: number } }>(["statefulset", "-n", NS, "nats"]).spec.replicas, 5, "a dry run writes nothing");

    const started = Date.now();
    const r = await natskube(["apply", f3, "--timeout", "300s"], 360_000);
    const took = Date.now() - started;
    t.diagnostic(`apply 5 -> 3 in ${(took / 1000).toFixed(1)} s\n${r.stderr}`);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /scaled down quorum-safe: scale-down\/nats 5 -> 3/);
    assert.match(r.stderr, /nats-4: removed; meta group of 4/);
    assert.match(r.stderr, /nats-3: removed; meta group of 3/);

    for (const p of publishers) assert.ok(await p.waitForAcked(p.acked.length + 20), `publishing after the scale-down: ${p.lastError}`);
    for (const p of publishers) await p.stop();

    // Every acknowledged message is there, at the sequence it was acknowledged with.
    for (const [i, name] of STREAMS.entries()) {
      const acked = publishers[i]!.acked;
      const stored = await readStream(js, name, acked.at(-1)!.seq, 60_000);
      const lost = acked.filter((a) => !(stored.get(a.id) ?? []).includes(a.seq));
      t.diagnostic(`${name}: ${acked.length} acknowledged, ${publishers[i]!.retries} retried attempts, ${lost.length} lost`);
      assert.deepEqual(lost.map((a) => `${a.id}@${a.seq}`), [], `${name}: acknowledged messages missing`);
      const info = await jsm.streams.info(name);
      const on = [info.cluster!.leader!, ...(info.cluster!.replicas ?? []).map((x) => x.name)];
      assert.equal(on.length, 3, `${name} placed on ${on.join(", ")}`);
      assert.ok(on.every((s) => ["nats-0", "nats-1", "nats-2"].includes(s)), `${name} placed on ${on.join(", ")}`);
      assert.ok((info.cluster!.replicas ?? []).every((x) => x.current), `${name} replicas current`);
    }

    // status judges the result: meta group of 3, no phantom peer, nothing lagging.
    const st = await cliAsync(["status", f3, ...plan.servers.slice(0, 3).flatMap((s) => ["--monitor-url", s.monitorUrl]), "-o", "json", "--timeout", "5"], { KUBECONFIG: "/nonexistent" });
    const findings = (JSON.parse(st.stdout) as { findings: { severity: string; code: string; subject: string }[] }).findings;
    t.diagnostic(`status: ${JSON.stringify(findings)}`);
    assert.deepEqual(findings.filter((f) => f.severity === "error" || /phantom|meta|stream/.test(f.code)), [], st.stdout);

    const sts = getJson<{ spec: { replicas: number } }>(["statefulset", "-n", NS, "nats"]);
    assert.equal(sts.spec.replicas, 3);
    // persistentVolumeClaimRetentionPolicy whenScaled: Delete: the departed servers' claims are gone.
    const claims = getJson<{ items: { metadata: { name: string } }[] }>(["pvc", "-n", NS]).items.map((c) => c.metadata.name).sort();
    assert.deepEqual(claims, ["nats-js-nats-0", "nats-js-nats-1", "nats-js-nats-2"]);

    // A re-apply is a no-op: the scale-down is done.
    const again = await natskube(["apply", f3]);
    assert.equal(again.code, 0, show(again));
    assert.doesNotMatch(again.stdout, /scaled down/);
  });

  it("3 -> 2 over TLS with tls.verifyClients: the CA from the cluster's TLS Secret, the client certificate from --tls-client-secret or tls.clientSecretName", { timeout: 300_000 }, async (t) => {
    const ns = "scale-down-tls";
    defer(t, () => deleteNamespace(ns));
    // Servers that require a client certificate on 4222 (nats-box has none: validation wants it off).
    const tlsSpec = (replicas: number) => ({ ...spec(replicas, ns), tls: { enabled: true, secretName: "nats-tls", verifyClients: true }, natsBox: { enabled: false } });
    const three = manifest(tlsSpec(3));
    const f3 = file("tls-3.yaml", three);
    const applied = await natskube(["apply", f3, "--generate-secrets", "--timeout", "120s"], 180_000);
    assert.equal(applied.code, 0, show(applied));
    // The Secret you manage (tls.secretName): a CA of the test's own, which no system store trusts, and a
    // certificate for the client Service's names (what natskube checks it against) and the loopback addresses.
    const { plan: planned } = podsOf(three, { firstAddress: FIRST_TLS });
    // Not `localhost` either: a client that checks no name at all checks the URL's IP or `localhost`.
    const { ca, files } = await tlsSecretFiles(t, planned.servers.map((s) => s.host), planned.model.dns.client);
    assert.ok(!planned.model.dns.client.includes("localhost"));
    const tlsSecret = { apiVersion: "v1", kind: "Secret", type: "kubernetes.io/tls", metadata: { name: "nats-tls", namespace: ns }, stringData: { "tls.crt": files["certs/tls.crt"], "tls.key": files["certs/tls.key"], "ca.crt": files["certs/ca.crt"] } };
    kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], JSON.stringify(tlsSecret));
    // Client certificates: one the servers' CA signed, one of another CA.
    const admin = await makeServerCertificate(ca, { name: "natskube-admin", dnsNames: ["natskube-admin"], ipAddresses: [], dir: join(tmp, "admin") });
    const stranger = (await tlsSecretFiles(t, [], ["natskube-admin"])).files;
    const clientSecret = (name: string, crt: string, key: string) =>
      kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "Secret", type: "kubernetes.io/tls", metadata: { name, namespace: ns }, stringData: { "tls.crt": crt, "tls.key": key } }));
    clientSecret("natskube-admin", admin.certPem, admin.keyPem);
    clientSecret("stranger", stranger["certs/tls.crt"]!, stranger["certs/tls.key"]!);

    const { plan, cluster } = await bootPods(t, three, { bin, firstAddress: FIRST_TLS, secretValues: secretData("nats-system", ns), files: () => files, formedWithinMs: 60_000, start: { hostLockTimeoutMs: 60_000 } });
    await cluster.waitHealthy(30_000);
    kubeletBridge(t, ns, plan, cluster);
    assert.ok(plan.servers.every((s) => s.clientUrl.startsWith("tls://")), plan.servers.map((s) => s.clientUrl).join(" "));
    // What `kubectl port-forward` gives: 127.0.0.1 and a port of its own, an address the certificate does not
    // name; natskube checks it for the client Service's name instead.
    const urls: string[] = [];
    for (const s of plan.servers) {
      const target = new URL(s.clientUrl);
      const open = new Set<Socket>();
      const forward = createServer((c) => {
        const up = netConnect(Number(target.port), target.hostname);
        c.pipe(up).pipe(c);
        // Both ends go together: a connection a server dropped mid-handshake (a refused client certificate)
        // must not keep the forward, and with it the test's cleanup, open.
        for (const end of [c, up]) {
          open.add(end);
          end.on("error", () => (c.destroy(), up.destroy()));
          end.on("close", () => (open.delete(end), c.destroy(), up.destroy()));
        }
      });
      await new Promise<void>((ok) => forward.listen(0, "127.0.0.1", ok));
      defer(t, () => new Promise((done) => (forward.close(done), open.forEach((end) => end.destroy()))));
      urls.push("--nats-url", `tls://127.0.0.1:${(forward.address() as AddressInfo).port}`);
    }

    const f2 = file("tls-2.yaml", manifest(tlsSpec(2)));
    const replicasNow = () => getJson<{ spec: { replicas: number } }>(["statefulset", "-n", ns, "nats"]).spec.replicas;
    // No client certificate: refused before any request, with the flag that gives one.
    const noCert = await natskube(["apply", f2, ...urls, "--timeout", "60s"]);
    assert.equal(noCert.code, 4, show(noCert));
    assert.match(noCert.stderr, /scale-down-refused: quorum-safe scale-down refused: scale-down-tls\/nats: tls\.verifyClients: the servers require a client certificate on 4222, and none was given\. Pass --tls-client-secret NAME/, show(noCert));
    // A Secret without the key pair: refused, naming what is missing.
    const missing = await natskube(["apply", f2, ...urls, "--tls-client-secret", "nats-system", "--timeout", "60s"]);
    assert.equal(missing.code, 4, show(missing));
    assert.match(missing.stderr, /Secret scale-down-tls\/nats-system \(--tls-client-secret\) has no tls\.crt/, show(missing));

    // With another CA in the TLS Secret, the servers' certificate is refused: the CA natskube trusts is the Secret's.
    const other = (await tlsSecretFiles(t)).files["certs/ca.crt"]!;
    kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], JSON.stringify({ ...tlsSecret, stringData: { ...tlsSecret.stringData, "ca.crt": other } }));
    const refused = await natskube(["apply", f2, ...urls, "--tls-client-secret", "natskube-admin", "--timeout", "60s"]);
    t.diagnostic(`another CA: ${refused.stderr}`);
    assert.equal(refused.code, 4, show(refused));
    assert.match(refused.stderr, /scale-down-refused: scale-down of scale-down-tls\/nats refused: cannot sign in as natskube-system at tls:\/\/127\.0\.0\.1:\d+, .* over TLS \(certificate checked for nats\.scale-down-tls\.svc\.cluster\.local, against ca\.crt of Secret scale-down-tls\/nats-tls; presenting the certificate of Secret scale-down-tls\/natskube-admin.*\): unable to verify the first certificate/, show(refused));
    assert.equal(replicasNow(), 3, "nothing written");
    kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], JSON.stringify(tlsSecret));
    // A client certificate another CA signed: the servers refuse the client.
    const strangerRefused = await natskube(["apply", f2, ...urls, "--tls-client-secret", "stranger", "--timeout", "60s"]);
    t.diagnostic(`client certificate of another CA: ${strangerRefused.stderr}`);
    assert.equal(strangerRefused.code, 4, show(strangerRefused));
    assert.match(strangerRefused.stderr, /cannot sign in as natskube-system at .*presenting the certificate of Secret scale-down-tls\/stranger, which the CA in ca\.crt did not sign \(servers that verify clients against that CA refuse it without a reason\)\): /, show(strangerRefused));
    assert.equal(replicasNow(), 3, "nothing written");

    // The manifest can name the certificate instead of the flag (tls.clientSecretName): the servers' configuration is the same.
    const f2named = file("tls-2-named.yaml", manifest({ ...tlsSpec(2), tls: { ...tlsSpec(2).tls, clientSecretName: "natskube-admin" } }));
    const r = await natskube(["apply", f2named, ...urls, "--timeout", "120s"], 180_000);
    t.diagnostic(r.stderr);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /scaled down quorum-safe: scale-down-tls\/nats 3 -> 2/, show(r));
    assert.match(r.stderr, /nats-2: removed; meta group of 2/, show(r));
    assert.equal(replicasNow(), 2);
    // The password, the CA and the client key stay in memory: none is on stdout or stderr.
    const pass = secretData("nats-system", ns)["nats-system/password"]!;
    for (const secret of [pass, files["certs/ca.crt"]!.split("\n")[1]!, admin.keyPem.split("\n")[1]!]) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), "no secret in the output");
  });

  it("1 -> 3 with JetStream is refused unless --allow-disruptive: start a new cluster and migrate", { timeout: 240_000 }, async (t) => {
    const ns = "scale-up-one";
    defer(t, () => deleteNamespace(ns));
    const one = file("one.yaml", manifest(spec(1, ns)));
    const applied = await natskube(["apply", one, "--generate-secrets", "--timeout", "120s"], 180_000);
    assert.equal(applied.code, 0, show(applied));
    const r = await natskube(["apply", file("one-to-three.yaml", manifest(spec(3, ns)))]);
    assert.equal(r.code, 4, show(r));
    assert.match(r.stdout, /scale 1 -> 3: never scale a live cluster 1 -> 3; start a new cluster and migrate/);
    assert.match(r.stderr, /refused: the plan is disruptive; nothing was written/);
    assert.equal(getJson<{ spec: { replicas: number } }>(["statefulset", "-n", ns, "nats"]).spec.replicas, 1);
  });

  it("a cluster without a system account (TOKEN auth) is refused with the fix, before any NATS request", { timeout: 240_000 }, async (t) => {
    const ns = "scale-no-sys";
    defer(t, () => deleteNamespace(ns));
    const token = (replicas: number) => manifest({ ...spec(replicas, ns), auth: { enabled: true, mode: "TOKEN" } });
    const applied = await natskube(["apply", file("token-3.yaml", token(3)), "--generate-secrets", "--timeout", "120s"], 180_000);
    assert.equal(applied.code, 0, show(applied));
    // Nothing listens there: the refusal comes before natskube connects.
    const urls = [1, 2, 3].flatMap((i) => ["--nats-url", `nats://127.0.29.${i}:4222`]);
    const r = await natskube(["apply", file("token-2.yaml", token(2)), ...urls]);
    assert.equal(r.code, 4, show(r));
    assert.match(r.stderr, /scale-down-refused: scale-down of scale-no-sys\/nats 3 -> 2 refused: the cluster has no system account: nats-server honours \$JS\.API\.SERVER\.REMOVE only from it\. Fix: .*spec\.auth\.systemAccount\.enabled: true/);
    assert.equal(getJson<{ spec: { replicas: number } }>(["statefulset", "-n", ns, "nats"]).spec.replicas, 3);
  });
});

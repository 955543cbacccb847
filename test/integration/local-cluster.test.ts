// Exercises src/verify against the real nats-server: if these pass, `natskube verify`
// and every other server-booting test can trust the harness's waits and cleanup.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { checkConfig, findNatsServer, startLocalCluster, type LocalServerSpec } from "../../src/verify/local-cluster.js";
import { makeCertificateAuthority, makeServerCertificate } from "../../src/verify/certs.js";
import { retry } from "../../src/verify/checks.js";
import { bootFormed, bootLocal, defer, tempDir } from "../support/local.js";
import { natsServerBin } from "../support/tools.js";

const bin = natsServerBin();
// Never skip silently: a suite without the real server proves nothing.
const skip = false;
const HOSTS = ["127.0.9.2", "127.0.9.3", "127.0.9.4"] as const;

/** A cold election: usually well under a second, but 2.15 sometimes takes 2-7 s (docs/verify.md). */
const ELECTION_MS = 15_000;

/** For bootLocal/bootFormed, which stop the servers after the test, then remove their temporary folder. */
const OPTS = { bin, startTimeoutMs: 5000 };

// The shape natskube generates for a StatefulSet pod: identity from the environment. A minimal conf
// of this suite's own, so its env is the one it names (tests that run a render use bootPods).
function clusterConf(extra = ""): string {
  return `server_name: $SERVER_NAME
host: $POD_IP
port: 4222
http_port: 8222
jetstream { store_dir: "./data" }
cluster {
  name: bus
  host: $POD_IP
  port: 6222
  routes: [${HOSTS.map((h) => `nats://${h}:6222`).join(", ")}]
  ${extra}
}
`;
}

function podSpecs(confText: string, files?: Record<string, string>[]): LocalServerSpec[] {
  return HOSTS.map((host, i) => ({
    name: `bus-${i}`,
    host,
    confText,
    env: { POD_NAME: `bus-${i}`, SERVER_NAME: `bus-${i}`, POD_IP: host },
    ...(files?.[i] ? { files: files[i] } : {}),
  }));
}

async function client(t: TestContext, server: string, tls?: { caFile: string }): Promise<NatsConnection> {
  const nc = await connect({ servers: server, timeout: 3000, ...(tls ? { tls } : {}) });
  defer(t, () => nc.close());
  return nc;
}

/** Responder on one server, requester on another: only works if the route carries it. */
async function requestAcross(a: NatsConnection, b: NatsConnection): Promise<string> {
  a.subscribe("echo", {
    callback: (_err, msg) => {
      msg.respond(`echo:${msg.string()}`);
    },
  });
  await a.flush();
  // Interest crosses the route asynchronously: retry "no responders" a bounded number of times.
  for (let i = 0; ; i++) {
    try {
      return (await b.request("echo", "hi", { timeout: 1000 })).string();
    } catch (e) {
      if (i >= 20) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Messages of `stream` in this server's own replica (/jsz), polled until `want` (bounded). */
async function storedMessages(monitorUrl: string, stream: string, want: number, timeoutMs: number): Promise<number> {
  type Jsz = { account_details?: { stream_detail?: { name: string; state: { messages: number } }[] }[] };
  let seen = -1;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const jsz = (await (await fetch(`${monitorUrl}/jsz?streams=true`, { signal: AbortSignal.timeout(1000) })).json()) as Jsz;
    const detail = jsz.account_details?.flatMap((a) => a.stream_detail ?? []).find((d) => d.name === stream);
    seen = detail?.state.messages ?? -1;
    if (seen === want) break;
  }
  return seen;
}

test("findNatsServer: explicit path wins, missing explicit path is undefined", { skip }, () => {
  assert.equal(findNatsServer(bin), bin);
  assert.equal(findNatsServer("/nonexistent/nats-server"), undefined);
});

test("a 1-node server with a minimal conf boots and is healthy", { skip, timeout: 10_000 }, async (t) => {
  const cluster = await bootLocal(t, [{ name: "solo-0", host: "127.0.9.2", confText: "host: $POD_IP\nport: 4222\nhttp_port: 8222\n", env: { POD_IP: "127.0.9.2" } }], OPTS);
  await cluster.waitHealthy(3000);
  const [s] = cluster.servers;
  assert.ok(s?.running && typeof s.pid === "number");
  assert.equal(s.monitorUrl, "http://127.0.9.2:8222");
  assert.match(s.logs, /Server is ready/);
  await cluster.stop();
  assert.equal(s.running, false);
  await cluster.stop(); // idempotent
});

test("3-node JetStream cluster: routes, meta leader, request/reply across servers", { skip, timeout: 60_000 }, async (t) => {
  const { cluster, leader } = await bootFormed(t, podSpecs(clusterConf()), OPTS, ELECTION_MS);
  await cluster.waitRoutes(2, 5000);
  assert.ok(["bus-0", "bus-1", "bus-2"].includes(leader), leader);
  await cluster.waitHealthy(5000);
  const a = await client(t, "nats://127.0.9.2:4222");
  const b = await client(t, "nats://127.0.9.3:4222");
  assert.equal(await requestAcross(a, b), "echo:hi");
});

// A follower, not the leader: re-electing a meta leader after SIGKILL of the leader
// takes about 6 s on 2.9.10, which would dominate the suite's runtime.
test("kill -9 of a server, then restart: it rejoins with the same store", { skip, timeout: 60_000 }, async (t) => {
  const { cluster, leader } = await bootFormed(t, podSpecs(clusterConf()), OPTS, ELECTION_MS);
  // An R3 stream: one message stored before the kill, one while the server is down.
  const nc = await client(t, `nats://${cluster.servers.find((s) => s.name === leader)!.host}:4222`);
  // Short requests, retried: 2.15's JetStream API can leave the first requests after an election unanswered for seconds.
  const jsm = await retry(() => jetstreamManager(nc, { timeout: 2000 }), 8000);
  const info = await retry(() => jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"], num_replicas: 3 }), 8000);
  await jetstream(nc).publish("orders.1", "first");
  // Neither the meta leader nor the stream leader, so no election delays the test.
  const victim = cluster.servers.find((s) => s.name !== leader && s.serverName !== info.cluster?.leader)!;
  const oldPid = victim.pid;
  await cluster.kill(victim.name, "SIGKILL");
  assert.equal(victim.running, false);
  assert.equal(victim.pid, undefined);
  assert.equal(await cluster.waitMetaLeader(ELECTION_MS), leader); // the two others keep quorum
  await jetstream(nc).publish("orders.2", "second");
  await cluster.restart(victim.name);
  assert.ok(victim.pid !== undefined && victim.pid !== oldPid);
  assert.match(victim.logs, /----- restarted -----/);
  await cluster.waitRoutes(2, 5000);
  await cluster.waitMetaLeader(ELECTION_MS); // all three, restarted one included, agree
  await cluster.waitHealthy(5000);
  assert.equal(await storedMessages(victim.monitorUrl, "ORDERS", 2, 5000), 2);
  await assert.rejects(cluster.restart(victim.name), /still running/);
});

test("lame duck mode: the server leaves and the others keep a leader", { skip, timeout: 60_000 }, async (t) => {
  const { cluster } = await bootFormed(t, podSpecs(clusterConf()), OPTS, ELECTION_MS);
  await cluster.lameDuck("bus-2", 10_000);
  assert.equal(cluster.servers[2]?.running, false);
  assert.match(cluster.servers[2]?.logs ?? "", /lame duck/i);
  await cluster.waitMetaLeader(ELECTION_MS);
});

test("a conf with an unknown key: startLocalCluster rejects with the server's own error line", { skip, timeout: 10_000 }, async (t) => {
  const conf = "host: $POD_IP\nport: 4222\nhttp_port: 8222\nbogus_key: 1\n";
  await assert.rejects(
    startLocalCluster([{ name: "bad-0", host: "127.0.9.2", confText: conf, env: { POD_IP: "127.0.9.2" } }], { ...OPTS, workDir: tempDir(t) }),
    (e: Error) => {
      assert.match(e.message, /bad-0 \(127\.0\.9\.2\) exited with code 1 before it was ready/);
      assert.match(e.message, /nats\.conf:4:1: unknown field "bogus_key"/);
      return true;
    },
  );
  // Its address was released: the next cluster can take it at once.
  const ok = await bootLocal(t, [{ name: "good-0", host: "127.0.9.2", confText: "host: $POD_IP\nhttp_port: 8222\n", env: { POD_IP: "127.0.9.2" } }], OPTS);
  await ok.waitHealthy(3000);
});

test("a missing binary and a non-loopback host are clear errors", { skip }, async (t) => {
  const spec = { name: "x-0", host: "127.0.9.2", confText: "", env: {} };
  await assert.rejects(startLocalCluster([spec], { bin: "/nonexistent/nats-server", workDir: tempDir(t) }), /could not be started .*ENOENT/);
  await assert.rejects(startLocalCluster([{ ...spec, host: "10.0.0.1" }], { bin, workDir: tempDir(t) }), /not a loopback address/);
});

test("checkConfig reports valid and invalid configs", { skip }, async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "good.conf"), "server_name: $SERVER_NAME\nport: 4222\n");
  writeFileSync(join(dir, "bad.conf"), "port: 4222\ncluster { bogus: 1 }\n");
  const good = await checkConfig(bin, join(dir, "good.conf"), { env: { SERVER_NAME: "n1" } });
  // Some versions add the configuration's digest after "is valid".
  assert.equal(good.ok, true);
  assert.match(good.message, /^configuration file good\.conf is valid( \(sha256:[0-9a-f]{64}\))?$/);
  const bad = await checkConfig(bin, join(dir, "bad.conf"));
  assert.equal(bad.ok, false);
  assert.match(bad.message, /bad\.conf:2:\d+: unknown field "bogus"/);
  const noVar = await checkConfig(bin, join(dir, "good.conf"));
  assert.equal(noVar.ok, false);
  assert.match(noVar.message, /SERVER_NAME/);
});

test("certs: SANs exactly as given, serverAuth + clientAuth, signed by the CA", async (t) => {
  const dir = tempDir(t);
  const ca = await makeCertificateAuthority(join(dir, "ca"));
  const cert = await makeServerCertificate(ca, { name: "bus-0", dnsNames: ["bus-0.bus-headless", "localhost"], ipAddresses: ["127.0.9.2"], dir });
  const x = new X509Certificate(cert.certPem);
  assert.equal(x.subjectAltName, "DNS:bus-0.bus-headless, DNS:localhost, IP Address:127.0.9.2");
  assert.deepEqual(x.keyUsage?.slice().sort(), ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
  assert.ok(x.verify(new X509Certificate(ca.certPem).publicKey));
  assert.equal(x.ca, false);
  assert.equal(new X509Certificate(ca.certPem).ca, true);
  await assert.rejects(makeServerCertificate(ca, { name: "x", dnsNames: ["a\nIP:1.2.3.4"], ipAddresses: [], dir }), /invalid DNS name/);
});

test("TLS: 3 nodes with verified route TLS form a cluster; clients use TLS", { skip, timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  const ca = await makeCertificateAuthority(join(dir, "ca"));
  const files = await Promise.all(
    HOSTS.map(async (host, i) => {
      // "localhost": nats.js 3.4 connecting to an IP URL over TLS passes no servername,
      // so Node checks the certificate against "localhost" instead of the IP.
      const c = await makeServerCertificate(ca, { name: `bus-${i}`, dnsNames: [`bus-${i}.bus-headless`, "localhost"], ipAddresses: [host], dir });
      return { "certs/tls.crt": c.certPem, "certs/tls.key": c.keyPem, "certs/ca.crt": ca.certPem };
    }),
  );
  const tlsBlock = 'tls { cert_file: "certs/tls.crt", key_file: "certs/tls.key", ca_file: "certs/ca.crt"';
  const conf = `${tlsBlock} }\n${clusterConf(`${tlsBlock}, verify: true }`)}`;
  const { cluster } = await bootFormed(t, podSpecs(conf, files), OPTS, ELECTION_MS);
  await cluster.waitRoutes(2, 5000);
  await cluster.waitHealthy(5000);
  const a = await client(t, "tls://127.0.9.2:4222", { caFile: ca.certPath });
  const b = await client(t, "tls://127.0.9.4:4222", { caFile: ca.certPath });
  assert.equal(await requestAcross(a, b), "echo:hi");
});

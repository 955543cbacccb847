// Auth and TLS as natskube renders them, proven against the real nats-server (issue 3):
// the rendered nats.conf runs with the env the pods get from their Secrets, certificates made
// with openssl carry exactly the DNS names natskube's Certificate requests.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { describe, it, type TestContext } from "node:test";
import { connect, type ConnectionOptions, type NatsConnection } from "@nats-io/transport-node";
import { NO_AUTH_USER } from "../../src/conf/auth.js";
import { kubernetesTopology } from "../../src/model/topology.js";
import { serverDnsNames } from "../../src/render/certificates.js";
import { makeCertificateAuthority, makeServerCertificate, type CertificateAuthority } from "../../src/verify/certs.js";
import { checkConfig, type LocalCluster } from "../../src/verify/local-cluster.js";
import { buildPlan, sideFromRendered } from "../../src/plan/index.js";
import { bootPods, defer, podsOf, tempDir } from "../support/local.js";
import { diagnosticsOf, findObject, manifest, render } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";

const bin = natsServerBin();

const CLUSTER_HOSTS = ["127.0.7.2", "127.0.7.3", "127.0.7.4"];
// Single servers on their own addresses, so these tests do not queue behind the cluster tests' locks.
const SOLO = { token: "127.0.0.31", basic: "127.0.0.32", noAuth: "127.0.0.33", tlsSolo: "127.0.0.34", verifyReload: "127.0.0.35" } as const;

// Known values, shaped like generated ones (letters and digits, starting with a letter).
const TOKEN = "Tk7qL2mX9vB4nR8sW1yZ5cD3fG6hJ0kP";
const USER = "orders";
const PASSWORD = "Pw3nB8vC1xZ6mL9kJ2hG5fD7sA4qW0eR";
const NO_AUTH_PASSWORD = "Na5tY8uI1oP4aS7dF0gH3jK6lZ9xC2vB";

async function client(t: TestContext, opts: ConnectionOptions): Promise<NatsConnection> {
  const nc = await connect({ timeout: 3000, maxReconnectAttempts: 0, ...opts });
  defer(t, () => nc.close());
  return nc;
}

async function connectError(opts: ConnectionOptions): Promise<string> {
  try {
    const nc = await connect({ timeout: 3000, maxReconnectAttempts: 0, ...opts });
    await nc.close();
    return "connected";
  } catch (e) {
    return (e as Error).message;
  }
}

/** What the config reloader does: SIGHUP through nats-server's own --signal. */
function signalReload(pid: number): Promise<void> {
  return new Promise<void>((res, rej) => execFile(bin, ["--signal", `reload=${pid}`], { timeout: 10_000 }, (e) => (e ? rej(e) : res())));
}

/** A connection still up and working: a message it publishes comes back to its own subscription. */
async function stillWorks(nc: NatsConnection, subject: string): Promise<void> {
  const sub = nc.subscribe(subject, { max: 1 });
  nc.publish(subject, "still here");
  for await (const m of sub) assert.equal(m.string(), "still here");
  assert.equal(nc.isClosed(), false);
}

/** Every log line of every server, to check that no secret was logged. */
function allLogs(cluster: LocalCluster): string {
  return cluster.servers.map((s) => s.logs).join("\n");
}

/** The first async permission error the server sends on `nc` within a bounded time. */
async function permissionError(nc: NatsConnection, timeoutMs = 2000): Promise<string> {
  const timer = new Promise<string>((r) => setTimeout(() => r("no error"), timeoutMs));
  const seen = (async () => {
    for await (const s of nc.status()) {
      const err = (s as { error?: Error }).error;
      if (s.type === "error" && err) return err.message;
    }
    return "closed";
  })();
  return Promise.race([seen, timer]);
}

// Every test that starts processes has a bound: a hung one must fail, not hold the loopback locks.
describe("TOKEN auth against nats-server", { timeout: 30_000 }, () => {
  it("the right token connects; a wrong or missing token gets an authorization violation", async (t) => {
    const { cluster, plan: { confText: conf } } = await bootPods(t, manifest({ replicas: 1, auth: { enabled: true, mode: "TOKEN" } }), { bin, firstAddress: SOLO.token, secretEnv: { NATS_TOKEN: TOKEN } });
    assert.match(conf, /^ {2}token: \$NATS_TOKEN$/m, "unquoted env reference");
    const servers = `nats://${SOLO.token}:4222`;
    const nc = await client(t, { servers, token: TOKEN });
    const sub = nc.subscribe("orders.created", { max: 1 });
    nc.publish("orders.created", "one");
    for await (const m of sub) assert.equal(m.string(), "one");
    assert.match(await connectError({ servers, token: "WrongToken123" }), /authorization violation/i);
    assert.match(await connectError({ servers }), /authorization violation/i);
    assert.ok(!allLogs(cluster).includes(TOKEN), "the token never appears in the server log");
  });

  it("Project Planton's scheme: bearer_token is TOKEN and really closes the server (bug B1)", async (t) => {
    const { plan: { confText: conf } } = await bootPods(t, manifest({ replicas: 1, auth: { enabled: true, scheme: "bearer_token" } }), { bin, firstAddress: SOLO.token, secretEnv: { NATS_TOKEN: TOKEN } });
    assert.match(conf, /token: \$NATS_TOKEN/);
    assert.match(await connectError({ servers: `nats://${SOLO.token}:4222` }), /authorization violation/i);
    const nc = await client(t, { servers: `nats://${SOLO.token}:4222`, token: TOKEN });
    await nc.flush();
  });

  it("nats-server refuses a token next to users, which is why TOKEN + noAuthUser is a validation error", async (t) => {
    const dir = tempDir(t);
    writeFileSync(
      join(dir, "nats.conf"),
      `authorization {\n  token: $NATS_TOKEN\n  users: [ {user: "${NO_AUTH_USER}", password: $NATS_NO_AUTH_PASSWORD} ]\n}\nno_auth_user: "${NO_AUTH_USER}"\n`,
    );
    const check = await checkConfig(bin, join(dir, "nats.conf"), { env: { NATS_TOKEN: TOKEN, NATS_NO_AUTH_PASSWORD: NO_AUTH_PASSWORD } });
    assert.equal(check.ok, false);
    assert.match(check.message, /Can not have a token and a users array/);
    const diags = diagnosticsOf(manifest({ auth: { enabled: true, mode: "TOKEN", noAuthUser: { enabled: true, publishSubjects: ["public.>"] } } }));
    const d = diags.find((x) => x.path === "spec.auth.noAuthUser");
    assert.equal(d?.severity, "error");
    assert.match(d?.hint ?? "", /mode: BASIC/);
  });
});

describe("BASIC auth and the no-auth user against nats-server", { timeout: 30_000 }, () => {
  it("the right user and password connect; a wrong password or none gets an authorization violation", async (t) => {
    const text = manifest({ replicas: 1, auth: { enabled: true, scheme: "basic_auth" } });
    const { cluster, plan: { confText: conf } } = await bootPods(t, text, { bin, firstAddress: SOLO.basic, secretEnv: { NATS_USER: USER, NATS_PASSWORD: PASSWORD } });
    assert.match(conf, /user: \$NATS_USER\n\s+password: \$NATS_PASSWORD/);
    const servers = `nats://${SOLO.basic}:4222`;
    const nc = await client(t, { servers, user: USER, pass: PASSWORD });
    await nc.flush();
    assert.match(await connectError({ servers, user: USER, pass: "WrongPassw0rd" }), /authorization violation/i);
    assert.match(await connectError({ servers, user: "nobody", pass: PASSWORD }), /authorization violation/i);
    assert.match(await connectError({ servers }), /authorization violation/i);
    const logs = allLogs(cluster);
    assert.ok(!logs.includes(PASSWORD), "the password never appears in the server log");
  });

  it("anonymous clients publish to their subjects and are refused elsewhere, other clients' inboxes included", async (t) => {
    const text = manifest({ replicas: 1, auth: { enabled: true, mode: "BASIC", noAuthUser: { enabled: true, publishSubjects: ["public.>", "telemetry.*"] } } });
    const env = { NATS_USER: USER, NATS_PASSWORD: PASSWORD, NATS_NO_AUTH_PASSWORD: NO_AUTH_PASSWORD };
    const { cluster, plan: { confText: conf } } = await bootPods(t, text, { bin, firstAddress: SOLO.noAuth, secretEnv: env });
    assert.match(conf, /no_auth_user: "anonymous"/);
    assert.match(conf, /password: \$NATS_NO_AUTH_PASSWORD/);
    const servers = `nats://${SOLO.noAuth}:4222`;
    const admin = await client(t, { servers, user: USER, pass: PASSWORD });
    const anon = await client(t, { servers });

    // Allowed publish reaches an authenticated subscriber.
    const got: string[] = [];
    const record = (_e: Error | null, m: { subject: string; string(): string }): void => void got.push(`${m.subject}=${m.string()}`);
    admin.subscribe("public.>", { callback: record });
    admin.subscribe("telemetry.*", { callback: record });
    admin.subscribe("private.>", { callback: record });
    admin.subscribe("public.echo", { callback: (_e, m) => void m.respond(`echo:${m.string()}`) });
    await admin.flush();
    anon.publish("public.news", "ok");
    anon.publish("telemetry.cpu", "42");

    // Refused: publishing elsewhere, and subscribing to anything, inboxes included: every user shares
    // one account, so `_INBOX.>` would be every reply in it (pull-consumer deliveries, KV reads).
    const pubErr = permissionError(anon);
    anon.publish("private.secrets", "no");
    assert.match(await pubErr, /permissions violation for publish to "private\.secrets"/i);
    const subErr = permissionError(anon);
    anon.subscribe("public.>");
    assert.match(await subErr, /permissions violation for subscription to "public\.>"/i);
    const inboxErr = permissionError(anon);
    anon.subscribe("_INBOX.>");
    assert.match(await inboxErr, /permissions violation for subscription to "_INBOX\.>"/i);
    // So a request, whose reply needs an inbox subscription, is refused too.
    await assert.rejects(anon.request("public.echo", "ping", { timeout: 2000 }), /permissions violation for subscription to "_INBOX\./i);
    await admin.flush();
    await anon.flush();
    assert.ok(got.includes("public.news=ok") && got.includes("telemetry.cpu=42"), got.join(","));
    assert.ok(!got.some((g) => g.startsWith("private.")), got.join(","));

    // Nobody can sign in as the anonymous user by name without its random password.
    assert.match(await connectError({ servers, user: NO_AUTH_USER, pass: "guess" }), /authorization violation/i);
    const logs = allLogs(cluster);
    for (const secret of Object.values(env).slice(1)) assert.ok(!logs.includes(secret), "no password in the log");
  });

  it("subscribeSubjects opts in: with an inbox prefix of their own, anonymous clients get replies, and still not others'", async (t) => {
    const nau = { enabled: true, publishSubjects: ["public.>"], subscribeSubjects: ["_INBOX_anon.>"] };
    const text = manifest({ replicas: 1, auth: { enabled: true, mode: "BASIC", noAuthUser: nau } });
    const env = { NATS_USER: USER, NATS_PASSWORD: PASSWORD, NATS_NO_AUTH_PASSWORD: NO_AUTH_PASSWORD };
    await bootPods(t, text, { bin, firstAddress: SOLO.noAuth, secretEnv: env });
    const servers = `nats://${SOLO.noAuth}:4222`;
    const admin = await client(t, { servers, user: USER, pass: PASSWORD });
    admin.subscribe("public.echo", { callback: (_e, m) => void m.respond(`echo:${m.string()}`) });
    await admin.flush();
    const anon = await client(t, { servers, inboxPrefix: "_INBOX_anon" });
    assert.equal((await anon.request("public.echo", "ping", { timeout: 2000 })).string(), "echo:ping");
    const inboxErr = permissionError(anon);
    anon.subscribe("_INBOX.>");
    assert.match(await inboxErr, /permissions violation for subscription to "_INBOX\.>"/i);
  });
});

// ------------------------------------------------------------------ TLS

interface Issued {
  ca: CertificateAuthority;
  files: Record<string, string>;
}

/**
 * A certificate with exactly the DNS names of natskube's Certificate. Locally, routes dial loopback
 * IPs (tls://127.0.7.3:6222) where pods dial <pod>.<headless>, so the loopback IPs are added as IP
 * SANs: nats-server checks the route peer's name against the URL it dialed.
 */
async function issue(dir: string, dnsNames: string[], ipAddresses: string[], ca?: CertificateAuthority): Promise<Issued> {
  const authority = ca ?? (await makeCertificateAuthority(join(dir, "ca")));
  const cert = await makeServerCertificate(authority, { name: "server", dnsNames, ipAddresses, dir: join(dir, `issued-${Math.random().toString(36).slice(2)}`) });
  return { ca: authority, files: { "certs/tls.crt": cert.certPem, "certs/tls.key": cert.keyPem, "certs/ca.crt": authority.certPem } };
}

const TLS_CLUSTER = { replicas: 3, auth: { enabled: true, mode: "TOKEN" }, tls: { enabled: true }, externalAccess: { type: "LOADBALANCER", hostname: "nats.example.com" } };

describe("TLS against nats-server", { timeout: 45_000 }, () => {
  it("the certificate natskube requests covers every name clients and route peers use", async (t) => {
    const text = manifest(TLS_CLUSTER, { name: "bus" });
    const r = render(text);
    const cert = findObject(r, "Certificate", r.model.names.tlsSecret) as unknown as { spec: { dnsNames: string[] } };
    assert.deepEqual(cert.spec.dnsNames, serverDnsNames(r.model));
    const { files } = await issue(tempDir(t), cert.spec.dnsNames, []);
    const x509 = new X509Certificate(files["certs/tls.crt"]!);
    const sans = (x509.subjectAltName ?? "").split(", ").map((s) => s.replace(/^DNS:/, ""));
    assert.deepEqual(sans, cert.spec.dnsNames, "the test certificate carries exactly the requested names");
    // Clients (Node's TLS, OpenSSL rules) by every Service form and the external hostname.
    for (const host of [...r.model.dns.client, "nats.example.com"]) assert.equal(x509.checkHost(host), host, `SAN covers ${host}`);
    // Route peers are checked by nats-server (Go); OpenSSL refuses `*.<one label>` wildcards, Go does not,
    // so the pods' route hosts are matched with Go's rule (crypto/x509 matchHostnames).
    const routeHosts = [false, true].flatMap((fqdn) => {
      const topo = kubernetesTopology(r.model.names.headless, r.model.namespace, "cluster.local", fqdn);
      return r.model.pods.map((p, i) => topo.routeHost(i, p));
    });
    for (const host of routeHosts) assert.ok(sans.some((p) => goMatchesHost(p, host)), `SAN covers route host ${host}`);
    for (const host of ["bus.other-namespace", "bus-0.other-headless", "a.b.bus-headless"])
      assert.ok(!sans.some((p) => goMatchesHost(p, host)) && x509.checkHost(host) === undefined, `and not ${host}`);
  });

  it("a client with the CA connects by a service name in the SAN list; without the CA, or by another name, it fails", async (t) => {
    const text = manifest({ ...TLS_CLUSTER, replicas: 1 }, { name: "bus" });
    const r = render(text);
    const { ca, files } = await issue(tempDir(t), serverDnsNames(r.model), []);
    const { plan: { confText: conf } } = await bootPods(t, text, { bin, firstAddress: SOLO.tlsSolo, secretEnv: { NATS_TOKEN: TOKEN }, files: () => files });
    assert.match(conf, /tls \{\n\s+cert_file: "certs\/tls\.crt"\n\s+key_file: "certs\/tls\.key"\n\s+ca_file: "certs\/ca\.crt"/);
    const servers = `tls://${SOLO.tlsSolo}:4222`;
    for (const name of [r.model.dns.client[1]!, r.model.dns.clientFqdn, "nats.example.com"]) {
      const nc = await client(t, { servers, token: TOKEN, tls: { ca: ca.certPem, servername: name } as ConnectionOptions["tls"] });
      await nc.flush();
    }
    const noCa = await connectError({ servers, token: TOKEN, tls: { servername: r.model.dns.clientFqdn } as ConnectionOptions["tls"] });
    assert.match(noCa, /self[- ]signed|unable to verify|certificate/i);
    const wrongName = await connectError({ servers, token: TOKEN, tls: { ca: ca.certPem, servername: "bus.elsewhere.svc" } as ConnectionOptions["tls"] });
    assert.match(wrongName, /altnames|does not match|Hostname\/IP/i);
    // TLS does not replace auth.
    assert.match(await connectError({ servers, tls: { ca: ca.certPem, servername: r.model.dns.clientFqdn } as ConnectionOptions["tls"] }), /authorization violation/i);
  });

  it("a 3-node cluster forms with route TLS and peer verification on", async (t) => {
    const text = manifest(TLS_CLUSTER, { name: "bus" });
    const r = render(text);
    const { ca, files } = await issue(tempDir(t), serverDnsNames(r.model), CLUSTER_HOSTS);
    const { cluster, plan: { confText: conf } } = await bootPods(t, text, { bin, firstAddress: CLUSTER_HOSTS[0]!, secretEnv: { NATS_TOKEN: TOKEN }, files: () => files });
    assert.match(conf, /"tls:\/\/127\.0\.7\.3:6222"/);
    assert.match(conf, /cluster \{[\s\S]*tls \{[\s\S]*verify: true/);
    await cluster.waitRoutes(2, 10_000);
    await cluster.waitHealthy(15_000);
    for (const s of cluster.servers) {
      const varz = (await (await fetch(`${s.monitorUrl}/varz`, { signal: AbortSignal.timeout(2000) })).json()) as {
        cluster: { tls_required?: boolean; tls_verify?: boolean };
        tls_required?: boolean;
      };
      assert.equal(varz.cluster.tls_required, true, `${s.name} routes require TLS`);
      assert.equal(varz.cluster.tls_verify, true, `${s.name} verifies route peers`);
      assert.equal(varz.tls_required, true, `${s.name} clients require TLS`);
    }
    // A message crosses a TLS route: responder on one server, requester on another.
    const tls = { ca: ca.certPem, servername: r.model.dns.clientFqdn } as ConnectionOptions["tls"];
    const a = await client(t, { servers: `tls://${CLUSTER_HOSTS[0]}:4222`, token: TOKEN, tls });
    const b = await client(t, { servers: `tls://${CLUSTER_HOSTS[2]}:4222`, token: TOKEN, tls });
    a.subscribe("echo", { callback: (_e, m) => void m.respond(`echo:${m.string()}`) });
    await a.flush();
    let answer = "";
    for (let i = 0; i < 40 && !answer; i++) {
      answer = await b.request("echo", "hi", { timeout: 500 }).then((m) => m.string(), () => "");
      if (!answer) await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(answer, "echo:hi");
    assert.ok(!allLogs(cluster).includes(TOKEN));
  });

  it("route verification is real: a server whose certificate another CA signed gets no routes", async (t) => {
    const text = manifest(TLS_CLUSTER, { name: "bus" });
    const r = render(text);
    const dir = tempDir(t);
    const good = await issue(dir, serverDnsNames(r.model), CLUSTER_HOSTS);
    const rogue = await issue(join(dir, "rogue"), serverDnsNames(r.model), CLUSTER_HOSTS);
    // The rogue server trusts the real CA, so only its own certificate is wrong.
    const rogueFiles = { ...rogue.files, "certs/ca.crt": good.ca.certPem };
    const { cluster } = await bootPods(t, text, { bin, firstAddress: CLUSTER_HOSTS[0]!, secretEnv: { NATS_TOKEN: TOKEN }, files: (i) => (i === 2 ? rogueFiles : good.files) });
    const routes = () =>
      Promise.all(
        // Distinct peers: from 2.10 on a pool of routes links each pair.
        cluster.servers.map(async (s) => {
          const { routes = [] } = (await (await fetch(`${s.monitorUrl}/routez`, { signal: AbortSignal.timeout(2000) })).json()) as { routes?: { remote_name?: string }[] };
          return new Set(routes.map((x) => x.remote_name)).size;
        }),
      );
    let seen = await routes();
    for (let i = 0; i < 100 && (seen[0] !== 1 || seen[1] !== 1); i++) {
      await new Promise((res) => setTimeout(res, 50));
      seen = await routes();
    }
    // Routes are retried every second: give the rogue several attempts, then check that nobody accepted it.
    await new Promise((res) => setTimeout(res, 2500));
    assert.deepEqual(await routes(), [1, 1, 0], "bus-0 and bus-1 route to each other, nobody to bus-2 (distinct peers)");
    // verify's formation check says who is missing from whose view.
    await assert.rejects(cluster.waitFormed(1500), /bus-2 missing from bus-0's routes \(it sees bus-1\)/);
    assert.match(cluster.servers[2]!.logs + cluster.servers[0]!.logs, /certificate|tls/i);
  });

  it("a renewed certificate is served after a config reload, without a restart (what the reloader does)", async (t) => {
    const text = manifest({ ...TLS_CLUSTER, replicas: 1 }, { name: "bus" });
    const r = render(text);
    const dir = tempDir(t);
    const first = await issue(dir, serverDnsNames(r.model), []);
    const { cluster } = await bootPods(t, text, { bin, firstAddress: SOLO.tlsSolo, secretEnv: { NATS_TOKEN: TOKEN }, files: () => first.files });
    const server = cluster.servers[0]!;
    const tls = { ca: first.ca.certPem, servername: r.model.dns.clientFqdn } as ConnectionOptions["tls"];
    const connected = await client(t, { servers: `tls://${SOLO.tlsSolo}:4222`, token: TOKEN, tls });
    const before = await servedCertificate(SOLO.tlsSolo, first.ca.certPem);
    const renewed = await issue(join(dir, "renewed"), serverDnsNames(r.model), [], first.ca);
    writeFileSync(join(server.dir, "certs", "tls.crt"), renewed.files["certs/tls.crt"]!);
    writeFileSync(join(server.dir, "certs", "tls.key"), renewed.files["certs/tls.key"]!);
    const pid = server.pid!;
    await signalReload(pid);
    let after = before;
    for (let i = 0; i < 40 && after === before; i++) {
      await new Promise((res) => setTimeout(res, 50));
      after = await servedCertificate(SOLO.tlsSolo, first.ca.certPem);
    }
    assert.notEqual(after, before, "the new certificate is served");
    assert.equal(after, new X509Certificate(readFileSync(join(server.dir, "certs", "tls.crt"))).serialNumber);
    assert.equal(server.pid, pid, "same process");
    // The connection made before the reload is still up and working.
    await stillWorks(connected, "after.reload");
  });
});

describe("turning on tls.verifyClients on a running server (what plan warns about)", { timeout: 45_000 }, () => {
  it("the reload keeps the connections it has and refuses each new one without a certificate the CA signed", async (t) => {
    const tls = { ...TLS_CLUSTER, replicas: 1 };
    const before = manifest(tls, { name: "bus" });
    const after = manifest({ ...tls, tls: { enabled: true, verifyClients: true } }, { name: "bus" });
    // What plan says of this change, on the manifests as rendered for Kubernetes.
    const warning = buildPlan(sideFromRendered("before.yaml", [render(before)]), sideFromRendered("after.yaml", [render(after)]))
      .objects.flatMap((o) => o.changes)
      .find((c) => /starts asking every client for a certificate/.test(c.summary));
    assert.ok(warning && warning.severity === "attention", "plan warns about verifyClients turned on");
    assert.match(warning.details[0]!, /reloads tls\.verify in place and keeps the connections it has/);

    const r = render(before);
    const dir = tempDir(t);
    const { ca, files } = await issue(dir, serverDnsNames(r.model), []);
    const { cluster } = await bootPods(t, before, { bin, firstAddress: SOLO.verifyReload, secretEnv: { NATS_TOKEN: TOKEN }, files: () => files });
    const server = cluster.servers[0]!;
    const servers = `tls://${SOLO.verifyReload}:4222`;
    const trust = { ca: ca.certPem, servername: r.model.dns.clientFqdn };
    const connected = await client(t, { servers, token: TOKEN, tls: trust as ConnectionOptions["tls"] });
    // The ConfigMap after the change, as the kubelet hands it to the pod; then the reloader's signal.
    const conf = podsOf(after, { firstAddress: SOLO.verifyReload }).plan.confText;
    assert.match(conf, /^tls \{[^}]*verify: true/m);
    writeFileSync(join(server.dir, "nats.conf"), conf);
    const pid = server.pid!;
    await signalReload(pid);
    // Applied once a new client without a certificate is refused; the server did not restart.
    let refusal = "connected";
    for (let i = 0; i < 40 && refusal === "connected"; i++) {
      refusal = await connectError({ servers, token: TOKEN, tls: trust as ConnectionOptions["tls"] });
      if (refusal === "connected") await new Promise((res) => setTimeout(res, 50));
    }
    assert.notEqual(refusal, "connected", "a client without a certificate is refused after the reload");
    assert.equal(server.pid, pid, "reloaded, not restarted");
    assert.match(server.logs, /client didn't provide a certificate/);
    // The connection made before the reload is still up and working.
    await stillWorks(connected, "after.verify");
    // A client with a certificate the CA signed connects.
    const cert = await makeServerCertificate(ca, { name: "app", dnsNames: ["app"], ipAddresses: [], dir: join(dir, "app") });
    const withCert = await client(t, { servers, token: TOKEN, tls: { ...trust, cert: cert.certPem, key: cert.keyPem } as ConnectionOptions["tls"] });
    await withCert.flush();
  });
});

/** Go's crypto/x509 host matching: same label count, `*` only as the whole left-most label. */
function goMatchesHost(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().split(".");
  const h = host.toLowerCase().replace(/\.$/, "").split(".");
  return p.length === h.length && p.every((part, i) => (i === 0 && part === "*") || part === h[i]);
}

/** Serial number of the certificate the server presents: NATS sends INFO in clear, then the client upgrades. */
function servedCertificate(host: string, caPem: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port: 4222 });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("no TLS handshake within 3 s"));
    }, 3000);
    socket.once("error", reject);
    socket.once("data", () => {
      const secure = tlsConnect({ socket, ca: caPem, servername: "nats.example.com" }, () => {
        clearTimeout(timer);
        const serial = secure.getPeerX509Certificate()?.serialNumber ?? "";
        secure.destroy();
        resolve(serial);
      });
      secure.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  });
}

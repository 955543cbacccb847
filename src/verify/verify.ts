// `natskube verify` as a library: boot the rendered cluster on loopback addresses with the real
// nats-server and prove it works. Returns a report; never prints. Stops every process it started
// and removes its temporary directory (unless asked to keep it), also when a check throws.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { NatsConnection } from "@nats-io/transport-node";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { OLDEST_SUPPORTED } from "../nats/server-versions.js";
import { PORTS } from "../model/model.js";
import { parseText } from "../pipeline.js";
import { anonymousPermissions, expectRefused, wrongCredentials } from "./auth-checks.js";
import { chaosUnsupported, runChaos } from "./chaos/run.js";
import { DEFAULT_TIMEOUT_SECONDS } from "./defaults.js";
import { CheckRunner, scrubber, type Scrub } from "./checks.js";
import { ConnectionPool, connectTo, type ClientAccess } from "./clients.js";
import { RESOURCE_CHECKS } from "./jetstream-checks.js";
import { declaredResources } from "./jetstream-resources.js";
import { checkConfig, findNatsServer, startLocalCluster, type LocalCluster } from "./local-cluster.js";
import { buildLocalPlan, type ClientAuth, type LocalPlan } from "./local-plan.js";
import { pubSubAcross, requestReplyAcross } from "./messaging-checks.js";
import { mayRespond, mayUseJetStream } from "./subjects-for.js";
import { leafnodeAnswers, mqttAccepts, websocketAnswers } from "./listener-checks.js";
import { accountsIsolated, everyUserSignsIn, jetstreamOffInAccount, jetstreamStream, permissionsEnforced, systemAccountAnswers } from "./user-checks.js";
import type { CheckResult, FaultResult, VerifyReport } from "./report.js";
import { localServerSpecs } from "./server-specs.js";
import { compareVersions, natsServerVersion } from "./server-version.js";
import { certificatelessClientRefused, plaintextAttempt, untrustedClientRefused } from "./tls-checks.js";
import { makeTlsMaterial, type TlsMaterial } from "./tls-files.js";

export { DEFAULT_CHAOS_MESSAGES, DEFAULT_TIMEOUT_SECONDS } from "./defaults.js";

export interface VerifyOptions {
  /** Path of nats-server; default: $NATS_SERVER_BIN, PATH, /usr/sbin/nats-server. */
  natsServer?: string;
  /** Bound of every single wait (routes, leader, health, catch-up), in seconds. */
  timeoutSeconds?: number;
  /** Keep the temporary directory (nats.conf, stores, certificates) after the run. */
  keep?: boolean;
  /** Inject faults under load; needs JetStream and at least 3 replicas. */
  chaos?: { messages: number };
  /** Aborting stops the run at the next step; running servers are stopped as usual. */
  signal?: AbortSignal;
  /** Called once, before the first check, with what is about to run (target, nats-server, notes). */
  onStart?: (r: VerifyReport) => void;
  onCheck?: (r: CheckResult) => void;
  onFault?: (f: FaultResult) => void;
  /** What a long wait is still waiting for, every few seconds (the CLI prints it; secrets scrubbed). */
  onProgress?: (message: string) => void;
  /** Called after the checks while the cluster still runs (`--keep` waits here until interrupted). */
  onReady?: (session: RunningSession) => Promise<void>;
  /** Parent of the temporary directory (default: the OS temp dir). */
  tmpDir?: string;
  /** Loopback address of the first server (default 127.0.0.2); the others follow it. */
  firstAddress?: string;
}

/** What a user needs to try the running cluster with their own clients. Holds credentials. */
export interface RunningSession {
  servers: { pod: string; clientUrl: string; monitorUrl: string }[];
  auth: ClientAuth;
  caFile?: string;
  workDir: string;
}

function emptyReport(file: string): VerifyReport {
  return { file, ok: false, notes: [], checks: [], durationMs: 0 };
}

export async function verify(file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ...emptyReport(file), error: `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (e as Error).message}` };
  }
  return verifyText(text, file, options);
}

export async function verifyText(text: string, file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const parsed = parseText(text, file);
  if (hasErrors(parsed.diagnostics)) return { ...emptyReport(file), error: "the manifest is invalid", diagnostics: parsed.diagnostics };
  const docs = parsed.parsed.filter((p) => p.resource);
  if (docs.length !== 1) return { ...emptyReport(file), error: `verify runs one KubernetesNats document at a time; ${file} has ${docs.length}` };
  let plan: LocalPlan;
  try {
    plan = buildLocalPlan(docs[0]!, options.firstAddress ? { firstAddress: options.firstAddress } : {});
  } catch (e) {
    return { ...emptyReport(file), error: `cannot prepare a local run: ${(e as Error).message}` };
  }
  return verifyPlan(plan, file, options);
}

/** The lower-level entry: runs a prepared plan (tests use it to run a configuration the render would not produce). */
export async function verifyPlan(plan: LocalPlan, file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const report = emptyReport(file);
  const m = plan.model;
  report.target = { name: m.name, namespace: m.namespace, replicas: m.replicas, image: m.images.nats };
  const finish = () => {
    report.ok = report.error === undefined && report.checks.length > 0 && report.checks.every((c) => c.ok) && (report.chaos?.ok ?? true);
    report.durationMs = Math.round(performance.now() - started);
    return report;
  };

  const bin = findNatsServer(options.natsServer);
  if (!bin) {
    report.error = options.natsServer
      ? `nats-server not found at ${options.natsServer} (not an executable file)`
      : `nats-server not found on PATH or at /usr/sbin/nats-server: install nats-server ${OLDEST_SUPPORTED} or later (Debian 12's package is 2.9, too old; \`go install github.com/nats-io/nats-server/v2@v2.14.2\` builds the default image's version), or pass --nats-server PATH`;
    return finish();
  }
  const version = await natsServerVersion(bin);
  report.natsServer = { path: bin, version };
  if (compareVersions(version, m.spec.image.tag) < 0)
    report.notes.push(`the manifest runs ${m.images.nats}; this machine's nats-server is ${version}: behaviour added since ${version} is not exercised`);
  if (options.chaos) {
    const why = chaosUnsupported(plan);
    if (why) {
      report.error = why;
      return finish();
    }
  }
  report.servers = plan.servers.map((s) => ({ pod: s.pod, host: s.host, clientUrl: s.clientUrl, monitorUrl: s.monitorUrl }));

  options.onStart?.(report);
  const workDir = mkdtempSync(join(options.tmpDir ?? tmpdir(), "natskube-verify-"));
  const scrub = scrubber(() => plan.secrets.all());
  const runner = new CheckRunner(scrub, options.onCheck);
  const onProgress = options.onProgress;
  const progress = onProgress ? (message: string) => onProgress(scrub(message)) : undefined;
  const pool = new ConnectionPool();
  const ctx: RunContext = { plan, scrub, bin, version, workDir, runner, pool, options, report, ...(progress ? { progress } : {}) };
  try {
    await runChecks(ctx);
    // Also after a failed check: a kept cluster is how one finds out why.
    if (options.onReady && ctx.cluster && !options.signal?.aborted)
      await options.onReady({
        servers: plan.servers.map((s) => ({ pod: s.pod, clientUrl: s.clientUrl, monitorUrl: s.monitorUrl })),
        auth: plan.auth,
        ...(ctx.tls ? { caFile: ctx.tls.caFile } : {}),
        workDir,
      });
    if (options.signal?.aborted && !options.keep) report.error = "interrupted";
  } catch (e) {
    report.error = scrub((e as Error).message);
  } finally {
    report.checks = runner.results;
    await pool.closeAll();
    await ctx.cluster?.stop().catch(() => {});
    if (options.keep) report.workDir = workDir;
    else rmSync(workDir, { recursive: true, force: true });
  }
  return finish();
}

interface RunContext {
  plan: LocalPlan;
  scrub: Scrub;
  bin: string;
  version: string;
  workDir: string;
  runner: CheckRunner;
  pool: ConnectionPool;
  options: VerifyOptions;
  report: VerifyReport;
  progress?: (message: string) => void;
  /** Set as soon as servers run, so the caller stops them whatever happens next. */
  cluster?: LocalCluster;
  tls?: TlsMaterial;
}

/** The checks in order; stops early when one that later ones depend on fails. */
async function runChecks(c: RunContext): Promise<void> {
  const { plan, runner, options } = c;
  const m = plan.model;
  const timeoutMs = (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const aborted = () => options.signal?.aborted === true;
  const n = plan.servers.length;

  let tls: TlsMaterial | undefined;
  if (plan.tls) {
    const tlsPlan = plan.tls;
    const made = await runner.run("throwaway CA and server certificate", async () => {
      tls = c.tls = await makeTlsMaterial(tlsPlan, plan.servers.map((s) => s.host), join(c.workDir, "tls"));
      return `SANs: ${[...tlsPlan.dnsNames, "localhost"].join(", ")}, ${plan.servers.map((s) => s.host).join(", ")}`;
    });
    if (!made) return;
  }
  const specs = localServerSpecs(plan, tls);

  const accepted = await runner.run(`nats.conf accepted by nats-server ${c.version}`, async () => {
    const dir = join(c.workDir, "check");
    for (const [rel, content] of Object.entries({ "nats.conf": plan.confText, ...(tls?.serverFiles ?? {}) })) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), content, { mode: 0o600 });
    }
    const r = await checkConfig(c.bin, join(dir, "nats.conf"), { env: specs[0]!.env });
    if (!r.ok) throw new Error(r.message + versionHint(r.message, c));
    return r.message;
  });
  if (!accepted || aborted()) return;

  const hosts = plan.servers.map((s) => s.host);
  const booted = await runner.run(`${n} server${n > 1 ? "s" : ""} started`, async () => {
    c.cluster = await startLocalCluster(specs, {
      bin: c.bin,
      workDir: join(c.workDir, "servers"),
      startTimeoutMs: timeoutMs,
      ...(c.progress ? { onProgress: c.progress } : {}),
    });
    return `${plan.servers.map((s) => `${s.pod} on ${s.host}`).join(", ")}`;
  });
  const cl = c.cluster;
  if (!booted || !cl || aborted()) return;

  if (m.clustered) {
    // Each server's own view: a pair routed in one direction only, or a server nobody sees, fails here.
    const routed = await runner.run("routes connected", async () => `${await cl.waitFormed(timeoutMs)}${plan.tls?.routes ? " (TLS, peers verified)" : ""}`);
    if (!routed) return;
    const elected = async () => `leader ${await cl.waitMetaLeader(timeoutMs)}, agreed by all ${n} servers, each in a meta group of ${n}`;
    if (m.jetstream.enabled && !(await runner.run("JetStream meta leader elected", elected))) return;
  }
  if (!(await runner.run("healthy", async () => (await cl.waitHealthy(timeoutMs), `/healthz 200 on ${hosts.join(", ")}`))) || aborted()) return;

  const access: ClientAccess = { auth: plan.auth, ...(tls ? { tls: tls.client } : {}), timeoutMs: Math.min(timeoutMs, 10_000) };
  const conns: NatsConnection[] = [];
  const connected = await runner.run("clients connect to every server", async () => {
    for (const s of plan.servers) conns.push(await c.pool.add(connectTo(s.clientUrl, access)));
    return `${describeAuth(plan.auth)}${tls ? " over TLS, server certificate verified against the CA" : ""}`;
  });
  if (!connected || aborted()) return;
  const first = conns[0]!;
  const last = conns[conns.length - 1]!;
  const across = n > 1 ? " across servers" : "";
  await runner.run(`publish/subscribe${across}`, () => pubSubAcross(first, last, timeoutMs, plan.messagingPrefix));
  if (mayRespond(plan.operator)) await runner.run(`request/reply${across}`, () => requestReplyAcross(first, last, timeoutMs, plan.messagingPrefix));
  else c.report.notes.push(`request/reply not checked: ${plan.operator!.name} may not answer requests (its publish permissions exclude _INBOX.> and it has no allowResponses)`);

  if (m.jetstream.enabled) {
    const declared = declaredResources(m, plan.objects);
    if (declared.items.length === 0) c.report.notes.push("no streams, consumers or buckets are declared: JetStream resources not checked");
    // The resources are created with the Account's credentials, as the controller would create them.
    let creator = first;
    const nack = plan.nack;
    if (declared.items.length > 0 && nack && !isDeepStrictEqual(nack, plan.auth)) {
      const signedIn = await runner.run(`NACK's Account signs in${nack.mode === "user" ? ` as ${nack.user}` : ""}`, async () => {
        creator = await c.pool.add(connectTo(plan.servers[0]!.clientUrl, { ...access, auth: nack }));
        return `with the keys of its Secret${m.auth.nack ? ` (${m.auth.nack.userKey}, ${m.auth.nack.user.passwordKey})` : ""}`;
      });
      if (!signedIn) return;
    }
    for (const r of declared.items) {
      if (aborted()) return;
      const { label, check } = RESOURCE_CHECKS[r.kind];
      await runner.run(`${label} ${r.stream ? `${r.stream}/` : ""}${r.name}`, async () => {
        try {
          return await check(creator, r, timeoutMs, c.progress);
        } catch (e) {
          throw new Error((e as Error).message + versionHint((e as Error).message, c));
        }
      });
    }
  }

  const operator = plan.operator;
  if (operator?.jetstream && mayUseJetStream(operator))
    await runner.run(`JetStream as ${operator.name}`, () => jetstreamStream(first, operator.name, plan.messagingPrefix, timeoutMs));
  else if (operator?.jetstream)
    c.report.notes.push(`JetStream as ${operator.name} not checked: its permissions exclude $JS.API.> or _INBOX.> (lint jetstream-fenced-user)`);
  await authChecks(c, access, last, plan.servers[n - 1]!.clientUrl, timeoutMs);
  if (plan.tls) await tlsChecks(c, access, plan.servers[0]!.host);
  await listenerChecks(c, access);

  if (options.chaos && !aborted()) {
    // The checks' connections would hold every server in lame duck mode for its grace period.
    await c.pool.closeAll();
    const chaos = await runChaos({
      cluster: cl,
      plan,
      access,
      messages: options.chaos.messages,
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onFault ? { onFault: (f) => options.onFault!(scrubFault(f, c.scrub)) } : {}),
      ...(c.progress ? { onProgress: c.progress } : {}),
    });
    c.report.chaos = { ...chaos, faults: chaos.faults.map((f) => scrubFault(f, c.scrub)), ...(chaos.error ? { error: c.scrub(chaos.error) } : {}) };
  }
}

async function authChecks(c: RunContext, access: ClientAccess, watcher: NatsConnection, url: string, timeoutMs: number): Promise<void> {
  const { plan, runner } = c;
  if (plan.auth.mode === "none") {
    await runner.run("auth: none required", async () => {
      const nc = await connectTo(url, { ...access, auth: { mode: "none" } });
      await nc.close();
      return "a client without credentials connects (auth is disabled in the manifest)";
    });
    return;
  }
  const m = plan.model;
  const anonymous = plan.users.find((u) => u.user.name === m.auth.noAuthUser);
  if (anonymous)
    await runner.run(`auth: clients without credentials become ${anonymous.user.name}`, () => permissionsEnforced(url, access, anonymous.user, { mode: "none" }, timeoutMs));
  else if (plan.anonymousPublish)
    await runner.run("auth: no-auth user and its permissions", () => anonymousPermissions(url, access, watcher, plan.anonymousPublish!, plan.anonymousSubscribe ?? [], timeoutMs));
  else await runner.run("auth: client without credentials refused", () => expectRefused(url, access, { mode: "none" }));
  await runner.run("auth: wrong credentials refused", () => expectRefused(url, access, wrongCredentials(plan.auth)));
  if (plan.users.length > 0) await userChecks(c, access, url, timeoutMs);
  if (plan.system) await runner.run("auth: system account reaches every server", () => systemAccountAnswers(url, access, plan.system!, plan.servers.length, timeoutMs));
}

/** Declared users and accounts: passwords, permissions, isolation, and JetStream where an account has none. */
async function userChecks(c: RunContext, access: ClientAccess, url: string, timeoutMs: number): Promise<void> {
  const { plan, runner } = c;
  const m = plan.model;
  await runner.run("auth: every declared user signs in", () => everyUserSignsIn(url, access, plan.users));
  for (const u of plan.users)
    if (u.user.permissions && u.user.name !== m.auth.noAuthUser)
      await runner.run(`auth: permissions of ${u.user.name}`, () => permissionsEnforced(url, access, u.user, u.auth, timeoutMs));
  const firstOf = (account: string) => plan.users.find((u) => u.user.account === account)!;
  const [a, b] = m.auth.accounts;
  if (a && b) await runner.run(`auth: accounts ${a.name} and ${b.name} isolated`, () => accountsIsolated(url, access, firstOf(a.name), firstOf(b.name), timeoutMs));
  const without = m.jetstream.enabled ? m.auth.accounts.find((acc) => !acc.jetstream) : undefined;
  if (without) await runner.run(`auth: no JetStream in account ${without.name}`, () => jetstreamOffInAccount(url, access, firstOf(without.name)));
}

/** The WebSocket, MQTT and leaf node listeners answer on every server, with TLS where the manifest says. */
async function listenerChecks(c: RunContext, access: ClientAccess): Promise<void> {
  const { plan, runner } = c;
  const l = plan.model.listeners;
  const timeoutMs = access.timeoutMs;
  // One server after another: the first MQTT session creates the account's MQTT streams. Asked all at
  // once, a server sent no CONNACK within 10 s in 1 of 3 runs on 2.15.3; one after another, 5 of 5 passed.
  const each = async (what: (host: string) => Promise<string>) => {
    const out: string[] = [];
    for (const s of plan.servers) out.push(await what(s.host));
    return out[0]!;
  };
  const tls = (on: boolean) => (on ? access.tls : undefined);
  if (l.websocket) await runner.run("WebSocket listener", () => each((h) => websocketAnswers(h, l.websocket!.port, tls(l.websocket!.tls), timeoutMs)));
  if (l.mqtt) await runner.run("MQTT listener", () => each((h) => mqttAccepts(h, l.mqtt!.port, tls(l.mqtt!.tls), plan.auth, timeoutMs)));
  if (l.leafnodes) await runner.run("leaf node listener", () => each((h) => leafnodeAnswers(h, l.leafnodes!.port, tls(l.leafnodes!.tls), timeoutMs)));
}

async function tlsChecks(c: RunContext, access: ClientAccess, host: string): Promise<void> {
  const { plan, runner } = c;
  const timeoutMs = access.timeoutMs;
  await runner.run("tls: plaintext client refused", () => plaintextAttempt(host, PORTS.client, timeoutMs));
  await runner.run("tls: client without the CA refused", () => untrustedClientRefused(plan.servers[0]!.clientUrl, access));
  if (plan.model.tls?.verifyClients) await runner.run("tls: client without a certificate refused", () => certificatelessClientRefused(plan.servers[0]!.clientUrl, access));
  if (plan.tls?.routes) await runner.run("tls: plaintext route refused", () => plaintextAttempt(host, PORTS.cluster, timeoutMs));
}

function scrubFault(f: FaultResult, scrub: Scrub): FaultResult {
  return { ...f, detail: scrub(f.detail), warnings: f.warnings.map(scrub) };
}

function describeAuth(auth: ClientAuth): string {
  return auth.mode === "token" ? "with the token" : auth.mode === "user" ? "with user and password" : "without credentials";
}

/** When the local server is older than the image, unknown keys and features are most likely ones it predates. */
function versionHint(message: string, c: RunContext): string {
  const tag = c.plan.model.spec.image.tag;
  if (!/unknown field|requires server|not supported/i.test(message) || compareVersions(c.version, tag) >= 0) return "";
  return ` (this machine's nats-server ${c.version} is older than the image ${tag}: what was added after ${c.version} is unknown to it; pass --nats-server with a newer binary)`;
}

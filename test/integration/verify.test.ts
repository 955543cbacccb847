// `natskube verify`: the examples boot on loopback with the real nats-server and pass every check;
// chaos loses no acknowledged message; a configuration the server rejects fails with its own words;
// Ctrl-C and --keep stop every process.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { parse as parseYaml, stringify } from "yaml";
import { acceptsKey, CONF_KEYS, type ConfKey } from "../../src/nats/server-versions.js";
import { parseText } from "../../src/pipeline.js";
import { findNatsServer } from "../../src/verify/local-cluster.js";
import { buildLocalPlan, type LocalPlan } from "../../src/verify/local-plan.js";
import type { VerifyReport } from "../../src/verify/report.js";
import { natsServerVersion } from "../../src/verify/server-version.js";
import { verify, verifyPlan } from "../../src/verify/verify.js";
import { BIN, cli, ROOT } from "../support/cli.js";
import { natsServerBin } from "../support/tools.js";

// Never skip silently: a suite without the real server proves nothing.
const skip = false;
// Library runs use their own loopback range, so they never wait for the host locks of other test files.
const FIRST = "127.0.2.2";
const OPTS = { firstAddress: FIRST, timeoutSeconds: 20 };
const example = (name: string) => join(ROOT, "examples", `${name}.yaml`);
const fixture = (name: string) => join(ROOT, "test", "fixtures", "verify", `${name}.yaml`);
/** The version of the server this run targets (verify finds it through $NATS_SERVER_BIN, as the tests do). */
const VERSION = await natsServerVersion(natsServerBin());
const ACCEPTED = `nats.conf accepted by nats-server ${VERSION}`;

function names(r: VerifyReport): string[] {
  return r.checks.map((c) => c.name);
}

/** Everything that went wrong, for assertion messages. */
function why(r: VerifyReport): string {
  const failed = r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  return [r.error ?? "", ...failed, r.chaos?.error ?? ""].filter(Boolean).join("\n");
}

function plan(file: string, imageTag?: string): LocalPlan {
  const doc = parseYaml(readFileSync(file, "utf8")) as { spec: Record<string, unknown> };
  if (imageTag) doc.spec["image"] = { repository: "nats", tag: imageTag };
  const parsed = parseText(stringify(doc), file).parsed[0];
  assert.ok(parsed?.resource, `${file} is not valid`);
  return buildLocalPlan(parsed, { firstAddress: FIRST });
}

function assertNoSecrets(r: VerifyReport, p: LocalPlan): void {
  const text = JSON.stringify(r);
  for (const s of p.secrets.all()) assert.ok(!text.includes(s), "a secret value appears in the report");
}

test("dev example: one server, no auth, no JetStream", { skip, timeout: 30_000 }, async () => {
  const r = await verify(example("dev"), OPTS);
  assert.ok(r.ok, why(r));
  assert.deepEqual(names(r), [
    ACCEPTED,
    "1 server started",
    "healthy",
    "clients connect to every server",
    "publish/subscribe",
    "request/reply",
    "auth: none required",
  ]);
  assert.deepEqual(r.servers?.map((s) => s.clientUrl), ["nats://127.0.2.2:4222"]);
  assert.equal(r.workDir, undefined, "the temporary directory is removed");
});

test("staging example: 3 servers, user/password, memory JetStream; no secret in the report", { skip, timeout: 90_000 }, async (t) => {
  const p = plan(example("staging"));
  assert.equal(p.auth.mode, "user");
  const r = await verifyPlan(p, "staging.yaml", OPTS);
  assert.ok(r.ok, why(r));
  for (const name of [
    "routes connected",
    "JetStream meta leader elected",
    "publish/subscribe across servers",
    "request/reply across servers",
    "auth: client without credentials refused",
    "auth: wrong credentials refused",
  ])
    assert.ok(names(r).includes(name), `missing check ${name}: ${names(r).join(", ")}`);
  assert.match(r.checks.find((c) => c.name === "publish/subscribe across servers")!.detail, /from 127\.0\.2\.4:4222 to a subscriber on 127\.0\.2\.2:4222/);
  assertNoSecrets(r, p);
});

test("production example through the CLI: TLS, token auth, stream and consumer placed on 3 servers", { skip, timeout: 150_000 }, async (t) => {
  const { code, stdout, stderr } = await run(["verify", example("production"), "-o", "json"]);
  assert.equal(code, 0, `${stderr}\n${stdout}`);
  const r = JSON.parse(stdout) as VerifyReport;
  assert.ok(r.ok, why(r));
  const byName = new Map(r.checks.map((c) => [c.name, c]));
  for (const name of [
    "throwaway CA and server certificate",
    "routes connected",
    "tls: plaintext client refused",
    "tls: client without the CA refused",
    "tls: plaintext route refused",
    "auth: client without credentials refused",
    "auth: wrong credentials refused",
  ])
    assert.ok(byName.has(name), `missing check ${name}: ${[...byName.keys()].join(", ")}`);
  assert.match(byName.get("routes connected")!.detail, /TLS, peers verified/);
  assert.match(byName.get("clients connect to every server")!.detail, /token over TLS/);
  assert.match(byName.get("stream ORDERS")?.detail ?? "", /^file R3; leader nats-\d, replicas nats-\d, nats-\d current/);
  assert.match(byName.get("consumer ORDERS/fulfilment")?.detail ?? "", /ack explicit, R3/);
});

test("no-auth user, KV bucket and object store", { skip, timeout: 90_000 }, async (t) => {
  const r = await verify(fixture("no-auth-user-buckets"), OPTS);
  assert.ok(r.ok, why(r));
  const detail = (name: string) => r.checks.find((c) => c.name === name)?.detail ?? `(no check ${name}: ${names(r).join(", ")})`;
  assert.match(detail("auth: no-auth user and its permissions"), /publish to public\.natskube delivered; to natskube\.verify\.denied\.\S+ refused \(Permissions Violation/);
  assert.match(detail("auth: no-auth user and its permissions"), /; subscribe to _INBOX\.> refused \(Permissions Violation for Subscription to "_INBOX\.>"\)$/);
  assert.match(detail("key-value bucket config"), /^file R3, history 5; leader bus-\d, replicas .* current; put\/get ok$/);
  assert.match(detail("object store blobs"), /^file R1; leader bus-\d; put\/get ok$/);
  assert.match(detail("stream EVENTS"), /^memory R1/);
});

test("chaos: kill -9 of the stream leader and a rolling restart lose no acknowledged message", { skip, timeout: 240_000 }, async (t) => {
  const r = await verify(example("production"), { ...OPTS, chaos: { messages: 200 } });
  const c = r.chaos;
  assert.ok(c, why(r));
  assert.equal(c.error, undefined, c.error);
  assert.equal(c.readBack, true);
  assert.equal(c.lost, 0);
  assert.equal(c.duplicates, 0);
  assert.ok(c.acknowledged >= 200, `only ${c.acknowledged} acknowledged`);
  assert.deepEqual(c.faults.map((f) => [f.ok, f.name.replace(/nats-\d/, "nats-N").replace(/ \(.*\)/, "")]), [
    [true, "kill -9 of nats-N, restarted"],
    [true, "rolling restart, highest ordinal first, lame duck mode"],
  ]);
  // Highest ordinal first; the preStop waits until the server has drained and exited, so every
  // pod drains (a SIGTERM before lame duck mode fails the fault), then startup and readiness probes.
  const step = "lame duck, drained and exited in \\d+ ms, started \\d+ ms, ready \\d+ ms after start";
  assert.match(c.faults[1]!.detail, new RegExp(`^nats-2: ${step}; nats-1: ${step}; nats-0: ${step}; caught up: `));
  assert.ok(c.ok && r.ok, why(r));
});

/** jetstream keys of the version table, with a value each; the first one this server predates is injected. */
const NEWER_KEYS: [ConfKey, string][] = [
  ["jetstream.strict", "strict: false"],
  ["jetstream.max_concurrent_io", "max_concurrent_io: 64"],
];

test("a configuration nats-server rejects fails with the server's own line, and a version hint when the image is newer", { skip, timeout: 30_000 }, async () => {
  // What a render for a newer image could contain: a key this server predates, with an image of the
  // version that knows it. A server that knows every key in the table gets a key no version knows.
  const newer = NEWER_KEYS.find(([key]) => !acceptsKey(VERSION, key));
  const [line, tag] = newer ? [newer[1], `${CONF_KEYS[newer[0]]}.0-alpine`] : ["no_such_key: true", undefined];
  const p = plan(example("staging"), tag);
  p.confText = p.confText.replace("jetstream {", `jetstream {\n  ${line}`);
  const r = await verifyPlan(p, "staging.yaml", OPTS);
  assert.equal(r.ok, false);
  assert.equal(r.checks.length, 1, "nothing is started after the configuration is refused");
  const [check] = r.checks;
  assert.equal(check?.ok, false);
  assert.match(check!.detail, new RegExp(`nats\\.conf:\\d+:\\d+: unknown field "${line.split(":")[0]}"`));
  if (tag) assert.match(check!.detail, new RegExp(`nats-server ${VERSION.replaceAll(".", "\\.")} is older than the image ${tag}`));
  else assert.doesNotMatch(check!.detail, /is older than the image/);
});

test("a configuration that parses but does not boot fails at start with the server's words", { skip, timeout: 30_000 }, async () => {
  const p = plan(example("staging"));
  // `-t` does not create the JetStream directory; only a real start does (2.15's -t resolves
  // no_auth_user against the users, so an unknown no_auth_user no longer gets this far).
  p.confText = p.confText.replace(/store_dir: "[^"]*"/, 'store_dir: "/proc/natskube-no-such-dir"');
  const r = await verifyPlan(p, "staging.yaml", OPTS);
  assert.equal(r.ok, false);
  assert.deepEqual(names(r), [ACCEPTED, "3 servers started"]);
  assert.match(r.checks[1]!.detail, /exited with code 1 before it was ready[\s\S]*could not create storage directory/);
});

test("CLI: a resource the local server cannot create exits 1 with a clear message", { skip, timeout: 150_000 }, async (t) => {
  const started = Date.now();
  const { code, stdout } = await run(["verify", fixture("max-consumers")]);
  assert.equal(code, 1, stdout);
  // A refusal no wait can change ends the check at once, not after its 30 s bound.
  assert.ok(Date.now() - started < 20_000, `verify took ${Date.now() - started} ms`);
  assert.match(stdout, /✓ stream ORDERS/);
  assert.match(stdout, /✓ consumer ORDERS\/us/);
  assert.match(stdout, /✗ consumer ORDERS\/eu .*maximum consumers limit reached/);
  assert.match(stdout, /✗ \d+\/\d+ checks passed/);
});

test("CLI: usage errors exit 2; a missing nats-server and --chaos without JetStream exit 1", { skip }, () => {
  assert.equal(cli(["verify"]).code, 2);
  assert.equal(cli(["verify", example("dev"), "--chaos", "--messages", "0"]).code, 2);
  assert.equal(cli(["verify", example("dev"), "--messages", "10"]).code, 2);
  assert.equal(cli(["verify", example("dev"), "-o", "xml"]).code, 2);
  const missing = cli(["verify", example("dev"), "--nats-server", "/nonexistent/nats-server"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /nats-server not found at \/nonexistent\/nats-server/);
  const chaos = cli(["verify", example("dev"), "--chaos"]);
  assert.equal(chaos.code, 1);
  assert.match(chaos.stdout, /--chaos needs JetStream/);
  const invalid = cli(["verify", join(ROOT, "test", "fixtures", "invalid", "04-missing-namespace.yaml")]);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /namespace is required/);
});

test("CLI: Ctrl-C during chaos stops every server and removes the temporary directory", { skip, timeout: 150_000 }, async (t) => {
  const before = verifyDirs();
  const child = await spawnUntil(["verify", example("production"), "--chaos", "--timeout", "20"], /tls: plaintext route refused/, 40_000);
  await sleep(1500); // the publisher is running, a fault is being injected
  child.proc.kill("SIGINT");
  const { code, stdout } = await child.exited;
  assert.equal(code, 130, stdout);
  assert.match(stdout, /✗ interrupted/);
  assert.deepEqual(natsServersIn(tmpdir()), [], "a nats-server of verify is still running");
  assert.deepEqual(verifyDirs().filter((d) => !before.includes(d)), []);
});

test("CLI: --keep prints URLs and credentials, keeps serving until Ctrl-C, then stops", { skip, timeout: 60_000 }, async () => {
  const child = spawnCli(["verify", example("staging"), "--keep"]);
  const out = await child.waitFor(/try: .*\n/, 30_000);
  const workDir = /files: +(\S+)/.exec(out)?.[1];
  assert.ok(workDir, out);
  try {
    assert.match(out, /user: +[A-Za-z][A-Za-z0-9]+\n +password: +[A-Za-z][A-Za-z0-9]+/);
    const monitor = /monitoring (http:\S+)/.exec(out)?.[1];
    assert.equal((await fetch(`${monitor}/healthz`)).status, 200, "the kept cluster serves");
    const servers = natsServersIn(workDir);
    assert.equal(servers.length, 3);
    child.proc.kill("SIGINT");
    const { code } = await child.exited;
    assert.equal(code, 0);
    assert.deepEqual(natsServersIn(workDir), []);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- helpers

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** spawnCli until its output matches `pattern`. */
async function spawnUntil(args: string[], pattern: RegExp, timeoutMs: number): Promise<ReturnType<typeof spawnCli>> {
  const child = spawnCli(args);
  try {
    await child.waitFor(pattern, timeoutMs);
    return child;
  } catch (e) {
    await child.exited;
    throw e;
  }
}

/** Runs the CLI asynchronously (a verify must not block the test runner's event loop). */
async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args);
  return child.exited;
}

function spawnCli(args: string[]) {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => proc.kill("SIGKILL"), 110_000);
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    proc.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    }),
  );
  return {
    proc,
    exited,
    /** Resolves with stdout once it matches `pattern`; bounded. */
    async waitFor(pattern: RegExp, timeoutMs: number): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stdout)) {
        if (Date.now() > deadline || proc.exitCode !== null) {
          proc.kill("SIGKILL");
          throw new Error(`no ${pattern} in output:\n${stdout}\n${stderr}`);
        }
        await sleep(50);
      }
      return stdout;
    },
  };
}

function verifyDirs(): string[] {
  return readdirSync(tmpdir()).filter((d) => d.startsWith("natskube-verify-"));
}

/** PIDs of nats-server processes whose working directory is below `dir`. */
function natsServersIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cmd.includes("nats-server") && cwd.startsWith(dir) && (dir !== tmpdir() || cwd.includes("/natskube-verify-"))) pids.push(Number(entry));
    } catch {
      /* gone, or not ours */
    }
  }
  return pids;
}

// (e) The generated configuration against a bare nats-server cluster of the same version with the
// same TLS and token settings, measured with the official `nats bench` (natscli), each pair in one
// run, alternating, for every version of the server matrix. The ratio generated/bare is the cost of
// what natskube adds (limits, lame duck settings, GOMEMLIMIT, write deadlines, ...). Loopback only.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { LocalCluster, LocalServerSpec } from "../src/verify/local-cluster.js";
import { makeTlsMaterial, type TlsMaterial } from "../src/verify/tls-files.js";
import { startFormed } from "../test/support/local.js";
import { prepareProduction, type Prepared } from "./local.js";
import { median, rate, type Row } from "./stats.js";

const CORE_MESSAGES = 500_000;
const JS_MESSAGES = 40_000;
const ROUNDS = 3;
const RUN_LIMIT_MS = 120_000;
/** The bare cluster's own loopback range (the generated one uses local.ts's BENCH_FIRST). */
const BARE_HOSTS = ["127.0.4.30", "127.0.4.31", "127.0.4.32"];

/** Same listeners, TLS files, token and routes as the generated conf; every other setting the server's default. */
function bareConf(hosts: readonly string[], tls: boolean): string {
  const tlsBlock = (verify: boolean) =>
    tls ? `  tls { cert_file: "certs/tls.crt", key_file: "certs/tls.key", ca_file: "certs/ca.crt"${verify ? ", verify: true" : ""} }\n` : "";
  const scheme = tls ? "tls" : "nats";
  return [
    "server_name: $SERVER_NAME",
    "host: $POD_IP",
    "port: 4222",
    "http_port: 8222",
    "authorization { token: $NATS_TOKEN }",
    tls ? `tls { cert_file: "certs/tls.crt", key_file: "certs/tls.key", ca_file: "certs/ca.crt" }` : "",
    `cluster {\n  name: bare\n  host: $POD_IP\n  port: 6222\n  routes: [${hosts.map((h) => `"${scheme}://${h}:6222"`).join(", ")}]\n${tlsBlock(true)}}`,
    `jetstream { store_dir: "data" }`,
    "",
  ].join("\n");
}

function bareSpecs(prepared: Prepared, tls: TlsMaterial | undefined): LocalServerSpec[] {
  const conf = bareConf(BARE_HOSTS, tls !== undefined);
  const token = prepared.plan.auth.mode === "token" ? prepared.plan.auth.token : "";
  return BARE_HOSTS.map((host, i) => ({
    name: `bare-${i}`,
    host,
    confText: conf,
    env: { SERVER_NAME: `bare-${i}`, POD_IP: host, NATS_TOKEN: token },
    ...(tls ? { files: tls.serverFiles } : {}),
  }));
}

interface Target {
  label: string;
  urls: string[];
  /** Credentials and CA for natscli, by environment (never on its command line). */
  env: Record<string, string>;
}

/** One `nats bench ...` run; resolves with the msgs/sec of its stats line. */
function natsBench(nats: string, target: Target, serverIndex: number, args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    execFile(
      nats,
      ["--server", target.urls[serverIndex]!, "bench", ...args, "--no-progress"],
      { env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...target.env }, timeout: RUN_LIMIT_MS, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        const m = /stats: ([\d,]+) msgs\/sec/.exec(`${stdout}${stderr}`);
        if (err || !m) return fail(new Error(`nats bench ${args.join(" ")} on ${target.label}: ${err?.message ?? "no stats line"}\n${stdout}${stderr}`));
        done(Number(m[1]!.replace(/,/g, "")));
      },
    );
  });
}

/** Core NATS: a subscriber on the last server, a publisher on the first (across a route); the subscriber's rate. */
async function coreAcross(nats: string, target: Target, subject: string): Promise<number> {
  const sub = new Promise<number>((done, fail) => {
    const child = spawn(nats, ["--server", target.urls[target.urls.length - 1]!, "bench", "sub", subject, "--msgs", String(CORE_MESSAGES), "--no-progress"], {
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...target.env },
    });
    let out = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", () => {
      clearTimeout(timer);
      const m = /stats: ([\d,]+) msgs\/sec/.exec(out);
      m ? done(Number(m[1]!.replace(/,/g, ""))) : fail(new Error(`nats bench sub on ${target.label}: no stats line\n${out}`));
    });
  });
  // The subscription must reach the publisher's server across the route before it publishes.
  await new Promise((r) => setTimeout(r, 1000));
  await natsBench(nats, target, 0, ["pub", subject, "--msgs", String(CORE_MESSAGES)]);
  return sub;
}

function jsR3(nats: string, target: Target, stream: string): Promise<number> {
  return natsBench(nats, target, 0, ["js", "pub", "async", `${stream}.in`, "--stream", stream, "--create", "--purge", "--replicas", "3", "--storage", "file", "--msgs", String(JS_MESSAGES)]);
}

function targetOf(label: string, cluster: LocalCluster, prepared: Prepared, tls: TlsMaterial | undefined): Target {
  const scheme = tls ? "tls" : "nats";
  const env: Record<string, string> = {};
  if (prepared.plan.auth.mode === "token") env["NATS_TOKEN"] = prepared.plan.auth.token;
  if (tls) env["NATS_CA"] = tls.caFile;
  return { label, urls: cluster.servers.map((s) => `${scheme}://${s.host}:4222`), env };
}

export async function benchNatsBench(root: string, nats: string, versions: readonly { version: string; bin: string }[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const { version, bin } of versions) {
    const prepared = await prepareProduction(root, 3);
    const bareDir = mkdtempSync(join(prepared.dir, "bare-"));
    let generated: LocalCluster | undefined;
    let bare: LocalCluster | undefined;
    try {
      // The bare servers' own certificate: the same names, for their own loopback addresses.
      const bareTls = prepared.plan.tls ? await makeTlsMaterial(prepared.plan.tls, BARE_HOSTS, join(bareDir, "tls")) : undefined;
      generated = (await startFormed(prepared.specs, { bin, workDir: prepared.dir, startTimeoutMs: 30_000 }, 15_000)).cluster;
      bare = (await startFormed(bareSpecs(prepared, bareTls), { bin, workDir: bareDir, startTimeoutMs: 30_000 }, 15_000)).cluster;
      for (const c of [generated, bare]) await c.waitHealthy(30_000);
      const gen = targetOf("generated", generated, prepared, prepared.tls);
      const bar = targetOf("bare", bare, prepared, bareTls);
      const core = { gen: [] as number[], bare: [] as number[] };
      const js = { gen: [] as number[], bare: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        process.stderr.write(`bench: nats bench on ${version}, round ${round + 1}/${ROUNDS}\n`);
        core.gen.push(await coreAcross(nats, gen, `bench.core.${round}`));
        core.bare.push(await coreAcross(nats, bar, `bench.core.${round}`));
        js.gen.push(await jsR3(nats, gen, "BENCHR3"));
        js.bare.push(await jsR3(nats, bar, "BENCHR3"));
      }
      const row = (what: string, r: { gen: number[]; bare: number[] }, notes: string): Row => ({
        benchmark: `${what}, nats-server ${version}`,
        result: `${(median(r.gen) / median(r.bare)).toFixed(2)}x`,
        notes: `generated ${rate(median(r.gen))} vs bare ${rate(median(r.bare))} (median of ${ROUNDS}, alternating); ${notes}`,
      });
      rows.push(
        row("nats bench core pub/sub across a route", core, `${CORE_MESSAGES} msgs of 128 B, subscriber's rate, TLS + token`),
        row("nats bench JetStream R3 async publish", js, `${JS_MESSAGES} msgs of 128 B, file storage, TLS routes`),
      );
    } finally {
      await bare?.stop();
      await generated?.stop();
      rmSync(bareDir, { recursive: true, force: true });
      prepared.cleanup();
    }
  }
  return rows;
}

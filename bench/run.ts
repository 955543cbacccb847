// `npm run bench`: every benchmark, then one table. Not a test: figures depend on the machine.
// Usage: node dist/bench/run.js [render] [cli] [fleet] [formation] [throughput] [natsbench] [--json FILE]
// The server benchmarks run every version of the matrix built by scripts/ensure-tools.sh
// (NATSKUBE_NATS_VERSIONS narrows it); `throughput` uses $NATS_SERVER_BIN or the PATH's server.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findNatsServer } from "../src/verify/local-cluster.js";
import { NATS_SERVER_VERSIONS, natsServerOf, toolPath } from "../test/support/tools.js";
import { benchCli } from "./cli.js";
import { benchFleet } from "./fleet.js";
import { benchFormation } from "./formation.js";
import { benchNatsBench } from "./natsbench.js";
import { benchRender } from "./render.js";
import { table, type Row } from "./stats.js";
import { benchThroughput } from "./throughput.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SHARED = process.env["NATSKUBE_SHARED"] ?? join(ROOT, "..", "shared");
const ALL = ["render", "cli", "fleet", "formation", "throughput", "natsbench"] as const;

/** The matrix's servers, oldest first; a version that is not built is an error that says how to build it. */
function matrix(): { version: string; bin: string }[] {
  const wanted = process.env["NATSKUBE_NATS_VERSIONS"]?.split(/\s+/).filter(Boolean) ?? NATS_SERVER_VERSIONS;
  return wanted.map((version) => ({ version, bin: natsServerOf(version) }));
}

function machine(bin: string | undefined): string {
  const servers = [...(bin ? [bin] : []), ...matrix().map((m) => m.bin)];
  const version = [...new Set(servers.map((b) => execFileSync(b, ["--version"], { encoding: "utf8" }).trim()))].join(", ") || "nats-server: not installed";
  return `${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${version}`;
}

async function formationAll(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const { version, bin } of matrix()) rows.push(...(await benchFormation(ROOT, bin, version)));
  return rows;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let jsonFile: string | undefined;
  const picked: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--json") jsonFile = args[++i];
    else picked.push(args[i]!);
  }
  const unknown = picked.filter((a) => !(ALL as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(", ")}; choose from ${ALL.join(", ")}`);
  const run = new Set(picked.length ? picked : ALL);
  const bin = findNatsServer();
  const rows: Row[] = [];
  const section = async (name: string, fn: () => Row[] | Promise<Row[]>) => {
    if (!run.has(name)) return;
    process.stderr.write(`bench: ${name}...\n`);
    rows.push(...(await fn()));
  };
  await section("render", () => benchRender(ROOT));
  await section("cli", () => benchCli(ROOT, SHARED));
  await section("fleet", () => benchFleet(ROOT, SHARED));
  const skipped = (what: string): Row[] => [{ benchmark: what, result: "skipped", notes: "nats-server not found (apt-get install nats-server)" }];
  await section("formation", formationAll);
  await section("throughput", () => (bin ? benchThroughput(ROOT, bin) : skipped("throughput")));
  await section("natsbench", () => benchNatsBench(ROOT, toolPath("nats"), matrix()));
  const host = machine(bin);
  process.stdout.write(`${table(rows)}\n\nmachine: ${host}\n`);
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ machine: host, date: new Date().toISOString(), rows }, null, 2) + "\n");
}

main().catch((e: Error) => {
  process.stderr.write(`bench: ${e.stack ?? e.message}\n`);
  process.exitCode = 1;
});

// (b) Whole processes, like with like, each pair run alternately (A B A B ...) so the load of a shared
// machine hits both sides; the figure is the median of the pairwise ratios A/B (with its range), which
// is what survives a busy machine, and the medians of each side for scale.
//   natskube render dev.yaml        vs helm template of the official chart with the dev values
//   natskube render production.yaml vs helm template, production values
//   natskube --version / --help     vs node -e 0 (Node's own start-up)
// The fleet (one natskube process against 100 helm runs) is bench/fleet.ts.
// Node 20 reads and parses the file NODE_EXTRA_CA_CERTS names while it starts, before any script runs
// (Node 22 waits for the first TLS connection): with a system CA bundle that is about 33 ms of every Node
// process on the reference machine, 60 % of `node -e 0`, and nothing natskube can skip. When the variable
// is set, every Node pair runs twice: in the environment as given, and without the variable, as Node
// starts by default; helm, a Go program, ignores it.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { findChart, findHelm } from "./helm.js";
import { median, ms, type Row } from "./stats.js";

const PAIRS = Number(process.env["NATSKUBE_BENCH_PAIRS"] ?? 21);

/** Wall time of one run in ms; throws if the command fails (a failing command is not a benchmark). */
export function timeRun(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout: 600_000, maxBuffer: 256 << 20 });
  const elapsed = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return elapsed;
}

export interface Pair {
  a: number[];
  b: number[];
  ratios: number[];
}

/** A then B, `pairs` times, after one unmeasured run of each (page cache, natskube's code cache). */
export function alternate(a: () => number, b: () => number, pairs: number): Pair {
  a();
  b();
  const p: Pair = { a: [], b: [], ratios: [] };
  for (let i = 0; i < pairs; i++) {
    const x = a();
    const y = b();
    p.a.push(x);
    p.b.push(y);
    p.ratios.push(x / y);
  }
  return p;
}

export function pairRow(what: string, against: string, p: Pair): Row {
  const r = [...p.ratios].sort((x, y) => x - y);
  return {
    benchmark: `${what} / ${against}`,
    result: `${median(p.ratios).toFixed(2)}x`,
    notes: `median of ${p.ratios.length} pairwise ratios, range ${r[0]!.toFixed(2)}-${r[r.length - 1]!.toFixed(2)}; medians ${ms(median(p.a))} / ${ms(median(p.b))}`,
  };
}

/** The environments Node's side runs in: as given, and without NODE_EXTRA_CA_CERTS when it is set. */
function nodeEnvironments(): { label: string; env: NodeJS.ProcessEnv }[] {
  const extra = process.env["NODE_EXTRA_CA_CERTS"];
  if (!extra) return [{ label: "", env: process.env }];
  const { NODE_EXTRA_CA_CERTS: _, ...without } = process.env;
  return [
    { label: " (NODE_EXTRA_CA_CERTS set)", env: process.env },
    { label: " (NODE_EXTRA_CA_CERTS unset)", env: without },
  ];
}

export function benchCli(root: string, sharedDir: string): Row[] {
  const node = process.execPath;
  const rows: Row[] = [];
  const envs = nodeEnvironments();
  const bare = (env: NodeJS.ProcessEnv) => () => timeRun(node, ["-e", "0"], root, env);
  if (envs.length > 1) rows.push(pairRow("node -e 0 with NODE_EXTRA_CA_CERTS", "without", alternate(bare(envs[0]!.env), bare(envs[1]!.env), PAIRS)));
  for (const { label, env } of envs) {
    const natskube = (...args: string[]) => () => timeRun(node, [join(root, "bin", "natskube"), ...args], root, env);
    rows.push(pairRow(`natskube --version${label}`, "node -e 0", alternate(natskube("--version"), bare(env), PAIRS)));
    rows.push(pairRow(`natskube --help${label}`, "node -e 0", alternate(natskube("--help"), bare(env), PAIRS)));
  }
  const helm = findHelm(root);
  const chart = findChart(root);
  if (!helm || !chart) {
    const missing = !helm ? "helm not found: set NATSKUBE_BENCH_HELM or run scripts/ensure-bench-tools.sh" : "the nats chart not found: set NATSKUBE_BENCH_NATS_CHART or run scripts/ensure-bench-tools.sh";
    return [...rows, { benchmark: "natskube render vs helm template", result: "skipped", notes: missing }];
  }
  for (const example of ["dev", "production"]) {
    const values = join(sharedDir, "anchors", "helm-nats-2.14.2", `${example}.values.yaml`);
    const helmRun = () => timeRun(helm, ["template", "nats", chart, "--namespace", "nats", "-f", values], root);
    for (const { label, env } of envs) {
      const natskube = () => timeRun(node, [join(root, "bin", "natskube"), "render", `examples/${example}.yaml`], root, env);
      rows.push(pairRow(`natskube render ${example}.yaml${label}`, `helm template, ${example} values`, alternate(natskube, helmRun, PAIRS)));
    }
  }
  return rows;
}

// (b) Whole processes, like with like, each pair run alternately (A B A B ...) so the load of a shared
// machine hits both sides; the figure is the median of the pairwise ratios A/B (with its range), which
// is what survives a busy machine, and the medians of each side for scale.
//   natskube render dev.yaml        vs helm template of the official chart with the dev values
//   natskube render production.yaml vs helm template, production values
//   natskube --version / --help     vs node -e 0 (Node's own start-up)
// The fleet (one natskube process against 100 helm runs) is bench/fleet.ts.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { findChart, findHelm } from "./helm.js";
import { median, ms, type Row } from "./stats.js";

const PAIRS = Number(process.env["NATSKUBE_BENCH_PAIRS"] ?? 21);

/** Wall time of one run in ms; throws if the command fails (a failing command is not a benchmark). */
export function timeRun(cmd: string, args: readonly string[], cwd: string): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 600_000, maxBuffer: 256 << 20 });
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

export function benchCli(root: string, sharedDir: string): Row[] {
  const node = process.execPath;
  const natskube = (...args: string[]) => () => timeRun(node, [join(root, "bin", "natskube"), ...args], root);
  const rows: Row[] = [
    pairRow("natskube --version", "node -e 0", alternate(natskube("--version"), () => timeRun(node, ["-e", "0"], root), PAIRS)),
    pairRow("natskube --help", "node -e 0", alternate(natskube("--help"), () => timeRun(node, ["-e", "0"], root), PAIRS)),
  ];
  const helm = findHelm(root);
  const chart = findChart(root);
  if (!helm || !chart) {
    const missing = !helm ? "helm not found: set NATSKUBE_BENCH_HELM or run scripts/ensure-bench-tools.sh" : "the nats chart not found: set NATSKUBE_BENCH_NATS_CHART or run scripts/ensure-bench-tools.sh";
    return [...rows, { benchmark: "natskube render vs helm template", result: "skipped", notes: missing }];
  }
  for (const example of ["dev", "production"]) {
    const values = join(sharedDir, "anchors", "helm-nats-2.14.2", `${example}.values.yaml`);
    const helmRun = () => timeRun(helm, ["template", "nats", chart, "--namespace", "nats", "-f", values], root);
    rows.push(pairRow(`natskube render ${example}.yaml`, `helm template, ${example} values`, alternate(natskube("render", `examples/${example}.yaml`), helmRun, PAIRS)));
  }
  return rows;
}

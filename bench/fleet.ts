// A fleet: 100 variants of examples/production.yaml (names nats-0..99, namespaces team-0..9, 3 or 5
// replicas, their own hostnames), rendered by one `natskube render DIR` against 100 `helm template`
// runs of the official chart with the production values and the same names, namespaces and replicas.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alternate, pairRow, timeRun } from "./cli.js";
import { findChart, findHelm } from "./helm.js";
import { median, type Row } from "./stats.js";

const SIZE = 100;
const PAIRS = Number(process.env["NATSKUBE_BENCH_FLEET_PAIRS"] ?? 3);
/**
 * natskube's side of a pair is the mean of this many runs, back to back: helm's is 100 processes over
 * 5-8 s, which averages out the load of a shared machine, while one natskube run of 0.3 s took a spike
 * whole (3-pair runs gave 14-25x for the same code, docs/performance.md). A mean, not a minimum: a
 * spike still counts, at its share of the time.
 */
const NATSKUBE_RUNS = Number(process.env["NATSKUBE_BENCH_FLEET_RUNS"] ?? 5);

export function fleetVariant(base: string, i: number): string {
  return base
    .replace(/^(metadata:\n(?:.*\n)*?  name: )\S+$/m, `$1nats-${i}`)
    .replace(/^(  namespace: )\S+$/m, `$1team-${i % 10}`)
    .replace(/^(  replicas: )\d+/m, `$1${i % 2 ? 5 : 3}`)
    .replace(/nats\.example\.com/g, `nats-${i}.example.com`);
}

/** The mean of `runs` calls of `run`. */
export function meanOf(run: () => number, runs: number): number {
  let total = 0;
  for (let i = 0; i < runs; i++) total += run();
  return total / runs;
}

export function benchFleet(root: string, sharedDir: string): Row[] {
  const helm = findHelm(root);
  const chart = findChart(root);
  if (!helm || !chart) return [{ benchmark: "fleet: natskube vs helm", result: "skipped", notes: "helm or the nats chart not found: run scripts/ensure-bench-tools.sh" }];
  const dir = mkdtempSync(join(tmpdir(), "natskube-bench-fleet-"));
  try {
    const base = readFileSync(join(root, "examples", "production.yaml"), "utf8");
    const values = join(sharedDir, "anchors", "helm-nats-2.14.2", "production.values.yaml");
    const script: string[] = ["set -e"];
    for (let i = 0; i < SIZE; i++) {
      writeFileSync(join(dir, `nats-${String(i).padStart(3, "0")}.yaml`), fleetVariant(base, i));
      script.push(`"$1" template nats-${i} "$2" --namespace team-${i % 10} -f "$3" --set config.cluster.replicas=${i % 2 ? 5 : 3} >/dev/null`);
    }
    const helmScript = join(dir, "helm-fleet.sh");
    writeFileSync(helmScript, script.join("\n") + "\n");
    // Both sides write to /dev/null, so neither pays for the benchmark reading its output.
    const natskubeOnce = () => timeRun("sh", ["-c", '"$0" "$1" render "$2" >/dev/null', process.execPath, join(root, "bin", "natskube"), dir], root);
    const natskube = () => meanOf(natskubeOnce, NATSKUBE_RUNS);
    const helms = () => timeRun("sh", [helmScript, helm, chart, values], root);
    const p = alternate(natskube, helms, PAIRS);
    const row = pairRow(`natskube render of ${SIZE} manifests (1 process)`, `${SIZE} helm template runs`, p);
    // From the pairs themselves: the result column is rounded to 0.01, and 1/0.05 would print 20.0x for anything from 18x to 22x.
    const speedups = p.ratios.map((r) => 1 / r).sort((x, y) => x - y);
    const range = `${speedups[0]!.toFixed(1)}-${speedups[speedups.length - 1]!.toFixed(1)}`;
    return [{ ...row, notes: `${row.notes} (natskube: mean of ${NATSKUBE_RUNS} runs per pair); speed-up ${median(speedups).toFixed(1)}x (range ${range})` }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

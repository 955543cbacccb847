// (b) Whole process: `natskube render examples/production.yaml` against `helm template` of the
// official chart with the same configuration, in alternating runs so drift hits both equally.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { isExecutable } from "../src/verify/local-cluster.js";
import { median, ms, type Row } from "./stats.js";

const RUNS = 15;

/** $NATSKUBE_BENCH_HELM, then helm on PATH. */
function findHelm(): string | undefined {
  const explicit = process.env["NATSKUBE_BENCH_HELM"];
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  return (process.env["PATH"] ?? "")
    .split(delimiter)
    .map((d) => join(d, "helm"))
    .find(isExecutable);
}

/** Wall time of one run in ms; throws if the command fails (a failing command is not a benchmark). */
function timeRun(cmd: string, args: string[], cwd: string): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 60_000, maxBuffer: 64 << 20 });
  const elapsed = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return elapsed;
}

/** A chart with one ConfigMap: helm's own start-up and template cost, a floor for any chart. */
function emptyChart(): string {
  const dir = mkdtempSync(join(tmpdir(), "natskube-bench-chart-"));
  mkdirSync(join(dir, "templates"));
  writeFileSync(join(dir, "Chart.yaml"), "apiVersion: v2\nname: floor\nversion: 0.1.0\n");
  writeFileSync(join(dir, "templates", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  a: b\n");
  return dir;
}

function alternate(a: () => number, b: () => number): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  a();
  b(); // first runs warm the page cache
  for (let i = 0; i < RUNS; i++) {
    xs.push(a());
    ys.push(b());
  }
  return [xs, ys];
}

export function benchCli(root: string, sharedDir: string): Row[] {
  const natskube = () => timeRun(process.execPath, [join(root, "bin", "natskube"), "render", "examples/production.yaml"], root);
  const helm = findHelm();
  const chart = process.env["NATSKUBE_BENCH_NATS_CHART"];
  const values = join(sharedDir, "anchors", "helm-nats-2.14.2", "production.values.yaml");
  const rows: Row[] = [];
  if (!helm) {
    const times = Array.from({ length: RUNS }, natskube);
    return [
      { benchmark: "natskube render production.yaml (process)", result: ms(median(times)), notes: `median of ${RUNS}` },
      { benchmark: "helm template (official chart)", result: "skipped", notes: "helm not found: set NATSKUBE_BENCH_HELM or put helm on PATH" },
    ];
  }
  if (chart) {
    const [n, h] = alternate(natskube, () => timeRun(helm, ["template", "nats", chart, "--namespace", "nats", "-f", values], root));
    rows.push(
      { benchmark: "natskube render production.yaml (process)", result: ms(median(n)), notes: `median of ${RUNS}, alternating with helm` },
      { benchmark: "helm template nats chart, production values", result: ms(median(h)), notes: `median of ${RUNS}; ratio helm/natskube ${(median(h) / median(n)).toFixed(2)}` },
    );
  } else {
    const floor = emptyChart();
    try {
      const [n, h] = alternate(natskube, () => timeRun(helm, ["template", "floor", floor], root));
      rows.push(
        { benchmark: "natskube render production.yaml (process)", result: ms(median(n)), notes: `median of ${RUNS}, alternating with helm` },
        { benchmark: "helm template nats chart", result: "skipped", notes: "chart not available: set NATSKUBE_BENCH_NATS_CHART to the nats chart (dir or .tgz)" },
        {
          benchmark: "helm template, one-ConfigMap chart (floor)",
          result: ms(median(h)),
          notes: `median of ${RUNS}; helm start-up alone; ratio floor/natskube ${(median(h) / median(n)).toFixed(2)}`,
        },
      );
    } finally {
      rmSync(floor, { recursive: true, force: true });
    }
  }
  return rows;
}

// Where the helm side of the benchmarks comes from: helm v3 and the official nats chart 2.14.2, both
// put into the tools directory by scripts/ensure-bench-tools.sh, or given by environment variables.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { isExecutable } from "../src/verify/local-cluster.js";

const tools = (root: string) => process.env["NATSKUBE_TOOLS_DIR"] ?? join(root, ".tools");

/** $NATSKUBE_BENCH_HELM, then the tools directory's helm, then helm on PATH. */
export function findHelm(root: string): string | undefined {
  const explicit = process.env["NATSKUBE_BENCH_HELM"];
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  const candidates = [join(tools(root), "bin", "helm"), ...(process.env["PATH"] ?? "").split(delimiter).map((d) => join(d, "helm"))];
  return candidates.find(isExecutable);
}

/** $NATSKUBE_BENCH_NATS_CHART (a directory or .tgz), then the tools directory's copy of chart 2.14.2. */
export function findChart(root: string): string | undefined {
  const explicit = process.env["NATSKUBE_BENCH_NATS_CHART"];
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const chart = join(tools(root), "charts", "nats-2.14.2");
  return existsSync(join(chart, "Chart.yaml")) ? chart : undefined;
}

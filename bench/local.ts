// Booting the generated configuration for the benchmarks, exactly as `natskube verify` does.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { parseText } from "../src/pipeline.js";
import { startLocalCluster, type LocalCluster, type LocalServerSpec } from "../src/verify/local-cluster.js";
import { buildLocalPlan, type LocalPlan } from "../src/verify/local-plan.js";
import { localServerSpecs } from "../src/verify/server-specs.js";
import { makeTlsMaterial, type TlsMaterial } from "../src/verify/tls-files.js";

/** Benchmarks use their own loopback range: no waiting on tests or a verify running elsewhere. */
export const BENCH_FIRST = "127.0.4.2";
export const BARE_HOST = "127.0.4.20";

export interface Prepared {
  plan: LocalPlan;
  tls?: TlsMaterial;
  specs: LocalServerSpec[];
  dir: string;
  cleanup(): void;
}

/** The production example with `replicas` servers, rendered for loopback, with certificates made. */
export async function prepareProduction(root: string, replicas: number): Promise<Prepared> {
  const file = join(root, "examples", "production.yaml");
  const doc = parse(readFileSync(file, "utf8")) as { spec: Record<string, unknown> };
  doc.spec["replicas"] = replicas;
  const parsed = parseText(stringify(doc), file);
  const first = parsed.parsed[0];
  if (!first?.resource) throw new Error(`production.yaml with ${replicas} replicas is invalid: ${parsed.diagnostics.map((d) => d.message).join("; ")}`);
  const plan = buildLocalPlan(first, { firstAddress: BENCH_FIRST });
  const dir = mkdtempSync(join(tmpdir(), "natskube-bench-"));
  const tls = plan.tls ? await makeTlsMaterial(plan.tls, plan.servers.map((s) => s.host), join(dir, "tls")) : undefined;
  return { plan, ...(tls ? { tls } : {}), specs: localServerSpecs(plan, tls), dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function boot(bin: string, specs: LocalServerSpec[], dir: string): Promise<LocalCluster> {
  return startLocalCluster(specs, { bin, workDir: mkdtempSync(join(dir, "run-")), startTimeoutMs: 30_000 });
}

/** nats-server with its defaults (JetStream switched on where a benchmark needs it). */
export function bareSpec(jetstream: boolean): LocalServerSpec {
  return {
    name: "bare",
    host: BARE_HOST,
    confText: `host: $POD_IP\nhttp_port: 8222\n${jetstream ? "jetstream { store_dir: data }\n" : ""}`,
    env: { POD_IP: BARE_HOST },
  };
}

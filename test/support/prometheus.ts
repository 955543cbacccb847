// A real Prometheus server for tests: loopback listen address, storage in a temporary folder,
// and a small client for its HTTP API (instant queries, active alerts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { pollUntil, startProcess, StopPolling, type Managed } from "./processes.js";

export interface ScrapeTarget {
  /** host:port of the exporter. */
  address: string;
  /** Target labels, as the operator's relabelling would set them (namespace, pod, job, ...). */
  labels: Record<string, string>;
}

export interface PrometheusOptions {
  bin: string;
  dir: string;
  /** host:port on loopback. */
  listen: string;
  jobName: string;
  scrapeInterval: string;
  evaluationInterval: string;
  targets: ScrapeTarget[];
  /** Rule groups as Prometheus reads them: `{ groups: [...] }`. */
  rules: { groups: unknown[] };
  startTimeoutMs?: number;
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface ActiveAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing" | "inactive";
  activeAt?: string;
  value: string;
}

export interface Prometheus {
  readonly process: Managed;
  readonly url: string;
  query(expr: string): Promise<Sample[]>;
  alerts(): Promise<ActiveAlert[]>;
}

async function api<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== "success") throw new Error(`${url}: ${body.error ?? res.status}`);
  return body.data;
}

export async function startPrometheus(o: PrometheusOptions): Promise<Prometheus> {
  mkdirSync(join(o.dir, "data"), { recursive: true });
  writeFileSync(join(o.dir, "rules.yaml"), stringify(o.rules, { lineWidth: 0 }));
  const config = {
    global: { scrape_interval: o.scrapeInterval, evaluation_interval: o.evaluationInterval, scrape_timeout: o.scrapeInterval },
    rule_files: ["rules.yaml"],
    scrape_configs: [{
      job_name: o.jobName,
      metrics_path: "/metrics",
      // A static target's own `job` label wins over job_name, as the operator's relabelled one does.
      static_configs: o.targets.map((t) => ({ targets: [t.address], labels: t.labels })),
    }],
  };
  writeFileSync(join(o.dir, "prometheus.yml"), stringify(config, { lineWidth: 0 }));
  const proc = startProcess("prometheus", o.bin, [
    "--config.file=prometheus.yml",
    "--storage.tsdb.path=data",
    `--web.listen-address=${o.listen}`,
    "--log.level=warn",
  ], { cwd: o.dir });
  const url = `http://${o.listen}`;
  try {
    await pollUntil("Prometheus /-/ready", o.startTimeoutMs ?? 20_000, async () => {
      if (!proc.running) throw new StopPolling(`prometheus exited:\n${proc.logs()}`);
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      return res.ok ? true : { retry: `/-/ready ${res.status}` };
    }, 200);
  } catch (e) {
    await proc.stop();
    throw new Error(`${(e as Error).message}\n${proc.logs()}`);
  }
  return {
    process: proc,
    url,
    async query(expr) {
      const data = await api<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }>(
        `${url}/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      if (data.resultType !== "vector") throw new Error(`${expr}: result type ${data.resultType}, expected a vector`);
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async alerts() {
      return (await api<{ alerts: ActiveAlert[] }>(`${url}/api/v1/alerts`)).alerts;
    },
  };
}

// ---------------------------------------------------------------- PromQL text helpers

/** Every `metric{matchers}` selector in an expression (natskube scopes all of them, so all have braces). */
export function selectors(expr: string): string[] {
  return [...new Set([...expr.matchAll(/[a-zA-Z_:][\w:]*\{(?:[^}"]|"(?:[^"\\]|\\.)*")*\}/g)].map((m) => m[0]))];
}

/**
 * The expression without its top-level comparison (`lhs > 0.9` gives `lhs`), so a healthy
 * cluster's value can be seen; undefined when there is none. Only looks outside parentheses,
 * brackets, braces and strings, so `(x > 0)` filters inside stay.
 */
export function withoutThreshold(expr: string): string | undefined {
  let depth = 0;
  let inString = false;
  let cut = -1;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0 && expr[i - 1] === " " && /^(?:[<>]=?|!=|==) /.test(expr.slice(i, i + 3))) cut = i - 1;
  }
  return cut < 0 ? undefined : expr.slice(0, cut).trim();
}

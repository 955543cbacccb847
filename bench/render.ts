// (a) In-process render: the production example, and a fleet of 1000 distinct manifests.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { yamlStream } from "../src/emit/yaml.js";
import { parseText, renderParsed } from "../src/pipeline.js";
import { fleetManifest } from "../test/support/fleet.js";
import { median, ms, type Row } from "./stats.js";

/** Text in, YAML out: load, parse, validate, model, render, emit — what `natskube render` does in-process. */
function renderText(text: string, file: string): string {
  const result = parseText(text, file);
  if (result.diagnostics.some((d) => d.severity === "error")) throw new Error(`${file}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.parsed.map((p) => yamlStream(renderParsed(p)?.objects ?? [])).join("");
}

/** Per-render times of one example after a warm-up: the in-process goal is a p50. */
function warmPercentiles(root: string, name: string): Row {
  const file = join(root, "examples", `${name}.yaml`);
  const text = readFileSync(file, "utf8");
  for (let i = 0; i < 200; i++) renderText(text, file);
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    renderText(text, file);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { benchmark: `render ${name}.yaml in-process, warm`, result: `p50 ${ms(at(0.5), 2)}`, notes: `1000 renders after 200; p90 ${ms(at(0.9), 2)}, p99 ${ms(at(0.99), 2)}` };
}

export function benchRender(root: string): Row[] {
  const file = join(root, "examples", "production.yaml");
  const text = readFileSync(file, "utf8");
  for (let i = 0; i < 200; i++) renderText(text, file); // warm up the JIT
  const batches: number[] = [];
  const perBatch = 100;
  for (let b = 0; b < 20; b++) {
    const t = performance.now();
    for (let i = 0; i < perBatch; i++) renderText(text, file);
    batches.push((performance.now() - t) / perBatch);
  }
  const rows: Row[] = [
    warmPercentiles(root, "dev"),
    warmPercentiles(root, "production"),
    {
      benchmark: "render production.yaml in-process",
      result: `${ms(median(batches), 2)} per render`,
      notes: `median of 20 batches of ${perBatch} (load, validate, model, render, YAML); best batch ${ms(Math.min(...batches), 2)}`,
    },
  ];

  const fleet = Array.from({ length: 1000 }, (_, i) => fleetManifest(i));
  const outputs = new Set<string>();
  let objects = 0;
  const t = performance.now();
  for (let i = 0; i < fleet.length; i++) {
    const out = renderText(fleet[i]!, `fleet-${i}.yaml`);
    objects += out.split("\n---\n").length;
    outputs.add(createHash("sha256").update(out).digest("hex"));
  }
  const total = performance.now() - t;
  if (outputs.size !== fleet.length) throw new Error(`fleet: only ${outputs.size} distinct outputs for ${fleet.length} manifests`);
  rows.push({
    benchmark: "render a fleet of 1000 distinct manifests",
    result: `${ms(total)} total, ${ms(total / fleet.length, 2)} each`,
    notes: `${objects} objects; 1, 3, 5 replicas; auth, TLS, JetStream modes and streams vary`,
  });
  return rows;
}

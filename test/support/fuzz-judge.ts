import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatDiagnostic } from "../../src/cli/report.js";
import { DIAGNOSTIC_CODES } from "../../src/diagnostics/codes.js";
import { lintDocument } from "../../src/lint/run.js";
import { yamlStream } from "../../src/emit/yaml.js";
import { parseText, renderParsed } from "../../src/pipeline.js";
import { BIN, ROOT } from "./cli.js";

/** Bounds a run must stay within, whatever the input. */
export const LIMITS = { caseMs: 1_000, diagnosticChars: 2_000, stderrBytes: 200_000, cliMs: 10_000 };

/** The exit codes docs/diagnostics.md promises for validate/lint/render. */
export const DOCUMENTED_EXITS = new Set([0, 1]);

export interface Verdict {
  /** Empty when the case is fine; else what went wrong, one line each. */
  defects: string[];
  ms: number;
}

const TEXT_DEFECTS: readonly [RegExp, string][] = [
  [/undefined/, "undefined"],
  [/\[object Object\]/, "[object Object]"],
];

/** Runs a manifest through the library as the CLI does, and judges every diagnostic it yields. */
/** `downstream: false` stops after validation: render and lint cost most of a case and rarely see fuzzed input. */
export function judgeLibrary(text: string, downstream = true): Verdict {
  // CPU time, not wall time: the bound is about natskube's work, not about what else the machine runs.
  const start = process.cpuUsage();
  const defects: string[] = [];
  try {
    const result = parseText(text, "fuzz.yaml");
    const lineCount = text.split(/\r\n|\r|\n/).length;
    const sources = new Map([["fuzz.yaml", text]]);
    for (const d of result.diagnostics) {
      if (!(d.code in DIAGNOSTIC_CODES)) defects.push(`code outside the closed set: ${d.code}`);
      if (!d.source) defects.push(`unlocated: ${d.code} ${d.message.slice(0, 80)}`);
      else if (d.source.line < 1 || d.source.line > lineCount + 1 || d.source.col < 1) defects.push(`position outside the file: ${d.source.line}:${d.source.col}`);
      for (const [re, name] of TEXT_DEFECTS) if (re.test(d.message) && !re.test(text)) defects.push(`"${name}" in message: ${d.message.slice(0, 120)}`);
      const printed = formatDiagnostic(d, sources);
      if (printed.length > LIMITS.diagnosticChars) defects.push(`diagnostic of ${printed.length} characters`);
      if (printed.split("\n").length > 4) defects.push(`diagnostic split over ${printed.split("\n").length} lines: ${printed.slice(0, 120)}`);
    }
    if (result.diagnostics.length > 200) defects.push(`${result.diagnostics.length} diagnostics`);
    for (const p of downstream ? result.parsed : []) {
      const rendered = renderParsed(p);
      if (rendered) yamlStream(rendered.objects);
      if (p.resource) lintDocument(p);
    }
  } catch (e) {
    defects.push(`exception: ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 160)}`);
  }
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000;
  if (ms > LIMITS.caseMs) defects.push(`slow: ${Math.round(ms)} ms`);
  return { defects, ms };
}

/** Runs the real bin/natskube on the manifest and judges exit code, stderr and time. */
export function judgeCli(text: string, command: "validate" | "lint" | "render" = "validate"): Verdict {
  const dir = mkdtempSync(join(tmpdir(), "natskube-fuzz-"));
  const file = join(dir, "m.yaml");
  writeFileSync(file, text);
  const start = performance.now();
  const r = spawnSync(process.execPath, [BIN, command, file], { cwd: ROOT, encoding: "utf8", timeout: LIMITS.cliMs, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  rmSync(dir, { recursive: true, force: true });
  const defects: string[] = [];
  if (r.error) defects.push(`did not finish: ${r.error.message}`);
  else if (!DOCUMENTED_EXITS.has(r.status ?? -1)) defects.push(`exit ${r.status ?? r.signal}: ${r.stderr.slice(0, 200)}`);
  if (/\n\s+at .*:\d+:\d+\)?\n/.test(r.stderr ?? "")) defects.push(`stack trace: ${r.stderr.slice(0, 200)}`);
  if (/\(node:\d+\) \w*Warning/.test(r.stderr ?? "")) defects.push(`node warning: ${r.stderr.slice(0, 200)}`);
  if ((r.stderr?.length ?? 0) > LIMITS.stderrBytes) defects.push(`stderr of ${r.stderr.length} bytes`);
  return { defects, ms };
}

import type { Severity } from "../diagnostics/diagnostic.js";
import { type DocumentLint, type LintFinding, totals } from "./run.js";

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

function findingLines(f: LintFinding, file: string): string[] {
  const at = f.source ? `${f.source.file}:${f.source.line}:${f.source.col}` : file;
  return [`  ${at}: ${f.severity} ${f.ruleId} ${f.path}`, `    ${f.message}`, `    fix: ${f.fix}`];
}

/**
 * Findings grouped per file and document, each with file:line:col, severity, rule id, path, message and fix,
 * then a summary line. Suppressed findings are only counted.
 */
export function lintText(docs: readonly DocumentLint[], files: number): string {
  const out: string[] = [];
  let lastFile: string | undefined;
  for (const d of docs) {
    const active = d.findings.filter((f) => !f.suppressed);
    if (active.length === 0) continue;
    if (d.file !== lastFile) {
      if (lastFile !== undefined) out.push("");
      out.push(d.file);
      lastFile = d.file;
    }
    out.push(`  ${d.kind} ${d.namespace}/${d.name}${d.index > 0 ? ` (document ${d.index + 1})` : ""}`);
    for (const f of active) out.push(...findingLines(f, d.file));
  }
  if (out.length > 0) out.push("");
  out.push(lintSummary(docs, files));
  return out.join("\n") + "\n";
}

export function lintSummary(docs: readonly DocumentLint[], files: number): string {
  const t = totals(docs);
  const counts: [number, Severity][] = [
    [t.errors, "error"],
    [t.warnings, "warning"],
    [t.infos, "info"],
  ];
  const found = t.errors + t.warnings + t.infos;
  const head = found === 0 ? "no findings" : counts.filter(([n]) => n > 0).map(([n, w]) => (w === "info" ? `${n} info` : plural(n, w))).join(", ");
  const suppressed = t.suppressed > 0 ? ` (${t.suppressed} suppressed by natskube.dev/lint-ignore)` : "";
  return `${head} in ${plural(files, "file")}${suppressed}`;
}

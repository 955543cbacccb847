import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** `FILE:LINE:COL: error CODE path: message`, the source line with a caret, then the hint. */
export function formatDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string>): string {
  const where = d.source ? `${d.source.file}:${d.source.line}:${d.source.col}: ` : "";
  const lines = [`${where}${d.severity} ${d.code}${d.path ? ` ${d.path}` : ""}: ${d.message}`];
  const text = d.source ? sources.get(d.source.file) : undefined;
  if (d.source && text !== undefined) {
    const line = text.split(/\r?\n/)[d.source.line - 1];
    if (line !== undefined) {
      const gutter = String(d.source.line).padStart(4);
      lines.push(`${gutter} | ${line}`, `${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, d.source.col - 1))}^`);
    }
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join("\n");
}

export function summary(diagnostics: readonly Diagnostic[], files: number): string {
  const count = (s: Diagnostic["severity"]) => diagnostics.filter((d) => d.severity === s).length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  return `${plural(count("error"), "error")}, ${plural(count("warning"), "warning")} in ${plural(files, "file")}`;
}

export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.source?.file ?? "").localeCompare(b.source?.file ?? "") ||
      (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
      (a.source?.col ?? 0) - (b.source?.col ?? 0),
  );
}

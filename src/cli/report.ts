import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { printable } from "../diagnostics/printable.js";

/** Widest source excerpt printed: a 1 MB line must not become a 1 MB diagnostic. */
const EXCERPT_WIDTH = 120;
const EXCERPT_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The part of a source line around a column, one character per character so the caret stays aligned. */
export function excerpt(line: string, col: number): { text: string; caret: number } {
  const clean = line.replace(EXCERPT_UNSAFE, (c) => (c === "\t" ? " " : "?"));
  if (clean.length <= EXCERPT_WIDTH) return { text: clean, caret: col - 1 };
  const start = Math.max(0, Math.min(col - 1 - 40, clean.length - EXCERPT_WIDTH));
  const end = start + EXCERPT_WIDTH;
  const text = (start > 0 ? "…" : "") + clean.slice(start, end) + (end < clean.length ? "…" : "");
  return { text, caret: col - 1 - start + (start > 0 ? 1 : 0) };
}

/** `FILE:LINE:COL: error CODE path: message`, the source line with a caret, then the hint. */
export function formatDiagnostic(diagnostic: Diagnostic, sources: ReadonlyMap<string, string>): string {
  const d = printable(diagnostic);
  const where = d.source ? `${escapeFile(d.source.file)}:${d.source.line}:${d.source.col}: ` : "";
  const lines = [`${where}${d.severity} ${d.code}${d.path ? ` ${d.path}` : ""}: ${d.message}`];
  const text = d.source ? sources.get(d.source.file) : undefined;
  if (d.source && text !== undefined) {
    const line = sourceLine(text, d.source.line);
    if (line !== undefined) {
      const gutter = String(d.source.line).padStart(4);
      const shown = excerpt(line, d.source.col);
      lines.push(`${gutter} | ${shown.text}`, `${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, shown.caret))}^`);
    }
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join("\n");
}

function escapeFile(file: string): string {
  return printable({ code: "file-read", severity: "error", path: file, message: "" }).path;
}

/** Line n (1-based) without splitting the whole text: a huge file with many diagnostics stays linear. */
function sourceLine(text: string, n: number): string | undefined {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, "");
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

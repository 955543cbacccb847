import type { DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning" | "info";

/** A 1-based position in a source file; computed when the document is loaded. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/**
 * A problem found in user input, as data. Stages collect these and keep going,
 * so a user sees every problem in one run; only the CLI prints them.
 */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** Dotted field path, e.g. `spec.jetstream.persistence.size` or `spec.streams[0].name`. */
  path: string;
  message: string;
  hint?: string;
  source?: SourcePosition;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

export type PathSegment = string | number;

export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out;
}

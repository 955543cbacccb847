import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Io } from "./io.js";
import { formatDiagnostic, sortDiagnostics, summary } from "./report.js";

export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, files: number, withSummary = true): void {
  for (const d of sortDiagnostics(diagnostics)) io.err(formatDiagnostic(d, sources) + "\n");
  if (withSummary && diagnostics.length > 0) io.err(summary(diagnostics, files) + "\n");
}

import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { PathSegment, Severity } from "../diagnostics/diagnostic.js";

/** A problem found on a resolved path (a cross-field rule, Planton's redesign rules); the parser adds file positions. */
export interface RuleFinding {
  code: DiagnosticCode;
  severity?: Severity;
  path: PathSegment[];
  message: string;
  hint?: string;
}

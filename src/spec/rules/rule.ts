import type { DiagnosticCode } from "../../diagnostics/codes.js";
import type { PathSegment, Severity } from "../../diagnostics/diagnostic.js";
import type { KubernetesNats } from "../types.js";

/** A cross-field problem found on a resolved resource; the parser adds file positions. */
export interface RuleFinding {
  code: DiagnosticCode;
  severity?: Severity;
  path: PathSegment[];
  message: string;
  hint?: string;
}

export interface RuleContext {
  resource: KubernetesNats;
  /** The manifest as written (camelized, Planton fields translated, no defaults): what the user set. */
  written: Record<string, unknown>;
  isSet(path: PathSegment[]): boolean;
}

/** A validation rule: correctness only (what Kubernetes or nats-server would reject or ignore). Risk belongs to lint. */
export type ValidationRule = (ctx: RuleContext) => RuleFinding[];

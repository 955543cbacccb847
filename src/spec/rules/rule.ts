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

/**
 * A finding for each of `keys` set under `base` where nothing reads it (its feature is off, or another
 * setting excludes it): a warning unless `severity` says otherwise.
 */
export function setButUnused(
  isSet: RuleContext["isSet"],
  base: PathSegment[],
  keys: readonly string[],
  message: (key: string) => string,
  hint: string,
  severity: Severity = "warning",
): RuleFinding[] {
  return keys
    .filter((k) => isSet([...base, k]))
    .map((k) => ({ code: "cross-field", ...(severity === "error" ? {} : { severity }), path: [...base, k], message: message(k), hint }));
}

/** A validation rule: correctness only (what Kubernetes or nats-server would reject or ignore). Risk belongs to lint. */
export type ValidationRule = (ctx: RuleContext) => RuleFinding[];

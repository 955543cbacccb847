import type { PathSegment, Severity } from "../../diagnostics/diagnostic.js";
import type { RuleFinding } from "../../spec/finding.js";
import type { CheckContext } from "../context.js";

export type { RuleFinding };

/** The engine's context (src/check/context.ts): the resource, its Model, what was written. */
export type RuleContext = CheckContext;

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

import type { PathSegment, Severity } from "../diagnostics/diagnostic.js";
import type { Model } from "../model/model.js";
import { valueAt } from "../spec/paths.js";
import type { CheckContext } from "./context.js";
import { VALIDATION_RULES } from "./correctness/index.js";
import type { RuleFinding, ValidationRule } from "./correctness/rule.js";
import { ignoredRuleIds } from "./risk-facts.js";
import { ANNOTATIONS, type LintRule } from "./risk-rule.js";
import { LINT_RULES } from "./risk/index.js";

const RULE_IDS: readonly string[] = LINT_RULES.map((r) => r.id);

/** The context of one resolved document: its Model (whose resource it is) and what the user wrote. */
export function checkContext(model: Model, written: Record<string, unknown>): CheckContext {
  const resource = model.resource;
  return {
    resource,
    spec: resource.spec,
    model,
    written,
    isSet: (p: PathSegment[]) => valueAt(written, p) !== undefined,
    annotations: resource.metadata.annotations ?? {},
    ruleIds: RULE_IDS,
  };
}

/** A risk rule's hit, with the severity its preset gives it. */
export interface RiskFinding {
  rule: LintRule;
  severity: Severity;
  /** The hit's path, else the rule's. */
  path: PathSegment[];
  message: string;
  fix: string;
  /** Listed in the resource's natskube.dev/lint-ignore annotation: reported, never failing. */
  suppressed: boolean;
}

export interface CheckOptions {
  /** Correctness rules (what the server or Kubernetes would refuse or ignore); every one unless given. */
  correctness?: readonly ValidationRule[];
  /** Risk rules run only when asked (natskube lint), each at the severity the preset gives it, none when undefined. */
  risk?: { rules: readonly LintRule[]; severity(rule: LintRule): Severity | undefined };
}

export interface CheckResult {
  /** Findings that make the document invalid (errors) or warn about it: validate's diagnostics. */
  correctness: RuleFinding[];
  /** Production risks: lint's findings, never a diagnostic. */
  risks: RiskFinding[];
}

/**
 * The one rule engine: both families over one context (one Model), correctness first, each family in its
 * registry's order. The families stay distinct in what they return: the parser turns correctness findings into
 * diagnostics (exit code of validate and render), lint turns risks into its findings (exit code of lint).
 */
export function runChecks(ctx: CheckContext, options: CheckOptions = {}): CheckResult {
  const correctness = (options.correctness ?? VALIDATION_RULES).flatMap((rule) => rule(ctx));
  const risks: RiskFinding[] = [];
  if (options.risk) {
    const ignored = new Set(ignoredRuleIds(ctx, ANNOTATIONS.lintIgnore));
    for (const rule of options.risk.rules) {
      const severity = options.risk.severity(rule);
      if (severity === undefined) continue;
      for (const hit of rule.check(ctx))
        risks.push({ rule, severity, path: hit.path ?? rule.path, message: hit.message, fix: hit.fix, suppressed: ignored.has(rule.id) });
    }
  }
  return { correctness, risks };
}

import type { PathSegment, Severity, SourcePosition } from "../diagnostics/diagnostic.js";
import { buildModel, type Model } from "../model/model.js";
import type { ParsedDocument } from "../spec/parse.js";
import { ignoredRuleIds } from "../check/risk-facts.js";
import { PRESETS, type PresetName } from "./presets.js";
import { ANNOTATIONS, type LintContext, type LintRule } from "../check/risk-rule.js";
import { LINT_RULES } from "../check/risk/index.js";

export interface LintFinding {
  ruleId: string;
  /** Severity after the preset. */
  severity: Severity;
  /** Field path in the spelling the user wrote. */
  path: string;
  source?: SourcePosition;
  message: string;
  fix: string;
  /** Listed in the resource's natskube.dev/lint-ignore annotation: reported, never failing. */
  suppressed: boolean;
}

export interface DocumentLint {
  file: string;
  /** 0-based document index in the file. */
  index: number;
  kind: string;
  name: string;
  namespace: string;
  findings: LintFinding[];
}

export interface LintOptions {
  preset?: PresetName;
  rules?: readonly LintRule[];
  /** A model built already (render); built here otherwise. */
  model?: Model;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Runs the preset's rules over one valid document; undefined when the document did not validate. */
export function lintDocument(parsed: ParsedDocument, options: LintOptions = {}): DocumentLint | undefined {
  const resource = parsed.resource;
  if (!resource) return undefined;
  const preset = PRESETS[options.preset ?? "recommended"];
  const rules = options.rules ?? LINT_RULES;
  const annotations = resource.metadata.annotations ?? {};
  const ctx: LintContext = {
    resource,
    spec: resource.spec,
    model: options.model ?? buildModel(resource),
    annotations,
    ruleIds: LINT_RULES.map((r) => r.id),
  };
  const ignored = new Set(ignoredRuleIds(ctx, ANNOTATIONS.lintIgnore));
  const findings: LintFinding[] = [];
  for (const rule of rules) {
    const severity = preset.severity(rule);
    if (severity === undefined) continue;
    for (const hit of rule.check(ctx)) {
      const path: PathSegment[] = hit.path ?? rule.path;
      const source = parsed.locate(path);
      findings.push({
        ruleId: rule.id,
        severity,
        path: parsed.display(path),
        ...(source ? { source } : {}),
        message: hit.message,
        fix: hit.fix,
        suppressed: ignored.has(rule.id),
      });
    }
  }
  findings.sort(
    (a, b) =>
      (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
      (a.source?.col ?? 0) - (b.source?.col ?? 0) ||
      ORDER[a.severity] - ORDER[b.severity] ||
      a.ruleId.localeCompare(b.ruleId),
  );
  return {
    file: parsed.file,
    index: parsed.index,
    kind: resource.kind,
    name: resource.metadata.name,
    namespace: resource.spec.namespace,
    findings,
  };
}

export interface LintTotals {
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
}

export function totals(docs: readonly DocumentLint[]): LintTotals {
  const all = docs.flatMap((d) => d.findings);
  const active = all.filter((f) => !f.suppressed);
  return {
    errors: active.filter((f) => f.severity === "error").length,
    warnings: active.filter((f) => f.severity === "warning").length,
    infos: active.filter((f) => f.severity === "info").length,
    suppressed: all.length - active.length,
  };
}

/** Whether the run fails: an error remains, or (with --strict) a warning. Suppressed findings never fail. */
export function failed(t: LintTotals, strict: boolean): boolean {
  return t.errors > 0 || (strict && t.warnings > 0);
}

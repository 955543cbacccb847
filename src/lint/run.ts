import type { ParsedDocument } from "../check/document.js";
import type { LintRule } from "../check/risk-rule.js";
import { LINT_RULES } from "../check/risk/index.js";
import { runChecks } from "../check/run.js";
import type { PathSegment, Severity, SourcePosition } from "../diagnostics/diagnostic.js";
import type { Model } from "../model/model.js";
import { PRESETS, type PresetName } from "./presets.js";

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
  /** The document's own Model (parsed.model) unless given: lint never builds one. */
  model?: Model;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Runs the preset's risk rules over one valid document, on the context its checks saw; undefined when the document did not validate. */
export function lintDocument(parsed: ParsedDocument, options: LintOptions = {}): DocumentLint | undefined {
  const resource = parsed.resource;
  const context = parsed.context;
  if (!resource || !context) return undefined;
  const preset = PRESETS[options.preset ?? "recommended"];
  const ctx = options.model && options.model !== context.model ? { ...context, model: options.model } : context;
  const { risks } = runChecks(ctx, { correctness: [], risk: { rules: options.rules ?? LINT_RULES, severity: (r: LintRule) => preset.severity(r) } });
  const findings: LintFinding[] = risks.map((hit) => {
    const path: PathSegment[] = hit.path;
    const source = parsed.locate(path);
    return {
      ruleId: hit.rule.id,
      severity: hit.severity,
      path: parsed.display(path),
      ...(source ? { source } : {}),
      message: hit.message,
      fix: hit.fix,
      suppressed: hit.suppressed,
    };
  });
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

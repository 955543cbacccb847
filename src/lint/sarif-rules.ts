import type { LintRule } from "../check/risk-rule.js";
import { DIAGNOSTIC_CODES, type DiagnosticCode } from "../diagnostics/codes.js";
import { PRESETS, type PresetName } from "./presets.js";

export const INFORMATION_URI = "https://natskube.dev/docs/lint";

export type Level = "error" | "warning" | "note";
export const LEVEL = { error: "error", warning: "warning", info: "note" } as const satisfies Record<string, Level>;

/** SARIF wants a rule's name to be a readable identifier distinct from its id (Multitool's SARIF1001): `even-replicas` -> `EvenReplicas`. */
export const ruleName = (id: string) => id.replace(/(^|[-/])([a-z0-9])/g, (_, _sep: string, c: string) => c.toUpperCase());

/** Validation problems are results too, so an invalid manifest still yields a report: one rule per diagnostic code. */
export const validationRuleId = (code: DiagnosticCode) => `validate/${code}`;

export function lintRuleDescriptor(rule: LintRule, preset: PresetName) {
  const level = PRESETS[preset].severity(rule);
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: { text: `${rule.fix}\nOpt out per resource: metadata.annotations["natskube.dev/lint-ignore"]: "${rule.id}".` },
    helpUri: `${INFORMATION_URI}#${rule.id}`,
    defaultConfiguration: { level: LEVEL[level ?? rule.severity], enabled: level !== undefined },
  };
}

export function validationRuleDescriptors() {
  return (Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]).map((code) => ({
    id: validationRuleId(code),
    name: `Validate${ruleName(code)}`,
    shortDescription: { text: DIAGNOSTIC_CODES[code] },
    fullDescription: { text: `${DIAGNOSTIC_CODES[code]} The manifest is not valid: natskube validate rejects it, and it is not linted.` },
    help: { text: "Fix the manifest as the result's message and hint say; docs/diagnostics.md lists every code." },
    defaultConfiguration: { level: "error" as Level, enabled: true },
  }));
}

import type { LintRule } from "../check/risk-rule.js";
import type { Severity } from "../diagnostics/diagnostic.js";

export type PresetName = "recommended" | "strict";

export interface Preset {
  name: PresetName;
  description: string;
  /** The rule's severity in this preset; undefined when the preset does not run it. */
  severity(rule: LintRule): Severity | undefined;
}

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  recommended: {
    name: "recommended",
    description: "Every rule except the strict-only ones, at its default severity. Errors are risks in any environment; warnings depend on intent (a dev cluster may ignore them).",
    severity: (r) => (r.strictOnly ? undefined : r.severity),
  },
  strict: {
    name: "strict",
    description: "For production gates: every rule, including the strict-only ones, with the security, availability and sizing warnings raised to errors.",
    severity: (r) => r.strictSeverity ?? r.severity,
  },
};

export const isPresetName = (s: string): s is PresetName => Object.hasOwn(PRESETS, s);

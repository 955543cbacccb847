import type { Diagnostic, PathSegment } from "../diagnostics/diagnostic.js";
import { issuesToDiagnostics, type Located } from "./issues.js";
import { isPlainObject, type PathTrail } from "./paths.js";
import { translateRedesign } from "./planton-redesign.js";
import { redesignRules } from "./planton-redesign-rules.js";
import type { RuleFinding } from "./finding.js";
import { redesignResourceSchema } from "./schema/planton-redesign.js";

export const locatedFinding = (f: RuleFinding): Located => ({
  path: f.path,
  diagnostic: { code: f.code, severity: f.severity ?? "error", path: "", message: f.message, ...(f.hint ? { hint: f.hint } : {}) } as Diagnostic,
});

/**
 * A redesigned (B) manifest: its own schema and rules on what was written (`camelized`), then its translation
 * into natskube's fields (`written`, in place), whose unmapped fields are `unsupported`. In that order, so the
 * parser keeps the first error of each field. natskube's schema and rules then check what the fields became.
 */
export function checkRedesign(
  camelized: Record<string, unknown>,
  written: Record<string, unknown>,
  trail: PathTrail,
  writtenKey: (parent: PathSegment[], key: string) => string,
): { located: Located[]; chartVersion?: string } {
  const checked = redesignResourceSchema().safeParse(structuredClone(camelized));
  const located = checked.success ? [] : issuesToDiagnostics(checked.error.issues, camelized, redesignResourceSchema(), writtenKey);
  located.push(...redesignRules(camelized).map(locatedFinding));
  if (!isPlainObject(written["spec"])) return { located };
  const translated = translateRedesign(written, trail);
  located.push(...translated.findings.map(locatedFinding));
  return { located, ...(translated.chartVersion ? { chartVersion: translated.chartVersion } : {}) };
}

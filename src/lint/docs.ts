import { stringify } from "yaml";
import type { LintExample, LintRule } from "../check/risk-rule.js";
import { LINT_RULES } from "../check/risk/index.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import { PRESETS } from "./presets.js";


function example(e: LintExample): string {
  const doc: Record<string, unknown> = {};
  if (e.metadata) doc["metadata"] = e.metadata;
  doc["spec"] = e.spec ?? {};
  return ["```yaml", stringify(doc).trimEnd(), "```"].join("\n");
}

function severities(r: LintRule): string {
  const rec = PRESETS.recommended.severity(r) ?? "off";
  const strict = PRESETS.strict.severity(r) ?? "off";
  return `recommended: **${rec}**, strict: **${strict}**`;
}

/** The rules section of docs/lint.md, generated from the registry so docs, examples and tests cannot drift. */
export function lintRulesMarkdown(rules: readonly LintRule[] = LINT_RULES): string {
  const out: string[] = [
    "| rule | recommended | strict | field |",
    "|---|---|---|---|",
    ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${PRESETS.recommended.severity(r) ?? "off"} | ${PRESETS.strict.severity(r) ?? "off"} | \`${formatPath(r.path)}\` |`),
    "",
  ];
  for (const r of rules) {
    out.push(
      `### ${r.id}`,
      "",
      `${r.title}. Severity: ${severities(r)}. Field: \`${formatPath(r.path)}\`.`,
      "",
      `**Why:** ${r.why}`,
      "",
      `**Fix:** ${r.fix}`,
      "",
      "Fails:",
      "",
      example(r.examples.fail),
      "",
      "Passes:",
      "",
      example(r.examples.pass),
      "",
    );
  }
  return out.join("\n");
}

import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { Severity } from "../diagnostics/diagnostic.js";
import { PRESETS, type PresetName } from "./presets.js";
import type { LintRule } from "./rule.js";
import { LINT_RULES } from "./rules/index.js";
import type { DocumentLint } from "./run.js";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
export const INFORMATION_URI = "https://natskube.dev/docs/lint";

type Level = "error" | "warning" | "note";
const LEVEL: Record<Severity, Level> = { error: "error", warning: "warning", info: "note" };

/** A relative path stays relative (code scanning resolves it against the checkout); an absolute one becomes a file: URI. */
export function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return encodeURI(file.split("\\").join("/"));
}

function descriptor(rule: LintRule, preset: PresetName) {
  const level = PRESETS[preset].severity(rule);
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: { text: `${rule.fix}\nOpt out per resource: metadata.annotations["natskube.dev/lint-ignore"]: "${rule.id}".` },
    helpUri: `${INFORMATION_URI}#${rule.id}`,
    defaultConfiguration: { level: LEVEL[level ?? rule.severity], enabled: level !== undefined },
  };
}

/** A SARIF 2.1.0 log with one run; suppressed findings are results with an inSource suppression, as code-scanning tools expect. */
export function lintSarif(docs: readonly DocumentLint[], o: { version: string; preset: PresetName; rules?: readonly LintRule[] }) {
  const rules = o.rules ?? LINT_RULES;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = docs.flatMap((d) =>
    d.findings.map((f) => ({
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId)! } : {}),
      level: LEVEL[f.severity],
      message: { text: `${f.message}. Fix: ${f.fix}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(f.source?.file ?? d.file) },
            ...(f.source ? { region: { startLine: f.source.line, startColumn: f.source.col } } : {}),
          },
          logicalLocations: [{ name: f.path, fullyQualifiedName: `${d.namespace}/${d.name}:${f.path}`, kind: "member" }],
        },
      ],
      ...(f.suppressed ? { suppressions: [{ kind: "inSource", justification: "natskube.dev/lint-ignore annotation on the resource" }] } : {}),
      properties: { path: f.path, fix: f.fix, resource: `${d.namespace}/${d.name}` },
    })),
  );
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "natskube",
            version: o.version,
            semanticVersion: o.version,
            informationUri: INFORMATION_URI,
            rules: rules.map((r) => descriptor(r, o.preset)),
          },
        },
        // Columns come from JavaScript string offsets.
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}

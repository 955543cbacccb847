import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { nodeCrypto } from "../node-crypto.js";
import type { PresetName } from "./presets.js";
import type { LintRule } from "../check/risk-rule.js";
import { LINT_RULES } from "../check/risk/index.js";
import type { DocumentLint } from "./run.js";
import { INFORMATION_URI, LEVEL, lintRuleDescriptor, validationRuleDescriptors, validationRuleId } from "./sarif-rules.js";

export { INFORMATION_URI } from "./sarif-rules.js";
export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/** Key of natskube's own fingerprint in partialFingerprints (versioned, as SARIF §3.27.17 recommends). */
export const FINGERPRINT_KEY = "natskubeFinding/v1";

/** A relative path stays relative (code scanning resolves it against the checkout); an absolute one becomes a file: URI. */
export function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  // encodeURI keeps # and ?, which would cut the path short in a URI reference.
  return encodeURI(file.split("\\").join("/")).replace(/#/g, "%23").replace(/\?/g, "%3F");
}

/**
 * Identifies a finding across runs whatever line it moves to: the rule, the file, the resource and the field.
 * Code scanning matches alerts by it, so editing lines above a finding neither closes nor reopens it.
 */
function fingerprint(...parts: string[]): Record<string, string> {
  return { [FINGERPRINT_KEY]: nodeCrypto().createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32) };
}

function location(file: string, source: { line: number; col: number } | undefined, logical: { name: string; fullyQualifiedName: string }) {
  return {
    physicalLocation: {
      artifactLocation: { uri: artifactUri(file) },
      ...(source ? { region: { startLine: source.line, startColumn: source.col } } : {}),
    },
    logicalLocations: [{ ...logical, kind: "member" }],
  };
}

function lintResults(docs: readonly DocumentLint[], index: ReadonlyMap<string, number>) {
  return docs.flatMap((d) =>
    d.findings.map((f) => {
      const file = f.source?.file ?? d.file;
      const resource = `${d.namespace}/${d.name}`;
      return {
        ruleId: f.ruleId,
        ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId)! } : {}),
        level: LEVEL[f.severity],
        message: { text: `${f.message}. Fix: ${f.fix}` },
        locations: [location(file, f.source, { name: f.path, fullyQualifiedName: `${resource}:${f.path}` })],
        partialFingerprints: fingerprint(f.ruleId, file, resource, f.path),
        ...(f.suppressed ? { suppressions: [{ kind: "inSource", justification: "natskube.dev/lint-ignore annotation on the resource" }] } : {}),
        properties: { path: f.path, fix: f.fix, resource },
      };
    }),
  );
}

/** Validation diagnostics (the manifest is invalid) as results of the rule `validate/<code>`. */
function validationResults(diagnostics: readonly Diagnostic[], index: ReadonlyMap<string, number>) {
  return diagnostics.map((d) => {
    const ruleId = validationRuleId(d.code);
    const file = d.source?.file ?? "";
    return {
      ruleId,
      ruleIndex: index.get(ruleId)!,
      level: LEVEL[d.severity],
      message: { text: d.hint ? `${d.message}. Hint: ${d.hint}` : d.message },
      locations: [location(file, d.source, { name: d.path || "(document)", fullyQualifiedName: `${file}:${d.path}` })],
      partialFingerprints: fingerprint(ruleId, file, d.path, d.message),
      properties: { path: d.path, ...(d.hint ? { hint: d.hint } : {}) },
    };
  });
}

export interface SarifOptions {
  version: string;
  preset: PresetName;
  rules?: readonly LintRule[];
  /** Validation diagnostics of the run (of invalid documents, which are not linted); reported as results. */
  diagnostics?: readonly Diagnostic[];
}

/**
 * A SARIF 2.1.0 log with one run, valid whatever the input: lint findings of the valid documents and the
 * validation diagnostics of the others. Suppressed findings are results with an inSource suppression, as
 * code-scanning tools expect.
 */
export function lintSarif(docs: readonly DocumentLint[], o: SarifOptions) {
  const rules = [...(o.rules ?? LINT_RULES).map((r) => lintRuleDescriptor(r, o.preset)), ...validationRuleDescriptors()];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { name: "natskube", fullName: "natskube lint", version: o.version, semanticVersion: o.version, informationUri: INFORMATION_URI, rules },
        },
        automationDetails: { id: "natskube/lint/" },
        // Columns come from JavaScript string offsets.
        columnKind: "utf16CodeUnits",
        results: [...validationResults(o.diagnostics ?? [], index), ...lintResults(docs, index)],
      },
    ],
  };
}

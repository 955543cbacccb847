import type { PresetName } from "./presets.js";
import { type DocumentLint, failed, totals } from "./run.js";

/** The `-o json` report: one flat list of findings (easy to filter with jq), a summary and whether the run failed. */
export interface LintJsonReport {
  tool: { name: "natskube"; version: string };
  preset: PresetName;
  strict: boolean;
  summary: { files: number; documents: number; errors: number; warnings: number; infos: number; suppressed: number; failed: boolean };
  findings: {
    file: string;
    document: number;
    resource: string;
    ruleId: string;
    severity: "error" | "warning" | "info";
    path: string;
    line: number | null;
    column: number | null;
    message: string;
    fix: string;
    suppressed: boolean;
  }[];
}

export function lintJson(docs: readonly DocumentLint[], o: { version: string; preset: PresetName; strict: boolean; files: number }): LintJsonReport {
  const t = totals(docs);
  return {
    tool: { name: "natskube", version: o.version },
    preset: o.preset,
    strict: o.strict,
    summary: { files: o.files, documents: docs.length, ...t, failed: failed(t, o.strict) },
    findings: docs.flatMap((d) =>
      d.findings.map((f) => ({
        file: d.file,
        document: d.index,
        resource: `${d.namespace}/${d.name}`,
        ruleId: f.ruleId,
        severity: f.severity,
        path: f.path,
        line: f.source?.line ?? null,
        column: f.source?.col ?? null,
        message: f.message,
        fix: f.fix,
        suppressed: f.suppressed,
      })),
    ),
  };
}

const str = { type: "string" } as const;
const count = { type: "integer", minimum: 0 } as const;

/** JSON Schema (draft 2020-12 subset, also valid draft-07) of LintJsonReport; tests validate the CLI output against it. */
export const LINT_JSON_SCHEMA = {
  $id: "https://natskube.dev/schema/lint-report.schema.json",
  title: "natskube lint -o json",
  type: "object",
  additionalProperties: false,
  required: ["tool", "preset", "strict", "summary", "findings"],
  properties: {
    tool: {
      type: "object",
      additionalProperties: false,
      required: ["name", "version"],
      properties: { name: { const: "natskube" }, version: str },
    },
    preset: { enum: ["recommended", "strict"] },
    strict: { type: "boolean" },
    summary: {
      type: "object",
      additionalProperties: false,
      required: ["files", "documents", "errors", "warnings", "infos", "suppressed", "failed"],
      properties: { files: count, documents: count, errors: count, warnings: count, infos: count, suppressed: count, failed: { type: "boolean" } },
    },
    findings: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["file", "document", "resource", "ruleId", "severity", "path", "line", "column", "message", "fix", "suppressed"],
        properties: {
          file: str,
          document: count,
          resource: { type: "string", pattern: "^[a-z0-9-]+/[a-z0-9-]+$" },
          ruleId: { type: "string", pattern: "^[a-z0-9]+(-[a-z0-9]+)*$" },
          severity: { enum: ["error", "warning", "info"] },
          path: str,
          line: { type: ["integer", "null"], minimum: 1 },
          column: { type: ["integer", "null"], minimum: 1 },
          message: { type: "string", minLength: 1 },
          fix: { type: "string", minLength: 1 },
          suppressed: { type: "boolean" },
        },
      },
    },
  },
} as const;

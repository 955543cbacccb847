import type { z } from "zod";
import type { Diagnostic, PathSegment } from "../diagnostics/diagnostic.js";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { valueAt } from "./paths.js";

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

export interface Located {
  path: PathSegment[];
  diagnostic: Diagnostic;
}

/** Turns zod's issues into natskube diagnostics (codes, messages and hints users can act on). */
/** `writtenKey` names a key as the user wrote it (`replica_count`), not in its camelCase form. */
export function issuesToDiagnostics(
  issues: readonly Issue[],
  input: unknown,
  schema: AnySchema,
  writtenKey: (parent: PathSegment[], key: string) => string = (_, k) => k,
): Located[] {
  const out: Located[] = [];
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(schema, path);
      for (const key of issue.keys) {
        const written = writtenKey(path, key);
        const guess = didYouMean(written, known);
        out.push(located([...path, key], "unknown-field", `unknown field ${JSON.stringify(written)}`, guess ? `Did you mean "${guess}"?` : known.length ? `Known fields: ${known.join(", ")}.` : undefined));
      }
      continue;
    }
    out.push(convert(issue, path, valueAt(input, path)));
  }
  return out;
}

function located(path: PathSegment[], code: DiagnosticCode, message: string, hint?: string): Located {
  return { path, diagnostic: { code, severity: "error", path: formatPath(path), message, ...(hint ? { hint } : {}) } };
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (typeof v === "number" && Number.isNaN(v)) return "NaN (.nan)";
  if (typeof v === "number" && !Number.isFinite(v)) return `${v < 0 ? "minus " : ""}infinity (.inf, or a number too large such as 1e400)`;
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  record: "a mapping",
};

function convert(issue: Issue, path: PathSegment[], value: unknown): Located {
  const diag = (code: DiagnosticCode, _p: PathSegment[], message: string, hint?: string) => located(path, code, message, hint);
  const field = formatPath(path) || "document";
  const last = String(path[path.length - 1] ?? "document");
  switch (issue.code) {
    case "invalid_type": {
      if (value === undefined) return diag("required", path, `${last} is required`);
      // zod rejects NaN and infinities as "not a number"; to the user they are numbers out of range.
      if (typeof value === "number") return diag("range", path, `${last} must be a finite number, got ${describe(value)}`, "Write an ordinary number such as 3.");
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      const hint = issue.expected === "boolean" && typeof value === "string" ? "Write true or false without quotes." : issue.expected === "number" && typeof value === "string" ? "Write the number without quotes." : undefined;
      return diag("type", path, `expected ${expected}, got ${describe(value)}`, hint);
    }
    case "invalid_value": {
      const allowed = issue.values.map((v) => String(v));
      if (value === undefined && (field === "apiVersion" || field === "kind"))
        return diag(field === "kind" ? "kind" : "api-version", path, `${field} is missing; it must be ${allowed.join(" or ")}`, `Add \`${field}: ${allowed[0]}\` at the top of the document.`);
      if (field === "apiVersion") return diag("api-version", path, `apiVersion must be ${allowed.join(" or ")}, got ${describe(value)}`);
      if (field === "kind") return diag("kind", path, `kind must be ${allowed.join(" or ")}, got ${describe(value)}`);
      const guess = typeof value === "string" ? didYouMean(value, allowed) : undefined;
      return diag("enum", path, `${describe(value)} is not allowed; expected one of: ${allowed.join(", ")}`, guess ? `Did you mean ${guess}?` : undefined);
    }
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const bound = small ? issue.minimum : issue.maximum;
      if (issue.origin === "string") {
        if (small && Number(bound) === 1) return diag("required", path, `${last} must not be empty`);
        return diag("range", path, `${last} must be ${small ? "at least" : "at most"} ${bound} characters`);
      }
      if (issue.origin === "array") return diag("range", path, `${last} must have ${small ? "at least" : "at most"} ${bound} item${Number(bound) === 1 ? "" : "s"}`);
      const strict = !(issue as { inclusive?: boolean }).inclusive;
      return diag("range", path, `${last} must be ${small ? (strict ? "greater than" : "at least") : strict ? "less than" : "at most"} ${bound}, got ${String(value)}`);
    }
    case "invalid_format":
      return diag("format", path, issue.message);
    case "invalid_union": {
      if (value === undefined) return diag("required", path, `${last} is required`);
      const expected = [...new Set(issue.errors.flatMap((branch) => branch.filter((e) => e.path.length === 0 && e.code === "invalid_type").map((e) => TYPE_NAMES[(e as { expected: string }).expected] ?? "")))].filter(Boolean);
      if (expected.length > 0 && !expected.some((e) => (e === "a mapping" && typeof value === "object") || (e === "a string" && typeof value === "string")))
        return diag("type", path, `expected ${expected.join(" or ")}, got ${describe(value)}`);
      // The value has a plausible type: report the innermost problem of the closest branch.
      const branch = issue.errors.find((b) => b.every((e) => e.path.length > 0 || e.code !== "invalid_type")) ?? issue.errors[0] ?? [];
      const first = branch[0];
      return first ? convert(first as Issue, [...path, ...(first.path as PathSegment[])], valueAt(value, first.path as PathSegment[])) : diag("type", path, `unexpected value ${describe(value)}`);
    }
    case "custom": {
      const params = (issue.params ?? {}) as { code?: DiagnosticCode; hint?: string };
      return diag(params.code ?? "format", path, `${issue.message}, got ${describe(value)}`, params.hint);
    }
    default:
      return diag("format", path, issue.message);
  }
}

/** Field names an object schema defines at a path, for did-you-mean. */
export function knownKeys(schema: AnySchema, path: readonly PathSegment[]): string[] {
  let cur: AnySchema | undefined = schema;
  for (const seg of path) {
    cur = cur ? child(unwrap(cur), seg) : undefined;
  }
  const obj = cur ? objectOf(unwrap(cur)) : undefined;
  return obj ? Object.keys((obj._zod.def as unknown as { shape: Record<string, unknown> }).shape) : [];
}

function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const def = cur._zod.def as unknown as { type: string; innerType?: AnySchema; in?: AnySchema };
    if (def.innerType) cur = def.innerType;
    else if (def.type === "pipe" && def.in) cur = def.in;
    else break;
  }
  return cur;
}

function objectOf(s: AnySchema): AnySchema | undefined {
  const def = s._zod.def as unknown as { type: string; options?: AnySchema[] };
  if (def.type === "object") return s;
  if (def.type === "union") return def.options?.map(unwrap).find((o) => (o._zod.def as { type: string }).type === "object");
  return undefined;
}

function child(s: AnySchema, seg: PathSegment): AnySchema | undefined {
  const def = s._zod.def as unknown as { type: string; element?: AnySchema; valueType?: AnySchema };
  if (typeof seg === "number") return def.type === "array" ? def.element : undefined;
  if (def.type === "record") return def.valueType;
  const obj = objectOf(s);
  return obj ? (obj._zod.def as unknown as { shape: Record<string, AnySchema> }).shape[seg] : undefined;
}

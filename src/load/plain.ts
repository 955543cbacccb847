import type { Diagnostic, PathSegment } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";

/** What a non-JSON value came from, for the message: yaml resolves these tags (YAML 1.1 types, merge keys). */
function tagOf(v: unknown): string | undefined {
  if (typeof v === "symbol") return "!!merge";
  if (typeof v === "bigint") return "a big integer";
  if (typeof v === "function") return "a function";
  if (v instanceof Uint8Array) return "!!binary";
  if (v instanceof Set) return "!!set";
  if (v instanceof Map) return "!!omap or !!pairs";
  if (v instanceof Date) return "!!timestamp";
  if (v !== null && typeof v === "object" && !Array.isArray(v) && ![Object.prototype, null].includes(Object.getPrototypeOf(v))) return "a tag";
  return undefined;
}

/**
 * Paths of values that are not plain data (strings, numbers, booleans, null, lists, mappings): the rest of
 * natskube (structuredClone, the schema, the renderers) assumes plain data.
 */
export function nonPlainValues(value: unknown, path: PathSegment[] = [], out: { path: PathSegment[]; diagnostic: Diagnostic }[] = []) {
  const tag = tagOf(value);
  if (tag) {
    const hint = tag === "!!merge" ? "A merge key is written `<<: *anchor` on its own line; remove !!merge from the value." : "Remove the tag and write the value as a plain string, number, list or mapping.";
    out.push({ path, diagnostic: { code: "type", severity: "error", path: formatPath(path), message: `expected plain YAML data, got a value tagged ${tag}`, hint } });
  } else if (Array.isArray(value)) value.forEach((v, i) => nonPlainValues(v, [...path, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) nonPlainValues(v, [...path, k], out);
  return out;
}

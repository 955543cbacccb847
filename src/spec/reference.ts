import { jsonSchema } from "./json-schema.js";

type Json = { [k: string]: unknown };

/** The field reference in Markdown, generated from the JSON Schema (docs/reference.md). */
export function referenceMarkdown(): string {
  const schema = jsonSchema();
  const rows: string[] = [];
  walk(schema, "", rows);
  return [
    "# KubernetesNats field reference",
    "",
    "Generated from the validator's schema by `npm run reference:update`; do not edit by hand.",
    "Every key may also be written in snake_case. Fields marked *Planton* are Project Planton's spelling and map to the native field.",
    "",
    "| field | type | default | description |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

function typeOf(s: Json): string {
  if (Array.isArray(s["enum"])) return (s["enum"] as unknown[]).map((v) => `\`${String(v)}\``).join(" \\| ");
  if (s["const"] !== undefined) return `\`${String(s["const"])}\``;
  if (Array.isArray(s["anyOf"])) return (s["anyOf"] as Json[]).map(typeOf).join(" or ");
  if (s["type"] === "array") return `list of ${typeOf((s["items"] as Json | undefined) ?? {})}`;
  if (s["type"] === "object" && s["additionalProperties"] && typeof s["additionalProperties"] === "object") return "map";
  return String(s["type"] ?? "any");
}

function walk(s: Json, path: string, rows: string[]): void {
  const props = s["properties"] as Record<string, Json> | undefined;
  if (props) {
    for (const [key, child] of Object.entries(props)) {
      const desc = String(child["description"] ?? "");
      if (desc.startsWith("Same as ")) continue;
      const p = path ? `${path}.${key}` : key;
      // An object's default is `{}` (zod's prefault): its fields below state theirs.
      const dflt = child["default"] === undefined ? "" : JSON.stringify(child["default"]) === "{}" ? "see fields" : `\`${JSON.stringify(child["default"])}\``;
      const planton = desc.startsWith("Project Planton") ? "*Planton* " : "";
      rows.push(`| \`${p}\` | ${typeOf(child)} | ${dflt.length > 60 ? "see fields" : dflt} | ${planton}${desc.replace(/^Project Planton:? ?/, "").replace(/\|/g, "\\|")} |`);
      walk(child, p, rows);
    }
  }
  const items = s["items"] as Json | undefined;
  if (items && s["type"] === "array") walk(items, `${path}[]`, rows);
  for (const alt of (s["anyOf"] as Json[] | undefined) ?? []) if (alt["type"] === "object") walk(alt, path, rows);
}

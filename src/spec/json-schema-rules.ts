import { BUCKET_NAME } from "../nats/names.js";
import { toSnake } from "./camelize.js";
import { plantonSpecFields } from "./schema/planton.js";
import { CLUSTER_NAME, MAX_NAME_LENGTH } from "./schema/primitives.js";

// What the validator checks in its rules (check/correctness/) rather than in the zod schema, written as JSON Schema
// where JSON Schema can say it, so an editor flags the same mistakes. Comparisons of two values, or over a
// list (overlapping subjects, conflicting spellings, requests above limits), it cannot say: those stay CLI-only
// (test/unit/json-schema-parity.test.ts lists them).

type Json = { [k: string]: unknown };

const spellings = (k: string) => [...new Set([k, toSnake(k)])];

/** The object has key k, in either spelling. */
const has = (k: string): Json => ({ anyOf: spellings(k).map((s) => ({ required: [s] })) });
/**
 * The object has key k (either spelling) whose value matches `schema`. yaml-language-server gathers completion
 * from subschemas too: these conditions offer nothing.
 */
const where = (k: string, schema: Json): Json => ({ anyOf: spellings(k).map((s) => ({ required: [s], properties: { [s]: { ...schema, doNotSuggest: true } } })) });

/** Go's time.ParseDuration syntax (src/nats/durations.ts): `90s`, `1h30m`, `168h`; no days. */
export const GO_DURATION_PATTERN = "^[-+]?(0|((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+)$";
/** nats-server's isValidAssetName (src/nats/names.ts natsNameProblem): no whitespace, control characters, . * > / \. */
const NATS_NAME_PATTERN = "^[^\\s.*>/\\\\\\u0000-\\u001f\\u007f]+$";

function node(root: Json, path: string): Json {
  let at: unknown = root;
  for (const seg of path.split(".")) {
    at = seg === "[]" ? (at as Json)["items"] : (at as { properties: Json }).properties[seg];
    if (!at) throw new Error(`json-schema-rules: no ${path} in the generated schema`);
  }
  return at as Json;
}

const addAllOf = (n: Json, ...rules: Json[]) => (n["allOf"] = [...((n["allOf"] as Json[] | undefined) ?? []), ...rules]);

/** Adds the rules to the camelCase schema, before snake_case aliases are copied from it. */
export function addRuleConstraints(schema: Json): void {
  Object.assign(node(schema, "metadata.name"), { pattern: CLUSTER_NAME.source, maxLength: MAX_NAME_LENGTH });

  // Planton's {valueFrom: ...} is refused as unsupported: only {value: name} renders.
  const plantonNamespace = (node(schema, "spec.namespace")["anyOf"] as Json[]).find((s) => s["type"] === "object")!;
  delete (plantonNamespace["properties"] as Json)["valueFrom"];
  plantonNamespace["required"] = ["value"];

  // With TLS on: one certificate source. certManager beside secretName is refused too (it would have no effect).
  addAllOf(node(schema, "spec.tls"), {
    if: { required: ["enabled"], properties: { enabled: { const: true, doNotSuggest: true } } },
    then: {
      not: {
        anyOf: [
          { allOf: [has("secretName"), has("certManager")] },
          where("certManager", { allOf: [has("issuerRef"), where("selfSigned", { const: true })] }),
        ],
      },
    },
  });
  const off = { required: ["enabled"], properties: { enabled: { const: false, doNotSuggest: true } } };
  addAllOf(node(schema, "spec.jetstream"), {
    if: { not: off },
    then: { not: where("persistence", { allOf: [{ required: ["mode"], properties: { mode: { const: "MEMORY", doNotSuggest: true } } }, has("storageClass")] }) },
  });
  // Streams, KV and object stores need JetStream.
  const none = { maxItems: 0, doNotSuggest: true };
  const assets = ["streams", "keyValues", "objectStores"].flatMap(spellings);
  addAllOf(node(schema, "spec"), { if: where("jetstream", off), then: { properties: Object.fromEntries(assets.map((k) => [k, none])) } });
  addAllOf(node(schema, "spec.externalAccess"), { if: { required: ["type"], properties: { type: { const: "INGRESS", doNotSuggest: true } } }, then: has("hostname") });

  for (const p of ["spec.streams.[].name", "spec.streams.[].consumers.[].durableName"]) node(schema, p)["pattern"] = NATS_NAME_PATTERN;
  for (const p of ["spec.keyValues.[].bucket", "spec.objectStores.[].bucket"]) node(schema, p)["pattern"] = BUCKET_NAME.source.replace("\\w", "A-Za-z0-9_");
  for (const p of ["spec.streams.[].duplicateWindow"]) node(schema, p)["pattern"] = GO_DURATION_PATTERN;
  addDurationPatterns(schema);

  // Completion offers the native keys; Project Planton's spellings stay valid but are not suggested.
  const spec = node(schema, "spec")["properties"] as Json;
  for (const k of Object.keys(plantonSpecFields)) if (spec[k]) spec[k] = { ...(spec[k] as Json), doNotSuggest: true };
}

/** Every string field documented as a Go duration. */
function addDurationPatterns(n: unknown): void {
  if (Array.isArray(n)) return n.forEach(addDurationPatterns);
  if (n === null || typeof n !== "object") return;
  const o = n as Json;
  if (o["type"] === "string" && typeof o["description"] === "string" && /Go duration/.test(o["description"])) o["pattern"] = GO_DURATION_PATTERN;
  for (const v of Object.values(o)) addDurationPatterns(v);
}

import { addRuleConstraints } from "./json-schema-rules.js";
import { z } from "./schema/zod.js";
import { resourceSchema } from "./schema/resource.js";

const SCHEMA_ID = "https://natskube.dev/schema/kubernetes-nats.schema.json";

type Json = { [k: string]: unknown };

/**
 * The JSON Schema of what users may write: the validator's own schema, the checks of its rules that
 * JSON Schema can express, plus the snake_case spelling of every key (which the loader accepts) as an
 * alias that completion does not offer.
 */
export function jsonSchema(): Json {
  const schema = z.toJSONSchema(resourceSchema, { io: "input", unrepresentable: "any" }) as Json;
  addRuleConstraints(schema);
  addSnakeAliases(schema);
  return { ...schema, $id: SCHEMA_ID, title: "KubernetesNats", description: "A NATS cluster on Kubernetes, rendered by natskube." };
}

const toSnake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function addSnakeAliases(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(addSnakeAliases);
  if (node === null || typeof node !== "object") return;
  const obj = node as Json;
  for (const v of Object.values(obj)) addSnakeAliases(v);
  const props = obj["properties"] as Json | undefined;
  if (!props || obj["additionalProperties"] !== false) return;
  const required = (obj["required"] as string[] | undefined) ?? [];
  const either: Json[] = [];
  for (const key of Object.keys(props)) {
    const snake = toSnake(key);
    if (snake === key || snake in props) continue;
    // Valid, but not offered by completion: editors would list every key twice.
    props[snake] = { ...(props[key] as Json), description: `Same as ${key}.`, doNotSuggest: true };
    // A required field may be written in either spelling.
    if (required.includes(key)) either.push({ anyOf: [{ required: [key] }, { required: [snake] }] });
  }
  if (either.length > 0) {
    const rest = required.filter((k) => !either.some((e) => JSON.stringify(e).includes(`"${k}"`)));
    if (rest.length > 0) obj["required"] = rest;
    else delete obj["required"];
    obj["allOf"] = [...((obj["allOf"] as Json[] | undefined) ?? []), ...either];
  }
}

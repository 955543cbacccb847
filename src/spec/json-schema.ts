import { toSnake } from "./camelize.js";
import { addRuleConstraints } from "./json-schema-rules.js";
import { z } from "./schema/zod.js";
import { resourceSchema } from "./schema/resource.js";
import { redesignResourceSchema } from "./schema/planton-redesign.js";

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

/**
 * The JSON Schema of Project Planton's redesigned KubernetesNats (docs/planton.md), for editors of those
 * manifests: its field rules; the message-level rules and what natskube does not support yet are the CLI's.
 */
export function redesignJsonSchema(): Json {
  const schema = z.toJSONSchema(redesignResourceSchema(), { io: "input", unrepresentable: "any" }) as Json;
  addSnakeAliases(schema);
  return {
    ...schema,
    $id: "https://natskube.dev/schema/kubernetes-nats-planton-redesign.schema.json",
    title: "KubernetesNats (Project Planton redesign)",
    description: "Project Planton's redesigned KubernetesNats (kubernetes.planton.dev/v1, v1alpha1), as natskube loads it.",
  };
}

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

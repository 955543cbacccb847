import type { Diagnostic, PathSegment, SourcePosition } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import { isDeepStrictEqual } from "node:util";
import { isPlainObject, type PathTrail } from "./paths.js";

// Maps whose keys belong to the user or to Kubernetes, never renamed.
const OPAQUE = new Set([
  "metadata.labels",
  "metadata.annotations",
  "metadata.relationships",
  "spec.scheduling.nodeSelector",
  "spec.scheduling.tolerations",
  "spec.scheduling.affinity",
  "spec.externalAccess.annotations",
  "spec.monitoring.labels",
  // Project Planton's redesign (spec/planton-redesign.ts): Kubernetes annotation keys.
  "spec.service.annotations",
  // nats.conf keys, spelled as the server spells them.
  "spec.configMerge",
  "spec.podAnnotations",
  "spec.podLabels",
  "status",
]);

export const toCamel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** The snake_case spelling of a camelCase key (what the JSON Schema offers beside it). */
export const toSnake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Accepts the snake_case spelling of every key, as protobuf JSON parsers do.
 * Both spellings of one key with different values is a conflict.
 */
export function camelize(
  value: unknown,
  trail: PathTrail,
  diagnostics: Diagnostic[],
  locate: (written: PathSegment[]) => SourcePosition | undefined,
  path: PathSegment[] = [],
  /** formatPath(path), built as the walk goes down rather than again from the root at every node. */
  shown = formatPath(path),
): unknown {
  if (OPAQUE.has(shown)) return value;
  if (Array.isArray(value)) return value.map((v, i) => camelize(v, trail, diagnostics, locate, [...path, i], `${shown}[${i}]`));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  // The first spelling of each key written in snake_case (a key without one was first written as it is).
  let firstSpelling: Map<string, string> | undefined;
  for (const written of Object.keys(value)) {
    const key = written.includes("_") ? toCamel(written) : written;
    // Own keys only: `toString` or `constructor` in a manifest are unknown fields, not spellings of a prototype member.
    const duplicate = Object.hasOwn(out, key);
    if (!duplicate && key !== written) {
      (firstSpelling ??= new Map()).set(key, written);
      trail.rename(path, key, written);
    }
    const child = camelize(value[written], trail, diagnostics, locate, [...path, key], shown === "" ? key : `${shown}.${key}`);
    if (duplicate) {
      if (!isDeepStrictEqual(out[key], child)) {
        diagnostics.push({
          code: "conflict",
          severity: "error",
          path: formatPath([...path, written]),
          message: `${firstSpelling?.get(key) ?? key} and ${written} are the same field with different values`,
          hint: `Keep one spelling of ${key}.`,
          source: locate([...trail.written(path), written]),
        });
      }
      continue;
    }
    // An assignment to `__proto__` would set the prototype: that key is defined as an own property.
    if (key === "__proto__") Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
    else out[key] = child;
  }
  return out;
}

/**
 * A live object (read from the API server, or `kubectl get -o yaml`) seen as natskube would have
 * written it: only the fields natskube's render sets, and those natskube's field manager owns.
 * The API server adds fields (uid, resourceVersion, managedFields, status, defaults such as
 * imagePullPolicy, terminationMessagePath, clusterIP, volumeMode, ...); none of them is ever
 * listed, so none can show as a change, whatever a future release adds.
 */
import { deepEqual, isPlainObject } from "../plan/diff.js";
import { parseQuantity } from "../spec/quantity.js";
import type { KubeObject } from "../render/object.js";
import { PART_OF } from "./ownership.js";

/** The field manager of `natskube apply`, and of `kubectl apply --server-side --field-manager=natskube`. */
export const FIELD_MANAGER = "natskube";

/** fieldsV1 of managedFields: `{"f:spec": {"f:replicas": {}}, "f:items": {"k:{\"name\":\"a\"}": {...}}}`. */
export type FieldsV1 = { [key: string]: FieldsV1 };

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: FieldsV1;
}

/** True for an object read from a cluster rather than rendered: the server stamped it. */
export function looksLive(o: KubeObject): boolean {
  const m = o.metadata as unknown as Record<string, unknown>;
  return ["uid", "resourceVersion", "creationTimestamp", "managedFields"].some((k) => m[k] !== undefined) || o["status"] !== undefined;
}

/** The fields the `natskube` manager applied, merged over its entries; undefined when it owns nothing. */
export function ownedFields(o: KubeObject, manager = FIELD_MANAGER): FieldsV1 | undefined {
  const entries = (o.metadata as { managedFields?: ManagedFieldsEntry[] }).managedFields;
  if (!Array.isArray(entries)) return undefined;
  let out: FieldsV1 | undefined;
  for (const e of entries)
    if (e.manager === manager && e.operation === "Apply" && !e.subresource && isPlainObject(e.fieldsV1)) out = mergeFields(out ?? {}, e.fieldsV1 as FieldsV1);
  return out;
}

function mergeFields(a: FieldsV1, b: FieldsV1): FieldsV1 {
  const out: FieldsV1 = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeFields(out[k]!, v) : v;
  return out;
}

/**
 * The live object seen through natskube's eyes: the fields `desired` (the render) sets and the fields
 * natskube's manager owns (so a field natskube applied earlier and no longer renders shows as removed).
 * A Secret's stringData is compared as the data the API server stores.
 */
export function liveView(live: KubeObject, desired: KubeObject | undefined): KubeObject {
  const shape = desired ? (comparable(desired) as unknown) : undefined;
  const seen = project(live, shape, ownedFields(live)) as KubeObject;
  // Its identity, whatever natskube owns of it (an object another tool labelled, read for prune).
  const { name, namespace } = live.metadata;
  return { ...seen, apiVersion: live.apiVersion, kind: live.kind, metadata: { ...seen.metadata, name, ...(namespace !== undefined ? { namespace } : {}) } };
}

/** What the API server stores for a rendered object: Secret stringData becomes base64 data. */
export function comparable(o: KubeObject): KubeObject {
  if (o.kind !== "Secret" || !isPlainObject(o["stringData"])) return o;
  const { stringData, ...rest } = o as KubeObject & { stringData: Record<string, string>; data?: Record<string, string> };
  const data: Record<string, string> = { ...(rest.data ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), "utf8").toString("base64");
  return { ...rest, data } as KubeObject;
}

/** A fieldsV1 node that names no child: the whole value is owned (a scalar, an atomic list or map). */
const isLeaf = (f: FieldsV1) => Object.keys(f).every((k) => k === ".");

/** Maps of quantities (resources.requests and limits, PV capacity), and single quantities: the server canonicalises them (1000m is 1). */
const QUANTITY_MAPS = new Set(["requests", "limits", "capacity"]);
const QUANTITY_KEYS = new Set(["sizeLimit"]);

/** The rendered spelling of a quantity when the live one is the same amount, so that only amounts compare. */
function sameQuantity(live: unknown, shape: unknown): boolean {
  if ((typeof live !== "string" && typeof live !== "number") || (typeof shape !== "string" && typeof shape !== "number")) return false;
  const a = parseQuantity(String(live));
  const b = parseQuantity(String(shape));
  return a !== undefined && b !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);
}

/** `key`, `parent`: the keys the value and its mapping have (a quantity is known by them). */
function project(live: unknown, shape: unknown, fields: FieldsV1 | undefined, key = "", parent = ""): unknown {
  if ((QUANTITY_KEYS.has(key) || QUANTITY_MAPS.has(parent)) && live !== shape && sameQuantity(live, shape)) return shape;
  if (fields !== undefined && isLeaf(fields) && shape === undefined) return live;
  if (isPlainObject(live)) {
    if (shape !== undefined && !isPlainObject(shape)) return live;
    const keys = new Set<string>([
      ...(isPlainObject(shape) ? Object.keys(shape) : []),
      ...Object.keys(fields ?? {})
        .filter((k) => k.startsWith("f:"))
        .map((k) => k.slice(2)),
    ]);
    if (fields !== undefined && isLeaf(fields) && isPlainObject(shape) && Object.keys(shape).length === 0) return live;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(live)) {
      if (!keys.has(k)) continue;
      const sub = fields?.[`f:${k}`];
      out[k] = project(live[k], isPlainObject(shape) ? shape[k] : undefined, sub, k, key);
    }
    return out;
  }
  if (Array.isArray(live)) return projectList(live, shape, fields);
  return live;
}

const itemName = (v: unknown): string | undefined => {
  if (!isPlainObject(v)) return undefined;
  if (typeof v.name === "string") return v.name;
  return isPlainObject(v.metadata) && typeof v.metadata.name === "string" ? v.metadata.name : undefined;
};

/** `k:{"name":"nats"}` matches the item whose fields equal those of the key. */
function keyMatches(key: string, item: unknown): boolean {
  if (!key.startsWith("k:") || !isPlainObject(item)) return false;
  try {
    const want = JSON.parse(key.slice(2)) as Record<string, unknown>;
    return Object.entries(want).every(([k, v]) => deepEqual(item[k], v) || (typeof v === "number" && String(item[k]) === String(v)));
  } catch {
    return false;
  }
}

/**
 * Lists of scalars (args, command, routes) are taken whole. Lists of named items are matched by name
 * with the render's items, and by merge key with the owned items; an item neither names is someone
 * else's (an admission plugin's, another manager's) and left out. Lists of unnamed items are matched
 * by position, and every live item is kept, so a longer live list shows.
 */
function projectList(live: unknown[], shape: unknown, fields: FieldsV1 | undefined): unknown[] {
  if (live.every((v) => !isPlainObject(v) && !Array.isArray(v))) return live;
  const shapeList = Array.isArray(shape) ? shape : [];
  const named = shapeList.length > 0 && shapeList.every((s) => itemName(s) !== undefined);
  const fieldKeys = Object.keys(fields ?? {}).filter((k) => k.startsWith("k:") || k.startsWith("i:"));
  if (!named && fieldKeys.length === 0) return live.map((v, i) => project(v, shapeList[i], undefined));
  const out: unknown[] = [];
  live.forEach((item, i) => {
    const byName = named ? shapeList.find((s) => itemName(s) !== undefined && itemName(s) === itemName(item)) : shapeList[i];
    const owned = fieldKeys.find((k) => keyMatches(k, item) || k === `i:${i}`);
    if (byName === undefined && owned === undefined && named) return;
    if (byName === undefined && owned === undefined && fieldKeys.length > 0 && !Array.isArray(shape)) return;
    out.push(project(item, byName, owned === undefined ? undefined : fields![owned]));
  });
  return out;
}

/**
 * natskube applied it: its ownership label, or fields of its manager. Not the managed-by label: the
 * pods and claims of a StatefulSet carry it too, from its templates.
 */
export function isNatskubes(o: KubeObject): boolean {
  return o.metadata.labels?.[PART_OF] !== undefined || ownedFields(o) !== undefined;
}

import { isRaw } from "../conf/value.js";

/** A path segment: a mapping key, a list index, or a list item named by its `name` (`containers[nats]`). */
export type Seg = string | number | { item: string };

export interface FieldDiff {
  segs: Seg[];
  op: "add" | "remove" | "replace";
  before?: unknown;
  after?: unknown;
}

const BARE = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `spec.template.spec.containers[nats].image`, `metadata.labels["app.kubernetes.io/version"]`, `data["nats.conf"].port`. */
export function pathString(segs: readonly Seg[]): string {
  let out = "";
  for (const s of segs) {
    if (typeof s === "number") out += `[${s}]`;
    else if (typeof s === "object") out += `[${s.item}]`;
    else if (BARE.test(s)) out += out === "" ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isRaw(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** The key of a list item: its `name`, or `metadata.name` (volumeClaimTemplates). */
function itemName(v: unknown): string | undefined {
  if (!isPlainObject(v)) return undefined;
  if (typeof v.name === "string") return v.name;
  const meta = v.metadata;
  return isPlainObject(meta) && typeof meta.name === "string" ? meta.name : undefined;
}

/** Lists whose items all have distinct names are compared by name, so inserting an item is one addition, not a shift. */
function namedItems(list: readonly unknown[]): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  for (const v of list) {
    const n = itemName(v);
    if (n === undefined || out.has(n)) return undefined;
    out.set(n, v);
  }
  return out;
}

const isScalarList = (l: readonly unknown[]) => l.every((v) => !isPlainObject(v) && !Array.isArray(v));

/** Field-level differences, deepest changed node first reached; a new or removed subtree is one entry. */
export function diffValues(before: unknown, after: unknown, segs: Seg[] = []): FieldDiff[] {
  const out: FieldDiff[] = [];
  walk(before, after, segs, out);
  return out;
}

function walk(a: unknown, b: unknown, segs: Seg[], out: FieldDiff[]): void {
  if (deepEqual(a, b)) return;
  if (a === undefined) return void out.push({ segs, op: "add", after: b });
  if (b === undefined) return void out.push({ segs, op: "remove", before: a });
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) walk(a[k], b[k], [...segs, k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    // Lists of scalars (routes, args, subjects) read best as one before/after pair.
    if (isScalarList(a) && isScalarList(b)) return void out.push({ segs, op: "replace", before: a, after: b });
    const na = namedItems(a);
    const nb = namedItems(b);
    if (na && nb) {
      const names = [...nb.keys(), ...[...na.keys()].filter((n) => !nb.has(n))];
      for (const n of names) walk(na.get(n), nb.get(n), [...segs, { item: n }], out);
      return;
    }
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i], b[i], [...segs, i], out);
    return;
  }
  out.push({ segs, op: "replace", before: a, after: b });
}

/** True when `segs` starts with `prefix`; `*` in the prefix matches any one segment. */
export function under(segs: readonly Seg[], ...prefix: string[]): boolean {
  if (segs.length < prefix.length) return false;
  return prefix.every((p, i) => {
    const s = segs[i];
    if (p === "*") return true;
    return typeof s === "string" ? s === p : typeof s === "object" ? s.item === p : String(s) === p;
  });
}

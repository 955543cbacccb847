import { isDeepStrictEqual } from "node:util";

/**
 * `isDeepStrictEqual(a, b)` for what a manifest loads as: mappings, sequences and scalars, with no symbol
 * keys and no named properties on arrays (loading, camelize and structuredClone make none). Node's general
 * walk was 2-3% of rendering a fleet (it asks every object for its symbols, prototype and kind); this one
 * walks plain objects and arrays itself and hands anything else (another prototype, a sparse array) to
 * Node's. test/unit/plain-data.test.ts compares both on generated values.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.getPrototypeOf(b)) return false;
  if (proto === Array.prototype) return sameArray(a as unknown[], b as unknown[]);
  if (proto !== Object.prototype && proto !== null) return isDeepStrictEqual(a, b);
  return sameMapping(a as Record<string, unknown>, b as Record<string, unknown>);
}

function sameArray(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!(i in a) || !(i in b)) return isDeepStrictEqual(a, b);
    if (!sameData(a[i], b[i])) return false;
  }
  return true;
}

function sameMapping(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (!Object.hasOwn(b, k) || !sameData(a[k], b[k])) return false;
  return true;
}

/**
 * `structuredClone(value)` for what a manifest loads as (the same preconditions as sameData): the same
 * mappings (Object.prototype, own keys in order, `__proto__` an own key), arrays and scalars, and the same
 * sharing (an object met twice is copied once). structuredClone serializes the whole value and reads it back:
 * its two calls per document were most of parseSpec's own time in a fleet. Anything else is structuredClone's.
 */
export function cloneData<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return typeof value === "function" || typeof value === "symbol" ? structuredClone(value) : value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const items = value as unknown[];
    const out: unknown[] = [];
    seen.set(value, out);
    for (let i = 0; i < items.length; i++) {
      if (!(i in items)) {
        // A sparse array (loading makes none): its holes are structuredClone's.
        const whole = structuredClone(items);
        seen.set(value, whole);
        return whole;
      }
      out.push(copy(items[i], seen));
    }
    return out;
  }
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const map = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const k of Object.keys(map)) {
    // An assignment to `__proto__` would set the prototype: that key is defined as an own property.
    if (k === "__proto__") Object.defineProperty(out, k, { value: copy(map[k], seen), enumerable: true, writable: true, configurable: true });
    else out[k] = copy(map[k], seen);
  }
  return out;
}

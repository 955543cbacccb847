import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { cloneData, sameData } from "../../src/spec/plain-data.js";

// sameData and cloneData stand in for isDeepStrictEqual and structuredClone on loaded data: they must
// answer alike on every value, equal or not.
describe("sameData agrees with isDeepStrictEqual, cloneData with structuredClone", () => {
  const key = fc.constantFrom("a", "b", "c", "__proto__", "constructor", "0", "1", "spec", "");
  const leaf = fc.oneof(
    fc.constantFrom(0, -0, 1, NaN, Infinity, "", "0", "a", "A", true, false, null, undefined),
    fc.integer({ min: -3, max: 3 }),
    fc.double(),
    fc.string({ maxLength: 3 }),
  );
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object"), tie("bare")),
    array: fc.array(tie("tree"), { maxLength: 4 }),
    object: fc.dictionary(key, tie("tree"), { maxKeys: 4 }),
    // A mapping without a prototype, as some loaders make.
    bare: fc.dictionary(key, tie("tree"), { maxKeys: 3 }).map((o) => Object.assign(Object.create(null) as object, o)),
  }));
  const odd = fc.constantFrom<unknown>(new Date(0), new Date(1), [1, , 3], [1, undefined, 3], new Map([[1, 2]]), /a/, new Uint8Array([1]), Object(1));

  /** A copy with one leaf changed, one key dropped or one value swapped for another tree: pairs that are nearly equal. */
  const mutated = (value: unknown, other: unknown, pick: number): unknown => {
    if (value === null || typeof value !== "object") return other;
    const copy = structuredClone(value) as Record<string, unknown>;
    const keys = Object.keys(copy);
    if (keys.length === 0) return other;
    const k = keys[pick % keys.length]!;
    if (pick % 3 === 0 && !Array.isArray(copy)) delete copy[k];
    else copy[k] = mutated(copy[k], other, Math.floor(pick / 3));
    return copy;
  };

  it("on random pairs", () => {
    fc.assert(fc.property(tree, tree, (a, b) => sameData(a, b) === isDeepStrictEqual(a, b)), { numRuns: 3000 });
  });
  it("on a value and its copy, and a copy with one change", () => {
    fc.assert(
      fc.property(tree, tree, fc.nat(), (a, other, pick) => {
        const copy = structuredClone(a);
        const changed = mutated(a, other, pick);
        return sameData(a, copy) === isDeepStrictEqual(a, copy) && sameData(a, changed) === isDeepStrictEqual(a, changed);
      }),
      { numRuns: 3000 },
    );
  });
  it("on values that are not plain data (handed to isDeepStrictEqual)", () => {
    fc.assert(fc.property(fc.oneof(odd, tree), fc.oneof(odd, tree), (a, b) => sameData([a], [b]) === isDeepStrictEqual([a], [b])), { numRuns: 1000 });
    for (const [a, b] of [[[1, , 3], [1, undefined, 3]], [{ a: [, 1] }, { a: [undefined, 1] }], [new Date(0), new Date(0)], [Object.create(null), {}]] as const)
      assert.equal(sameData(a, b), isDeepStrictEqual(a, b), JSON.stringify(a));
  });

  /** Equal by isDeepStrictEqual (prototypes included), with the keys of every mapping in the same order. */
  const sameClone = (a: unknown, b: unknown): boolean => {
    if (!isDeepStrictEqual(a, b)) return false;
    if (a === null || typeof a !== "object") return true;
    const ka = Reflect.ownKeys(a as object);
    const kb = Reflect.ownKeys(b as object);
    return isDeepStrictEqual(ka, kb) && ka.every((k) => sameClone((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k]));
  };
  it("cloneData: the same value, prototypes and key order as structuredClone, sharing nothing with its input", () => {
    fc.assert(
      fc.property(fc.oneof(tree, odd), (a) => {
        const mine = cloneData(a);
        const theirs = structuredClone(a);
        if (!sameClone(mine, theirs)) return false;
        return a === null || typeof a !== "object" || mine !== a;
      }),
      { numRuns: 3000 },
    );
  });
  it("cloneData: an object met twice is copied once, and a cycle is kept, as structuredClone does", () => {
    const shared = { x: [1, 2] };
    const value: Record<string, unknown> = { a: shared, b: [shared, shared.x] };
    value["self"] = value;
    const mine = cloneData(value) as typeof value & { b: unknown[] };
    const theirs = structuredClone(value) as typeof value & { b: unknown[] };
    assert.equal(mine["self"], mine);
    assert.equal(mine.b[0], mine["a"]);
    assert.equal(mine.b[1], (mine["a"] as typeof shared).x);
    assert.equal(theirs.b[0], theirs["a"]);
    assert.notEqual(mine["a"], shared);
    const proto = JSON.parse('{"__proto__": {"p": 1}, "k": 2}') as object;
    assert.ok(sameClone(cloneData(proto), structuredClone(proto)));
    assert.ok(Object.hasOwn(cloneData(proto), "__proto__"));
    assert.throws(() => cloneData({ f: () => 1 }), { name: "DataCloneError" });
  });
});

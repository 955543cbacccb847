import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { sha256Hex } from "../../src/sha256.js";

// The dashboards' uids are sha256Hex's first 12 hex digits (goldens): it must be node:crypto's SHA-256.
describe("sha256Hex", () => {
  const expected = (s: string) => createHash("sha256").update(s).digest("hex");

  it("is node:crypto's SHA-256 at every length around the block boundaries (55, 56, 63, 64 bytes...)", () => {
    for (let n = 0; n <= 200; n++) {
      const s = "natskube/".repeat(30).slice(0, n);
      assert.equal(sha256Hex(s), expected(s), `length ${n}`);
    }
  });

  it("hashes the UTF-8 bytes of any string", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => sha256Hex(s) === expected(s)), { numRuns: 2000 });
  });

  it('gives the FIPS 180-2 example digest of "abc"', () => {
    assert.equal(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

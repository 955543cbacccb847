import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fuzzInput } from "../support/fuzz-inputs.js";
import { judgeCli, judgeLibrary } from "../support/fuzz-judge.js";

// The unit tier's share of the fuzz campaign (scripts/fuzz.sh runs longer ones): a fixed seed, so a failure
// reproduces with the same counterexample; fast-check shrinks it to a small one.
const SEED = 20240611;
const CASES = 2000;

describe("fuzz: no input makes natskube crash, hang, flood or print a broken diagnostic", () => {
  it(`${CASES} mutated manifests through the library (every 5th also rendered and linted)`, () => {
    let i = 0;
    fc.assert(
      fc.property(fuzzInput, ({ text }) => {
        const verdict = judgeLibrary(text, i++ % 5 === 0);
        assert.deepEqual(verdict.defects, [], `input (${text.length} characters): ${JSON.stringify(text.slice(0, 300))}`);
      }),
      { seed: SEED, numRuns: CASES },
    );
  });
  it("a sample of them through the real bin/natskube", () => {
    const sample = fc.sample(fuzzInput, { seed: SEED + 1, numRuns: 6 });
    sample.forEach(({ text }, i) => {
      const verdict = judgeCli(text, (["validate", "lint", "render"] as const)[i % 3]);
      assert.deepEqual(verdict.defects, [], `input: ${JSON.stringify(text.slice(0, 300))}`);
    });
  });
});

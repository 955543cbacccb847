import assert from "node:assert/strict";
import { it } from "node:test";
import fc from "fast-check";
import { depthBound, lexedTooDeepAt, tooDeepAt } from "../../src/load/depth.js";
import { EXAMPLES, exampleText } from "../support/examples.js";

// depthBound lets ordinary manifests skip the lexer; it must never be below the depth the lexer counts.
const piece = fc.constantFrom("- ", "-", "? ", ": ", "key", "k: ", "[", "]", "{", "}", ", ", "\n", "\r\n", "\r", "  ", "\t", "# - c", "'a\n - b'", '"x\n  ? y"', "|\n  - z\n", "&a ", "!t ", "*a", "---\n", "...\n", "a-b", "-1");
it("depthBound is never below the lexer's depth", () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
      const text = parts.join("");
      const bound = depthBound(text);
      if (Number.isFinite(bound)) assert.equal(lexedTooDeepAt(text, bound), undefined, JSON.stringify(text));
    }),
    { seed: 7, numRuns: 3000 },
  );
});
it("the examples skip the lexer, and deep nesting is still found", () => {
  for (const name of EXAMPLES) assert.ok(depthBound(exampleText(name)) <= 100, name);
  const deep = "a:\n" + Array.from({ length: 120 }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n") + " 1\n";
  assert.notEqual(tooDeepAt(deep), undefined);
  assert.equal(tooDeepAt("[".repeat(101)), lexedTooDeepAt("[".repeat(101), 100));
});

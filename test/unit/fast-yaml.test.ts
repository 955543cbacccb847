import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stringify } from "yaml";
import { fastYaml } from "../../src/emit/fast-yaml.js";
import { toYaml } from "../../src/emit/yaml.js";
import { parseText, renderParsed } from "../../src/pipeline.js";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { fleetManifest } from "../support/fleet.js";

// The reference: what src/emit/yaml.ts wrote before it had a writer of its own.
const reference = (value: unknown) => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });

function objectsOf(text: string, file: string): unknown[] {
  const result = parseText(text, file);
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === "error"), [], file);
  return result.parsed.flatMap((p) => renderParsed(p)?.objects ?? []);
}

/** Every object must be written by the fast writer (not handed to yaml) and equal yaml's bytes. */
function assertSame(objects: readonly unknown[], where: string): void {
  for (const [i, o] of objects.entries()) {
    const fast = fastYaml(o);
    assert.notEqual(fast, undefined, `${where} object ${i} was declined: the fast path would not be used`);
    assert.equal(fast, reference(o), `${where} object ${i}`);
  }
}

describe("the fast YAML writer gives yaml's bytes", () => {
  for (const name of EXAMPLES) it(`every object of examples/${name}.yaml`, () => assertSame(objectsOf(exampleText(name), name), name));

  it("every object of 60 fleet manifests", () => {
    for (let i = 0; i < 60; i++) assertSame(objectsOf(fleetManifest(i), `fleet-${i}`), `fleet-${i}`);
  });

  // Strings built from the characters that decide yaml's quoting: indicators, spaces around newlines
  // and colons, quotes, digits and words of the core schema, document markers. (Control characters are
  // always declined: the last test.)
  const piece = fc.constantFrom(
    "a", "Z", "0", "1", "7", "0x1F", "0o7", ".5", "1e3", "-", "+", "?", ":", "#", ",", "[", "]", "{", "}", "&", "*", "!", "|",
    ">", "'", '"', "%", "@", "`", " ", "\t", "\n", "\n\n", "true", "False", "null", "~", "NULL", ".inf", ".NaN", "---", "...",
    "é", "\u2028", "\\", "/", "=", "${X}", "yes", "on",
  );
  const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(""));
  const leaf = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
    array: fc.array(tie("tree"), { maxLength: 4 }),
    object: fc.dictionary(text, tie("tree"), { maxKeys: 5 }),
  }));
  const root = fc.dictionary(text, tree, { maxKeys: 6 });

  it("generated values: written by the fast writer only where yaml writes the same bytes", () => {
    let written = 0;
    let runs = 0;
    fc.assert(
      fc.property(root, (value) => {
        runs++;
        const fast = fastYaml(value);
        if (fast === undefined) return;
        written++;
        assert.equal(fast, reference(value));
      }),
      { seed: 15, numRuns: 3000 },
    );
    // The property must not hold by declining everything.
    assert.ok(written > runs / 4, `only ${written} of ${runs} generated values were written by the fast writer`);
  });

  it("toYaml falls back to yaml for what the fast writer declines", () => {
    const value = { a: [["nested"]], b: "bell\u0007", c: "keep\n\n" };
    assert.equal(fastYaml(value), undefined);
    assert.equal(toYaml(value), reference(value));
  });
});

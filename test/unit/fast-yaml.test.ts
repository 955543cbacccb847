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

  // Dashboards are long multi-line strings; the last few long blocks are kept, and lines are indented with
  // replaceAll where none is empty. The same bytes as yaml, written fresh and kept (the same string at
  // several depths in a row), with and without empty lines, and declined alike.
  it("long multi-line strings, written fresh and kept, at several depths", () => {
    const line = (i: number) => `{"panel": ${i}, "expr": "rate(x{a=\\"b\\"}[5m])", 'q': [1, 2]}`;
    const long = (n: number, tail: string) => Array.from({ length: n }, (_, i) => (i % 7 === 3 ? ` ${line(i)}` : line(i))).join("\n") + tail;
    const texts = [long(100, "\n"), long(100, ""), long(120, "\n"), `\n\n${long(90, "\n")}`, `  ${long(80, "\n")}`, `${long(100, "").replace(/\n/g, "\n\n")}\n`];
    for (let round = 0; round < 2; round++) {
      for (const [i, text] of [...texts, ...Array.from({ length: 20 }, (_, k) => long(80 + k, "\n"))].entries()) {
        assert.ok(text.length >= 4096);
        for (const value of [{ data: { "a.json": text } }, { a: { b: { c: [text, { d: text }] } } }, { t: text }]) {
          const fast = fastYaml(value);
          assert.notEqual(fast, undefined, `text ${i} declined`);
          assert.equal(fast, reference(value), `text ${i}, round ${round}`);
        }
      }
    }
    for (const declined of [`${long(100, "")}\n  `, `${long(100, "")}\u0007`, `${long(100, "\n")}---\nx`]) {
      assert.equal(fastYaml({ t: declined }), undefined);
      assert.equal(fastYaml({ t: declined }), undefined, "declined again");
    }
  });

  it("lone surrogates are declined (yaml escapes them), paired ones written as yaml writes them, in lines and in blocks", () => {
    for (const lone of ["a\uD800b", "x\uDC00", "multi\nline \uDBFF end\n"]) {
      assert.equal(fastYaml({ t: lone }), undefined, JSON.stringify(lone));
      assert.equal(toYaml({ t: lone }), reference({ t: lone }));
    }
    for (const paired of ["emoji \u{1F600}", "block\nwith \u{1F600}\n", "\u{10FFFF}z"]) assert.equal(fastYaml({ t: paired }), reference({ t: paired }), JSON.stringify(paired));
  });

  it("toYaml falls back to yaml for what the fast writer declines", () => {
    const value = { a: [["nested"]], b: "bell\u0007", c: "keep\n\n" };
    assert.equal(fastYaml(value), undefined);
    assert.equal(toYaml(value), reference(value));
  });
});

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stringify } from "yaml";
import type { PathSegment } from "../../src/diagnostics/diagnostic.js";
import { fastRead } from "../../src/load/fast-read.js";
import { loadDocuments, loadWithYaml } from "../../src/load/load.js";
import { ROOT } from "../support/cli.js";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { fleetManifest } from "../support/fleet.js";

/** Every path of a value, and under each mapping and list one that is not there. */
function paths(value: unknown, path: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(path);
  if (Array.isArray(value)) {
    value.forEach((v, i) => paths(v, [...path, i], out));
    out.push([...path, value.length]);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) paths(v, [...path, k], out);
    out.push([...path, "notWritten"]);
  }
  return out;
}

/**
 * The fast reader either declines or gives what yaml gives: one document, no diagnostic, the same value
 * (key order, -0 and NaN included) and the same position for every path. True when it read the text.
 */
function agrees(text: string, where: string): boolean {
  const fast = fastRead(text, "m.yaml");
  if (fast === undefined) return false;
  const slow = loadWithYaml(text, "m.yaml");
  assert.deepEqual(slow.diagnostics, [], `${where}: read, but yaml reports ${slow.diagnostics.map((d) => d.message).join("; ")}\n${text}`);
  assert.equal(slow.documents.length, 1, where);
  const expected = slow.documents[0]!;
  assert.deepStrictEqual(fast.value, expected.value, where);
  assert.equal(JSON.stringify(fast.value), JSON.stringify(expected.value), `${where}: key order`);
  const read = loadDocuments(text, "m.yaml");
  assert.deepEqual(read.diagnostics, []);
  for (const path of paths(expected.value)) assert.deepEqual(read.documents[0]!.positionOf(path), expected.positionOf(path), `${where}: position of ${JSON.stringify(path)}`);
  return true;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) return yamlFiles(file);
    return /\.ya?ml$/.test(name) ? [file] : [];
  });
}

describe("the fast YAML reader gives yaml's value and positions, or declines", () => {
  it("reads every example", () => {
    for (const name of EXAMPLES) assert.ok(agrees(exampleText(name), name), `examples/${name}.yaml was declined`);
  });

  it("every fixture and GitOps file: read alike or declined", () => {
    let read = 0;
    const files = [...yamlFiles(join(ROOT, "test", "fixtures")), ...yamlFiles(join(ROOT, "gitops"))];
    for (const file of files) if (agrees(readFileSync(file, "utf8"), file)) read++;
    assert.ok(read > files.length / 3, `only ${read} of ${files.length} files read`);
  });

  it("reads 200 fleet manifests", () => {
    for (let i = 0; i < 200; i++) assert.ok(agrees(fleetManifest(i), `fleet-${i}`), `fleet-${i} was declined`);
  });

  // Texts one edit away from the examples: a character deleted, inserted or replaced by one that matters to
  // YAML, a line indented or joined. Most are errors or other values; none may be read differently.
  it("mutated examples: read alike or declined", () => {
    const pieces = [" ", "  ", "\n", ":", ": ", "-", "- ", "#", " #", "'", '"', "''", "{", "}", "[", "]", ",", ", ", "a", "1", "0x1", ".", "~", "&a", "*a", "!", "|", ">", "?", "%", "@", "\t", "\\", "null", "true", "1e3", ".5", "---", "<<: "];
    const bases = EXAMPLES.map(exampleText);
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.nat(bases.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(3), fc.constantFrom(...pieces), (b, where, kind, piece) => {
        const base = bases[b]!;
        const at = Math.floor(where * base.length);
        const text = [base.slice(0, at) + base.slice(at + 1), base.slice(0, at) + piece + base.slice(at), base.slice(0, at) + piece + base.slice(at + 1), base.slice(0, at) + base.slice(at).replace(/\n/, "\n ")][kind]!;
        runs++;
        if (agrees(text, `mutation ${kind} at ${at} with ${JSON.stringify(piece)}`)) read++;
      }),
      { seed: 15, numRuns: 1500 },
    );
    assert.ok(read > runs / 5, `only ${read} of ${runs} mutated texts read`);
  });

  // Values yaml writes (block style, and flow style for short collections) from strings, numbers and words
  // that decide how a scalar resolves.
  it("generated values as yaml writes them: read alike or declined", () => {
    const word = fc.constantFrom("a", "Z", "name", "x.y/z", "_k", "0", "-1", "+2", "007", "1.5", "1e3", ".5", "0x1F", "0o7", "-0", ".inf", "-.Inf", ".nan", "true", "False", "NULL", "~", "yes", "a b", "a: b", "a #b", "a#b", "é", "'q'", '"q"', "it's", "{x}", "[y]", "-", "- a", "?", "1:2", "", " lead", "trail ");
    const text = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(""));
    // Keys are mostly the words manifests use; the reader declines other plain keys.
    const key = fc.oneof({ arbitrary: fc.constantFrom("a", "name", "x.y/z", "_k", "spec", "b-c", "app.kubernetes.io/name"), weight: 4 }, { arbitrary: text, weight: 1 });
    const leaf = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
      array: fc.array(tie("tree"), { maxLength: 4 }),
      object: fc.dictionary(key, tie("tree"), { maxKeys: 5 }),
    }));
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 6 }), fc.boolean(), (value, flow) => {
        runs++;
        // A flow collection as the value of a key: the reader declines one at the root.
        const written = flow ? `root: ${stringify(value, { collectionStyle: "flow", lineWidth: 0 })}` : stringify(value, { lineWidth: 0 });
        if (agrees(written, JSON.stringify(value))) read++;
      }),
      { seed: 15, numRuns: 2000 },
    );
    assert.ok(read > runs / 5, `only ${read} of ${runs} generated texts read`);
  });

  it("reads quoted scalars and keys, flow collections and comments as yaml does", () => {
    for (const text of [
      "a: 'it''s'\nb: ''\nc: \"\"\n'q''k': 1\n\"d k\": x # c\n",
      "k: {a: 'x''y', b: \"q\", c: [1, -2, 0o17, 0x1f, 1e3, .5, -.inf, .NaN, ~, Null, TRUE, 'n']} # c\n",
      "# head\n\nlist:\n- a\n-   b: 1\n    c: 2\n- - x\n  - y\n-\n  z: 1\nafter:\n  # inside\n  deep:\n    v: a#b\n",
    ]) assert.ok(agrees(text, text), JSON.stringify(text));
  });

  it("declines what it does not read: anchors, tags, block scalars, documents, duplicate keys, tabs", () => {
    for (const text of ["a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  x\n", "---\na: 1\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n", "a:\n\tb: 1\n", "a: 1\r\n", "<<: {a: 1}\n", "a: \"x\\ty\"\n", "a: b\n  c\n", "-\n- x\n", ""]) {
      assert.equal(fastRead(text, "m.yaml"), undefined, JSON.stringify(text));
    }
  });
});

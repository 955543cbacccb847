import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { ROOT } from "./cli.js";

/** Valid manifests to mutate: the examples (the Planton one included). */
export const SEEDS: readonly string[] = readdirSync(join(ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => readFileSync(join(ROOT, "examples", f), "utf8"));

const deepBlock = (n: number) => "\n" + Array.from({ length: n }, (_, i) => `${" ".repeat(2 * (i + 1))}k${i}:`).join("\n") + ` v`;
const bomb = (width: number, depth: number) =>
  "\n" + Array.from({ length: depth }, (_, i) => `  a${i}: &a${i} [${i === 0 ? Array(width).fill('"lol"').join(", ") : Array(width).fill(`*a${i - 1}`).join(", ")}]`).join("\n");

/** Values that reach YAML features and number edge cases rather than schema checks. */
const ODD_VALUES: readonly string[] = [
  "*nope", "*three", "!!merge x", "!!merge", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1, b: 2]", "!custom x",
  "!!timestamp 2001-12-14", "!!str", "!!int x", "!!float 1", "!!null", "~", "null", "[]", "{}", "''", '""',
  ".inf", "-.inf", ".nan", "1e999", "-1e999", "Infinity", "NaN", "1e400", "0x10", "0o17", "1_000", "9".repeat(400),
  "18446744073709551616", "-9223372036854775809", "0.1e-400", "yes", "on",
  '"a\\nb"', '"orders.>\\n"', '"\\0"', '"\\u202e"', '"\\u2028x"', '"x\\u200bx"', "ÿé中文😀", "\u202eabc",
  "toString", "__proto__", "constructor", "[[[", "{{{", "[a, [b, [c]]]", "{a: {b: {c: d}}}", "&x [*x]", "&y {a: *y}",
  "|\n  text", ">-\n  folded", "'unterminated", '"unterminated', "a: b: c", "- x", "? complex", "@at", "`tick",
];

const PROTO_KEYS = ["toString", "constructor", "valueOf", "hasOwnProperty", "isPrototypeOf", "__proto__", "replica_count", "nats_box", "create_namespace"];

type Mutation = (lines: string[], r: (n: number) => number) => string[];

const at = (lines: string[], i: number) => lines[Math.max(0, Math.min(lines.length - 1, i))] ?? "";
const indentOf = (line: string) => /^\s*/.exec(line)![0].length;
const valueLine = (lines: string[], r: (n: number) => number) => {
  const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[-\w"]+:\s*\S/.test(l));
  return candidates.length ? candidates[r(candidates.length)]![1] : r(lines.length);
};

const MUTATIONS: readonly Mutation[] = [
  // a value replaced by an odd one
  (lines, r) => {
    const i = valueLine(lines, r);
    const copy = [...lines];
    copy[i] = at(lines, i).replace(/:\s.*$/, `: ${ODD_VALUES[r(ODD_VALUES.length)]}`);
    return copy;
  },
  // a key named like a prototype member or in snake_case, beside another key
  (lines, r) => {
    const i = valueLine(lines, r);
    const copy = [...lines];
    copy.splice(i + 1, 0, `${" ".repeat(indentOf(at(lines, i)))}${PROTO_KEYS[r(PROTO_KEYS.length)]}: ${ODD_VALUES[r(ODD_VALUES.length)]}`);
    return copy;
  },
  (lines, r) => lines.filter((_, i) => i !== r(lines.length)),
  (lines, r) => {
    const i = r(lines.length);
    return [...lines.slice(0, i + 1), at(lines, i), ...lines.slice(i + 1)];
  },
  (lines, r) => {
    const [i, j] = [r(lines.length), r(lines.length)];
    const copy = [...lines];
    [copy[i], copy[j]] = [at(lines, j), at(lines, i)];
    return copy;
  },
  // a recursive alias: the anchor on a mapping key, the alias inside it
  (lines, r) => {
    const i = lines.findIndex((l) => /^spec:\s*$/.test(l));
    if (i < 0) return lines;
    const copy = [...lines];
    copy[i] = "spec: &s";
    copy.splice(i + 1 + r(3), 0, "  loop: *s");
    return copy;
  },
  (lines, r) => [...lines, `  deep:${deepBlock(10 + r(2500))}`],
  (lines, r) => [...lines, `  deep: ${"[".repeat(1 + r(200_000))}`],
  (lines, r) => [...lines, `  deep: ${"{a: ".repeat(1 + r(5000))}1${"}".repeat(r(5000))}`],
  (lines, r) => [...lines.slice(0, 4), `  labels:${bomb(2 + r(9), 2 + r(9))}`, ...lines.slice(4)],
  (lines, r) => [...lines, "---", lines.join("\n").replace(/replicas: \d+/, "replicas: *r"), ...(r(2) ? ["---", "x: &r 3"] : [])],
  (lines, r) => {
    const i = valueLine(lines, r);
    const copy = [...lines];
    copy[i] = at(lines, i).replace(/:\s.*$/, `: ${"x".repeat(10_000 + r(500_000))}`);
    return copy;
  },
  // a random code point inserted anywhere (controls, surrogates, bidi, BOM)
  (lines, r) => {
    const i = r(lines.length);
    const line = at(lines, i);
    const cp = [0, 7, 9, 10, 13, 27, 0x85, 0xa0, 0x200b, 0x202e, 0x2028, 0xfeff, 0xd800, 0x1f600, r(0x10ffff)][r(15)]!;
    const ch = cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
    const copy = [...lines];
    const k = r(line.length + 1);
    copy[i] = line.slice(0, k) + ch + line.slice(k);
    return copy;
  },
  (lines, r) => {
    const i = r(lines.length);
    const copy = [...lines];
    copy[i] = " ".repeat(r(3)) + at(lines, i).trimStart();
    return copy;
  },
];

/** A manifest: a seed with 1-3 mutations, described for reproduction. */
export const mutatedManifest: fc.Arbitrary<{ text: string; ops: number[] }> = fc
  .record({
    seed: fc.nat({ max: SEEDS.length - 1 }),
    ops: fc.array(fc.nat({ max: MUTATIONS.length - 1 }), { minLength: 1, maxLength: 3 }),
    rand: fc.infiniteStream(fc.nat()),
  })
  .map(({ seed, ops, rand }) => {
    const it = rand[Symbol.iterator]();
    const r = (n: number) => (n <= 0 ? 0 : (it.next().value as number) % n);
    let lines = SEEDS[seed]!.split("\n");
    for (const op of ops) lines = MUTATIONS[op]!(lines, r);
    return { text: lines.join("\n"), ops };
  });

/** Random YAML-ish text built from the tokens that reach the parser's corners. */
export const yamlShaped: fc.Arbitrary<{ text: string; ops: number[] }> = fc
  .array(fc.oneof(fc.constantFrom(...ODD_VALUES, "apiVersion: kubernetes.project-planton.org/v1", "kind: KubernetesNats", "spec:", "  namespace: x", "---", "&a", "*a", "<<: *a", ": ", "- ", "\n", "  ", "#"), fc.string({ unit: "grapheme", maxLength: 8 })), { maxLength: 40 })
  .map((parts) => ({ text: parts.join(""), ops: [-1] }));

export const fuzzInput = fc.oneof({ weight: 4, arbitrary: mutatedManifest }, { weight: 1, arbitrary: yamlShaped });

// A YAML writer for the plain JSON-like objects natskube renders, giving exactly the bytes of
// yaml 2.x's `stringify(value, { lineWidth: 0, aliasDuplicateObjects: false })` (the rules below are
// yaml's own: dist/stringify/stringifyString.js, stringifyPair.js, stringifyCollection.js) at a
// tenth of its cost: yaml builds a Document of nodes first, which is the slowest stage of a render.
// Anything outside the subset proven equal (test/unit/fast-yaml.test.ts compares both on every
// example, a fleet and generated values) makes it decline, and the caller uses yaml itself.
import { memo } from "../render/memo.js";

/** Thrown inside, caught at the top: the value is outside the subset. */
class Decline extends Error {}

const STEP = "  ";

// yaml's plainString: what a plain scalar may not start with, contain or end with.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// Characters yaml writes as escapes in double quotes (the one form left out here): these, and lone
// surrogates. Two tests instead of one `u`-flag class: unicode mode made the scan of a 20-30 KB dashboard
// twice as slow, the largest single cost of emitting a fleet.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
// isWellFormed (Node 20+, V8 11.1) is in TypeScript's ES2024 library, newer than the one this project targets.
const wellFormed = (value: string): boolean => (value as string & { isWellFormed(): boolean }).isWellFormed();
const hasControl = (value: string): boolean => CONTROL.test(value) || !wellFormed(value);
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
// The YAML 1.2 core schema's scalars other than strings: a string that reads as one is quoted.
const CORE_TAGS = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];

/** yaml's quotedString for one line: single quotes only when that avoids escaping a double quote. */
function quoted(value: string): string {
  if (value.includes('"') && !value.includes("'")) return `'${value}'`;
  return JSON.stringify(value);
}

// Most keys and values (names, kinds, labels) are words that need none of the checks below: a letter or
// `_` first, then letters, digits and `_./-`. No indicator, space, colon, newline or control character
// can occur, and of the core schema's scalars only these words start with a letter.
const WORD = /^[A-Za-z_][\w./-]*$/;
const CORE_WORDS = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"]);

/** A string that yaml writes plain as it is (a subset of what `inline` leaves plain). */
function isWord(value: string): boolean {
  return WORD.test(value) && (value.length > 5 || !CORE_WORDS.has(value));
}

/** A single-line string as a key or a value. */
function inline(value: string): string {
  if (isWord(value)) return value;
  if (NOT_PLAIN.test(value)) return quoted(value);
  for (const tag of CORE_TAGS) if (tag.test(value)) return quoted(value);
  return value;
}

/** yaml's blockString in literal mode (lineWidth 0 never folds); `indent` is the value's indentation. */
function literal(value: string, indent: string, emptyLines = true): string {
  if (endsWithIndentedEmptyLine(value)) throw new Decline();
  let endStart = value.length;
  while (endStart > 0 && " \t\n".includes(value[endStart - 1]!)) endStart--;
  let end = value.substring(endStart);
  const endNl = end.indexOf("\n");
  // keep chomping (`|+`) changes how yaml joins what follows: left to yaml.
  if (endNl !== -1 && (value === end || endNl !== end.length - 1)) throw new Decline();
  const chomp = endNl === -1 ? "-" : "";
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith("\n")) end = end.slice(0, -1);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < value.length; startEnd++) {
    const ch = value[startEnd];
    if (ch === " ") startWithSpace = true;
    else if (ch === "\n") startNl = startEnd;
    else break;
  }
  let start = value.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? "2" : "") + chomp;
  return `|${header}\n${indent}${start}${indentLines(value, indent, emptyLines)}${end}`;
}

/** Indents what follows each run of newlines (an empty line stays empty); replaceAll where no line is empty. */
function indentLines(text: string, indent: string, emptyLines: boolean): string {
  return emptyLines && text.includes("\n\n") ? text.replace(/\n+/g, `$&${indent}`) : text.replaceAll("\n", `\n${indent}`);
}

// A cluster's dashboards (20-30 KB each) are the same string objects on every render of it (src/render/
// monitoring/dashboards.ts keeps them), and checking and indenting one costs more than the rest of its
// object: the last few long blocks are kept, and a string compared with itself costs nothing. Few, so
// that a fleet of distinct clusters keeps no more than this alive (a memo of 16 slowed one 3x).
const LONG = 4096;
const RECENT = 4;
const recent: { value: string; indent: string; block: string }[] = [];

/** A multi-line string as a literal block (the last long ones kept). */
function multiLine(value: string, indent: string): string {
  if (value.length < LONG) return checkedLiteral(value, indent);
  const hit = recent.find((r) => r.value === value && r.indent === indent);
  if (hit) return hit.block;
  const block = checkedLiteral(value, indent);
  recent.unshift({ value, indent, block });
  recent.length = Math.min(recent.length, RECENT);
  return block;
}

// What a long text (a dashboard) seldom holds, in one scan rather than three: a control character, a
// document marker after a line break (`^` of a multiline regex also follows U+2028 and U+2029; a CR is a
// control character), an empty line. Without them, the checks below and indentLines's search are answered.
const RARE_IN_TEXT = /[\x00-\x08\x0b-\x1f\x7f-\x9f]|[\n\u2028\u2029](?:%|---|\.\.\.)|\n\n/;
const MARKER_FIRST = /^(?:%|---|\.\.\.)/;

/** A multi-line string as a literal block, declining what yaml writes otherwise. */
function checkedLiteral(value: string, indent: string): string {
  if (!RARE_IN_TEXT.test(value) && !MARKER_FIRST.test(value)) {
    if (!wellFormed(value)) throw new Decline();
    return literal(value, indent, false);
  }
  if (hasControl(value) || DOCUMENT_MARKER.test(value)) throw new Decline();
  return literal(value, indent);
}

/** `/\n[\t ]+$/.test(value)`, looking at the end only: the regex tries every newline of a dashboard. */
function endsWithIndentedEmptyLine(value: string): boolean {
  let i = value.length;
  while (i > 0 && (value[i - 1] === " " || value[i - 1] === "\t")) i--;
  return i < value.length && i > 0 && value[i - 1] === "\n";
}

function scalar(value: unknown, indent: string): string {
  switch (typeof value) {
    case "string":
      if (isWord(value)) return value;
      if (value.includes("\n")) return multiLine(value, indent);
      if (hasControl(value) || DOCUMENT_MARKER.test(value)) throw new Decline();
      return inline(value);
    case "number":
      if (!Number.isFinite(value)) return Number.isNaN(value) ? ".nan" : value < 0 ? "-.inf" : ".inf";
      return Object.is(value, -0) ? "-0" : JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
  }
  throw new Decline();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isCollection(value: unknown): boolean {
  return Array.isArray(value) || isPlainObject(value);
}

/** A non-empty collection at `indent`, its first line unindented (the caller places it). */
function block(value: unknown, indent: string): string {
  if (Array.isArray(value)) return sequence(value, indent);
  if (isPlainObject(value)) return mapping(value, indent);
  throw new Decline();
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const k in value as object) if ((value as Record<string, unknown>)[k] !== undefined) return false;
  return true;
}

// Both writers append to one string: V8 joins such strings lazily, which costs less than an array of
// lines joined at the end.
function mapping(map: Record<string, unknown>, indent: string): string {
  let out = "";
  const inner = indent + STEP;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue; // yaml leaves undefined values out
    if (out !== "") out += `\n${indent}`;
    out += `${mapKey(key)}:`;
    if (!isCollection(value)) out += ` ${scalar(value, inner)}`;
    else if (isEmpty(value)) out += Array.isArray(value) ? " []" : " {}";
    else out += `\n${inner}${block(value, inner)}`;
  }
  return out === "" ? "{}" : out;
}

// The keys of rendered objects are mostly the same few hundred words in every object of every cluster:
// each key's written form is kept, so a key is checked once per process (a declined key is not kept).
const mapKey = memo(2048, (key: string) => key, checkedKey);

function checkedKey(key: string): string {
  if (key.length > 1024) throw new Decline();
  if (isWord(key)) return key;
  if (key.includes("\n") || hasControl(key) || DOCUMENT_MARKER.test(key)) throw new Decline();
  return inline(key);
}

function sequence(items: readonly unknown[], indent: string): string {
  let out = "";
  const inner = indent + STEP;
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) throw new Decline();
    const item = items[i];
    if (item === undefined) throw new Decline(); // yaml writes null there; natskube never renders one
    if (i > 0) out += `\n${indent}`;
    if (!isCollection(item)) out += `- ${scalar(item, inner)}`;
    else if (isEmpty(item)) out += Array.isArray(item) ? "- []" : "- {}";
    else out += `- ${block(item, inner)}`;
  }
  return out === "" ? "[]" : out;
}

/** The document yaml would write for a plain object, or undefined where this writer is not proven equal. */
export function fastYaml(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  try {
    return `${mapping(value, "")}\n`;
  } catch (e) {
    if (e instanceof Decline) return undefined;
    throw e;
  }
}

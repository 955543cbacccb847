// A reader for the YAML a manifest is usually written in: block mappings and sequences, flow `{...}` and
// `[...]` on one line, plain and quoted one-line scalars, comments. It gives the value yaml's
// parseAllDocuments + toJS give (core schema) and the positions load/positions.ts records, in one pass
// over the lines, at a fraction of yaml's cost (yaml builds a token stream, a CST and a Document of
// nodes first: most of a warm render). Anything else makes it decline and load.ts reads the text with
// yaml: anchors, aliases, tags, merge keys, block or multi-line scalars, escapes, several documents,
// directives, tabs, CR, characters outside the printable Basic Multilingual Plane, duplicate keys, and
// every syntax error. test/unit/fast-read.test.ts compares both on the examples, the fixtures, a fleet,
// generated values and mutated texts.
import type { PathSegment, SourcePosition } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";

/** Thrown inside, caught at the top: the text is outside the subset. */
class Decline extends Error {}

export interface FastDocument {
  value: unknown;
  /** By formatted path, as load/positions.ts indexes them; built on the first call. */
  positions(): ReadonlyMap<string, SourcePosition>;
}

// Printable characters of the Basic Multilingual Plane and newlines: no tab, CR, BOM, control character
// or surrogate, whose handling yaml decides.
const OUTSIDE = /[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;
// A key written plain: a letter or `_`, then letters, digits and `_./-` (no scalar of the core schema
// but the words below reads like that).
const WORD_KEY = /^[A-Za-z_][\w./-]*/;
const CORE_WORDS = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"]);
// What a plain scalar may not start with (`-` only before a space), as yaml's lexer reads it.
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;

// The first characters of the core schema's nulls, booleans and numbers below (and the empty null).
const MAYBE_NOT_STRING = /^[-+.~0-9nNtTfF]|^$/;

/** yaml's core schema on a plain scalar (yaml/dist/schema/core): null, bool, int, float, else a string. */
function resolvePlain(s: string): unknown {
  if (!MAYBE_NOT_STRING.test(s)) return s; // none of the tests below can match: most names, kinds, images
  if (/^(?:~|[Nn]ull|NULL)$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(s)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(s)) return false;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

class Reader {
  private readonly lines: string[];
  /** The line being read, 0-based; lines before it are consumed. */
  private i = 0;
  /**
   * Every node() and key() call, four entries each (path, line, col, whether a key), replayed into the
   * positions map when one is first asked for: only a diagnostic asks, so a valid manifest, most of a
   * fleet, never pays for formatting its paths.
   */
  readonly marks: unknown[] = [];

  constructor(text: string) {
    this.lines = text.split("\n");
  }

  private node(path: readonly PathSegment[], line: number, col: number): void {
    this.marks.push(path, line, col, false);
  }

  private key(path: readonly PathSegment[], line: number, col: number): void {
    this.marks.push(path, line, col, true);
  }

  /** Skips empty and comment-only lines; the indentation of the next line, or -1 at the end. */
  private nextIndent(): number {
    for (; this.i < this.lines.length; this.i++) {
      const line = this.lines[this.i]!;
      const indent = indentOf(line);
      if (indent < line.length && line[indent] !== "#") return indent;
    }
    return -1;
  }

  document(): unknown {
    const indent = this.nextIndent();
    if (indent < 0) throw new Decline(); // no content: yaml decides what an empty document is
    const first = this.lines[this.i]!;
    if (/^(?:---|\.\.\.|%)/.test(first)) throw new Decline();
    const value = this.block(indent, []);
    if (this.nextIndent() >= 0) throw new Decline(); // more after the root node: a second document, or an error
    return value;
  }

  /** A block node starting at column `col` of the current line. */
  private block(col: number, path: PathSegment[]): unknown {
    const line = this.lines[this.i]!;
    if (isDash(line, col)) return this.sequence(col, path);
    if (keyAt(line, col) !== undefined) return this.mapping(col, path);
    throw new Decline(); // a scalar on a line of its own, or something else yaml reads
  }

  private mapping(col: number, path: PathSegment[]): Record<string, unknown> {
    this.node(path, this.i, col);
    const map: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (;;) {
      const line = this.lines[this.i]!;
      const k = keyAt(line, col);
      if (k === undefined || seen.has(k.key)) throw new Decline();
      seen.add(k.key);
      const childPath = [...path, k.key];
      this.key(childPath, this.i, col);
      map[k.key] = this.valueAfter(line, k.end, col, childPath, true);
      const indent = this.nextIndent();
      if (indent < col) return map;
      if (indent > col || isDash(this.lines[this.i]!, col)) throw new Decline();
    }
  }

  private sequence(col: number, path: PathSegment[]): unknown[] {
    this.node(path, this.i, col);
    const items: unknown[] = [];
    for (;;) {
      const line = this.lines[this.i]!;
      items.push(this.valueAfter(line, col + 1, col, [...path, items.length], false));
      const indent = this.nextIndent();
      if (indent < col || (indent === col && !isDash(this.lines[this.i]!, col))) return items;
      if (indent > col) throw new Decline();
    }
  }

  /**
   * The value after a key's `:` or an item's `-` at `from` on the current line, whose entry starts at
   * `col`: on the same line (a scalar, a flow collection, or for an item a compact mapping), or below it.
   */
  private valueAfter(line: string, from: number, col: number, path: PathSegment[], inMap: boolean): unknown {
    const start = skipSpaces(line, from);
    if (start === line.length || line[start] === "#") {
      if (start === from && start < line.length) throw new Decline(); // `-#` is a plain scalar to yaml
      this.i++;
      const indent = this.nextIndent();
      // Below: a more indented block, or for a key a sequence at the key's own column; else null.
      if (indent > col) return this.block(indent, path);
      if (inMap && indent === col && isDash(this.lines[this.i]!, col)) return this.block(col, path);
      if (!inMap) throw new Decline(); // an empty item: yaml places its null
      return null;
    }
    // An item's compact mapping or sequence starts on the item's line: `- name: x`, `- - x`.
    if (!inMap && (isDash(line, start) || keyAt(line, start) !== undefined)) return this.block(start, path);
    const scalar = new LineScanner(line, start, this, this.i, path);
    const value = scalar.value(false);
    scalar.end();
    // A more indented line after it would continue a plain scalar, or be an error: the caller declines it.
    this.i++;
    return value;
  }

  /** For LineScanner: positions of nodes and keys inside a flow collection. */
  mark(kind: "node" | "key", path: readonly PathSegment[], line: number, col: number): void {
    if (kind === "node") this.node(path, line, col);
    else this.key(path, line, col);
  }
}

/** One value written on one line: a quoted or plain scalar, or a flow collection of them. */
class LineScanner {
  constructor(
    private readonly line: string,
    private at: number,
    private readonly reader: Reader,
    private readonly lineNo: number,
    private readonly path: PathSegment[],
  ) {}

  value(flow: boolean, path = this.path): unknown {
    const c = this.line[this.at];
    this.reader.mark("node", path, this.lineNo, this.at);
    if (c === '"' || c === "'") return this.quoted(c);
    if (c === "{") return this.flowMap(path);
    if (c === "[") return this.flowSeq(path);
    return resolvePlain(this.plain(flow));
  }

  /** Only spaces and a comment may follow the value. */
  end(): void {
    const rest = skipSpaces(this.line, this.at);
    if (rest < this.line.length && !(this.line[rest] === "#" && rest > this.at)) throw new Decline();
  }

  private quoted(q: string): string {
    const close = q === '"' ? this.line.indexOf('"', this.at + 1) : singleQuoteEnd(this.line, this.at + 1);
    if (close < 0) throw new Decline(); // multi-line, or an error
    const body = this.line.slice(this.at + 1, close);
    if (q === '"' && body.includes("\\")) throw new Decline(); // escapes: yaml's
    this.at = close + 1;
    return q === '"' ? body : body.replaceAll("''", "'");
  }

  private plain(flow: boolean): string {
    const { line } = this;
    if (INDICATOR.test(line.slice(this.at)) && !(line[this.at] === "-" && /[^\s,[\]{}]/.test(line[this.at + 1] ?? " "))) throw new Decline();
    let end = this.at;
    for (; end < line.length; end++) {
      const ch = line[end]!;
      if (ch === "#" && line[end - 1] === " ") break;
      if (ch === ":" && (end + 1 === line.length || line[end + 1] === " " || flow)) throw new Decline(); // a key, or `:` yaml reads otherwise
      if (flow && ",[]{}".includes(ch)) break;
    }
    let stop = end;
    while (stop > this.at && line[stop - 1] === " ") stop--;
    if (stop === this.at) throw new Decline();
    const s = line.slice(this.at, stop);
    this.at = stop;
    return s;
  }

  private flowSeq(path: PathSegment[]): unknown[] {
    this.at++;
    const items: unknown[] = [];
    this.at = skipSpaces(this.line, this.at);
    if (this.line[this.at] === "]") {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(this.value(true, [...path, items.length]));
      if (!this.separator("]")) return items;
    }
  }

  private flowMap(path: PathSegment[]): Record<string, unknown> {
    this.at++;
    const map: Record<string, unknown> = {};
    this.at = skipSpaces(this.line, this.at);
    if (this.line[this.at] === "}") {
      this.at++;
      return map;
    }
    for (;;) {
      const k = keyAt(this.line, this.at);
      if (k === undefined || k.key in map || this.line[k.end] !== " ") throw new Decline();
      const childPath = [...path, k.key];
      this.reader.mark("key", childPath, this.lineNo, this.at);
      this.at = skipSpaces(this.line, k.end);
      map[k.key] = this.value(true, childPath);
      if (!this.separator("}")) return map;
    }
  }

  /** After an entry: `, ` and another entry (true), or the closing bracket (false). */
  private separator(close: string): boolean {
    this.at = skipSpaces(this.line, this.at);
    const c = this.line[this.at];
    this.at++;
    if (c === close) return false;
    if (c !== ",") throw new Decline();
    this.at = skipSpaces(this.line, this.at);
    if (this.at >= this.line.length || this.line[this.at] === close) throw new Decline(); // a trailing comma, or a multi-line collection
    return true;
  }
}

function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && line[n] === " ") n++;
  return n;
}

function skipSpaces(line: string, from: number): number {
  while (from < line.length && line[from] === " ") from++;
  return from;
}

/** `-` at `col` followed by a space or the end of the line: a sequence entry. */
function isDash(line: string, col: number): boolean {
  return line[col] === "-" && (col + 1 === line.length || line[col + 1] === " ");
}

/** A key at `col` written `word:` or `"quoted":`, `:` followed by a space or the end of the line; the key and the index after `:`. */
function keyAt(line: string, col: number): { key: string; end: number } | undefined {
  const c = line[col];
  let key: string;
  let after: number;
  if (c === '"' || c === "'") {
    const close = c === '"' ? line.indexOf('"', col + 1) : singleQuoteEnd(line, col + 1);
    if (close < 0) return undefined;
    key = line.slice(col + 1, close);
    if (c === '"' && key.includes("\\")) return undefined;
    if (c === "'") key = key.replaceAll("''", "'");
    after = close + 1;
  } else {
    const m = WORD_KEY.exec(line.slice(col));
    if (!m || CORE_WORDS.has(m[0])) return undefined;
    key = m[0];
    after = col + key.length;
  }
  if (line[after] !== ":" || !(after + 1 === line.length || line[after + 1] === " ")) return undefined;
  // yaml's limit for an implicit key; `__proto__` is set specially by yaml's toJS.
  if (key.length > 1024 || key === "__proto__") return undefined;
  return { key, end: after + 1 };
}

/** The index of the `'` closing a single-quoted scalar whose text starts at `from` (`''` is a quote). */
function singleQuoteEnd(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] !== "'") continue;
    if (line[i + 1] === "'") i++;
    else return i;
  }
  return -1;
}

/** load/positions.ts: a node's own position only where its path has none; a key's always. */
function positionsOf(marks: readonly unknown[], file: string): Map<string, SourcePosition> {
  const positions = new Map<string, SourcePosition>();
  for (let m = 0; m < marks.length; m += 4) {
    const path = formatPath(marks[m] as PathSegment[]);
    if (marks[m + 3] === true || !positions.has(path)) positions.set(path, { file, line: (marks[m + 1] as number) + 1, col: (marks[m + 2] as number) + 1 });
  }
  return positions;
}

/** The one document of `text` with positions, or undefined where yaml must read it. */
export function fastRead(text: string, file: string): FastDocument | undefined {
  if (OUTSIDE.test(text)) return undefined;
  const reader = new Reader(text);
  try {
    const value = reader.document();
    const { marks } = reader; // not the reader: it holds every line of the text
    let positions: Map<string, SourcePosition> | undefined;
    return { value, positions: () => (positions ??= positionsOf(marks, file)) };
  } catch (e) {
    if (e instanceof Decline) return undefined;
    throw e;
  }
}

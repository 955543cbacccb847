import { raw, type ConfBlock, type ConfValue } from "../conf/value.js";

/**
 * Reads nats.conf text back into the data `buildConf` produces, so a previous render's
 * configuration is compared field by field, not as text. It covers what natskube writes
 * (`key: value`, `key { }`, `key: [ ]`, quoted keys, `#` comments) and the common
 * nats.conf forms (`=` or space as separator, `,`/`;` separators, `//` comments, single quotes).
 * Unquoted tokens become numbers, booleans or raw tokens (`$NATS_TOKEN`, `9Gi`), as in `conf/value.ts`.
 */
export function parseConf(text: string): ConfBlock {
  return new Parser(text).document();
}

export class ConfParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const KEY_CHAR = /[A-Za-z0-9_$.\-/]/;
const TOKEN_END = new Set(["\n", ",", ";", "}", "]"]);

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private get line(): number {
    return this.s.slice(0, this.i).split("\n").length;
  }

  private fail(message: string): never {
    throw new ConfParseError(message, this.line);
  }

  /** Skips blanks and comments; with `newlines`, also line breaks and entry separators. */
  private skip(newlines: boolean): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) return;
      if (c === " " || c === "\t" || c === "\r") this.i++;
      else if (newlines && (c === "\n" || c === "," || c === ";")) this.i++;
      else if (c === "#" || (c === "/" && this.s[this.i + 1] === "/")) {
        while (this.i < this.s.length && this.s[this.i] !== "\n") this.i++;
      } else return;
    }
  }

  /** The whole file; a top-level `{ }` around it (the JSON form the official chart writes) is allowed. */
  document(): ConfBlock {
    this.skip(true);
    if (this.s[this.i] !== "{") return this.entries(undefined);
    this.i++;
    const block = this.entries("}");
    this.skip(true);
    if (this.i < this.s.length) this.fail(`unexpected "${this.s[this.i]}" after the closing "}"`);
    return block;
  }

  entries(close: "}" | undefined): ConfBlock {
    const out: ConfBlock = {};
    for (;;) {
      this.skip(true);
      const c = this.s[this.i];
      if (c === undefined) {
        if (close) this.fail(`missing "${close}"`);
        return out;
      }
      if (c === close) {
        this.i++;
        return out;
      }
      const key = this.key();
      this.skip(false);
      const sep = this.s[this.i];
      if (sep === ":" || sep === "=") {
        this.i++;
        this.skip(false);
      }
      out[key] = this.value();
    }
  }

  private key(): string {
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.quoted();
    const start = this.i;
    while (this.i < this.s.length && KEY_CHAR.test(this.s[this.i]!)) this.i++;
    if (this.i === start) this.fail(`unexpected "${c}"`);
    return this.s.slice(start, this.i);
  }

  private value(): ConfValue {
    const c = this.s[this.i];
    if (c === "{") {
      this.i++;
      return this.entries("}");
    }
    if (c === "[") {
      this.i++;
      return this.array();
    }
    if (c === '"' || c === "'") return this.quoted();
    return this.token();
  }

  private array(): ConfValue[] {
    const out: ConfValue[] = [];
    for (;;) {
      this.skip(true);
      const c = this.s[this.i];
      if (c === undefined) this.fail('missing "]"');
      if (c === "]") {
        this.i++;
        return out;
      }
      out.push(this.value());
    }
  }

  private quoted(): string {
    const q = this.s[this.i]!;
    const start = this.i;
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== q) {
      if (q === '"' && this.s[this.i] === "\\") this.i++;
      if (this.s[this.i] === "\n") this.fail("unterminated string");
      this.i++;
    }
    if (this.i >= this.s.length) this.fail("unterminated string");
    this.i++;
    const body = this.s.slice(start, this.i);
    if (q === "'") return body.slice(1, -1);
    try {
      // nats.conf's \xXX escape (what serializeConf writes for control characters) in JSON's spelling.
      return JSON.parse(body.replace(/\\(?:x([0-9a-fA-F]{2})|(.))/g, (all: string, hex?: string) => (hex !== undefined ? `\\u00${hex}` : all))) as string;
    } catch {
      return body.slice(1, -1);
    }
  }

  private token(): ConfValue {
    const start = this.i;
    // A comment starts only after a blank: `nats://host:6222` and `a#b` are single tokens.
    const commentAt = (i: number) => /\s/.test(this.s[i - 1] ?? "") && (this.s[i] === "#" || (this.s[i] === "/" && this.s[i + 1] === "/"));
    while (this.i < this.s.length && !TOKEN_END.has(this.s[this.i]!) && !commentAt(this.i)) this.i++;
    const text = this.s.slice(start, this.i).trim();
    if (text === "") this.fail("missing value");
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    const lower = text.toLowerCase();
    if (["true", "yes", "on"].includes(lower)) return true;
    if (["false", "no", "off"].includes(lower)) return false;
    return raw(text);
  }
}

/** buildConf output without its undefined keys: the form `parseConf` returns. */
export function withoutUndefined(v: ConfValue): ConfValue {
  if (Array.isArray(v)) return v.map(withoutUndefined);
  if (typeof v === "object" && v !== null && !("raw" in v && Object.keys(v).length === 1)) {
    const out: ConfBlock = {};
    for (const [k, x] of Object.entries(v as ConfBlock)) if (x !== undefined) out[k] = withoutUndefined(x);
    return out;
  }
  return v;
}

import { isRaw, type ConfBlock, type ConfValue } from "./value.js";

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Writes nats.conf syntax: `key: value`, `block { }`, lists in brackets. Undefined keys are skipped. */
export function serializeConf(block: ConfBlock, header?: string): string {
  const lines: string[] = header ? header.split("\n").map((l) => `# ${l}`) : [];
  writeBlock(block, 0, lines);
  return lines.join("\n") + "\n";
}

function writeBlock(block: ConfBlock, depth: number, lines: string[]): void {
  const pad = "  ".repeat(depth);
  for (const [key, value] of Object.entries(block)) {
    if (value === undefined) continue;
    const k = BARE_KEY.test(key) ? key : JSON.stringify(key);
    if (isBlock(value)) {
      lines.push(`${pad}${k} {`);
      writeBlock(value, depth + 1, lines);
      lines.push(`${pad}}`);
    } else if (Array.isArray(value)) {
      lines.push(`${pad}${k}: [`);
      for (const item of value) {
        if (isBlock(item)) {
          lines.push(`${pad}  {`);
          writeBlock(item, depth + 2, lines);
          lines.push(`${pad}  }`);
        } else lines.push(`${pad}  ${scalar(item)}`);
      }
      lines.push(`${pad}]`);
    } else lines.push(`${pad}${k}: ${scalar(value)}`);
  }
}

function isBlock(v: ConfValue): v is ConfBlock {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isRaw(v);
}

function scalar(v: ConfValue): string {
  if (isRaw(v)) return v.raw;
  if (typeof v === "string") return quote(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new Error(`not a scalar: ${JSON.stringify(v)}`);
}

/**
 * A double-quoted nats.conf string. The server's lexer knows the escapes \xXX, \t, \n, \r, \" and \\
 * only: JSON's \b, \f and \u00XX (control characters, which a subject may hold) become \xXX.
 */
function quote(text: string): string {
  return JSON.stringify(text).replace(/\\(?:u00([0-9a-f]{2})|([bf])|(.))/g, (all: string, hex?: string, bf?: string) =>
    hex !== undefined ? `\\x${hex}` : bf !== undefined ? (bf === "b" ? "\\x08" : "\\x0c") : all,
  );
}

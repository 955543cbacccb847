import { isRaw } from "../conf/value.js";

const MAX = 120;

/** Values as the plan shows them: nats.conf tokens unquoted, strings quoted, long values shortened. */
export function display(v: unknown): string {
  if (isRaw(v)) return v.raw;
  if (typeof v === "string") return shorten(JSON.stringify(v), v.length);
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  const text = JSON.stringify(v, (_k, x: unknown) => (isRaw(x) ? x.raw : x));
  return shorten(text ?? "undefined", text?.length ?? 0);
}

function shorten(text: string, length: number): string {
  return text.length <= MAX ? text : `${text.slice(0, MAX - 1)}… (${length} chars)`;
}

/** Secret values never reach the output, not even shortened or hashed. */
export const REDACTED = "(redacted)";

import type { Diagnostic } from "./diagnostic.js";

// C0/C1 controls, line and paragraph separators, and bidi overrides: printed raw they split a diagnostic
// across lines or reorder it on a terminal. Only user values carry them into a message.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

export function escapeControls(s: string): string {
  return s.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Keeps both ends of a long text (a huge value echoed in a message) and says how much was left out. */
export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const keep = Math.floor((max - 30) / 2);
  return `${s.slice(0, keep)}…(${s.length - 2 * keep} characters)…${s.slice(s.length - keep)}`;
}

const LIMITS = { path: 200, message: 500, hint: 800 };

/** A diagnostic that prints on one line per part, whatever the user's values held. Idempotent. */
export function printable(d: Diagnostic): Diagnostic {
  const fix = (s: string, max: number) => shorten(escapeControls(s), max);
  return { ...d, path: fix(d.path, LIMITS.path), message: fix(d.message, LIMITS.message), ...(d.hint !== undefined ? { hint: fix(d.hint, LIMITS.hint) } : {}) };
}

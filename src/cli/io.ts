import { readFileSync } from "node:fs";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** 70 is EX_SOFTWARE (sysexits.h): an internal error, never a verdict on the input. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 70 } as const;

/** Thrown for a bad command line; main prints it with the command's usage and exits 2. */
export class UsageError extends Error {}

export function readSource(file: string): { text?: string; diagnostic?: Diagnostic } {
  try {
    return { text: readFileSync(file === "-" ? 0 : file, "utf8") };
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    return {
      diagnostic: { code: "file-read", severity: "error", path: "", message: `cannot read ${file}: ${reason}`, source: { file, line: 1, col: 1 } },
    };
  }
}

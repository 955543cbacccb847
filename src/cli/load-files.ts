import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ParsedDocument } from "../check/document.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parseText } from "../pipeline.js";
import { readSource } from "./io.js";

export interface LoadedFiles<D = ParsedDocument> {
  /** The files read, directories expanded. */
  files: string[];
  sources: Map<string, string>;
  parsed: D[];
  diagnostics: Diagnostic[];
}

/** A directory stands for its *.yaml and *.yml files, sorted by name, not recursive (a fleet of manifests). */
function expand(file: string): string[] {
  let isDirectory = false;
  try {
    isDirectory = file !== "-" && statSync(file).isDirectory();
  } catch {
    return [file]; // readSource reports what is wrong with it
  }
  if (!isDirectory) return [file];
  const names = readdirSync(file).filter((n) => /\.ya?ml$/.test(n));
  return names.sort().map((n) => join(file, n));
}

/**
 * Reads and parses every file; problems of all files are collected, never thrown. `keep` is what a command
 * holds of each parsed document until the last file is parsed (all of it by default).
 */
export function loadFiles(args: readonly string[]): LoadedFiles;
export function loadFiles<D>(args: readonly string[], keep: (p: ParsedDocument) => D): LoadedFiles<D>;
export function loadFiles(args: readonly string[], keep: (p: ParsedDocument) => unknown = (p) => p): LoadedFiles<unknown> {
  const sources = new Map<string, string>();
  const parsed: unknown[] = [];
  const diagnostics: Diagnostic[] = [];
  const files = args.flatMap((arg) => {
    const found = expand(arg);
    if (found.length === 0)
      diagnostics.push({ code: "file-read", severity: "error", path: "", message: `${arg} is a directory without *.yaml or *.yml files`, source: { file: arg, line: 1, col: 1 } });
    return found;
  });
  for (const file of files) {
    const { text, diagnostic } = readSource(file);
    if (diagnostic) {
      diagnostics.push(diagnostic);
      continue;
    }
    sources.set(file, text!);
    const result = parseText(text!, file);
    for (const p of result.parsed) parsed.push(keep(p));
    diagnostics.push(...result.diagnostics);
  }
  return { files, sources, parsed, diagnostics };
}

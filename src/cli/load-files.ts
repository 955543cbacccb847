import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parseText } from "../pipeline.js";
import type { ParsedDocument } from "../spec/parse.js";
import { readSource } from "./io.js";

export interface LoadedFiles {
  sources: Map<string, string>;
  parsed: ParsedDocument[];
  diagnostics: Diagnostic[];
}

/** Reads and parses every file; problems of all files are collected, never thrown. */
export function loadFiles(files: readonly string[]): LoadedFiles {
  const sources = new Map<string, string>();
  const parsed: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const { text, diagnostic } = readSource(file);
    if (diagnostic) {
      diagnostics.push(diagnostic);
      continue;
    }
    sources.set(file, text!);
    const result = parseText(text!, file);
    parsed.push(...result.parsed);
    diagnostics.push(...result.diagnostics);
  }
  return { sources, parsed, diagnostics };
}

import { LineCounter, parseAllDocuments } from "yaml";
import type { Diagnostic, PathSegment, SourcePosition } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import { checkAliases } from "./aliases.js";
import { MAX_NESTING, tooDeepAt } from "./depth.js";
import { fastRead } from "./fast-read.js";
import { nonPlainValues } from "./plain.js";
import { indexPositions } from "./positions.js";
import { syntaxDiagnostic } from "./syntax.js";

/** One YAML document as plain data, with the source position of every node. */
export interface LoadedDocument {
  file: string;
  /** 0-based index of the document in its file (documents separated by `---`). */
  index: number;
  value: unknown;
  /** Where a path is written; for a missing path, its nearest written ancestor. */
  positionOf(path: readonly PathSegment[]): SourcePosition | undefined;
}

export interface LoadResult {
  documents: LoadedDocument[];
  diagnostics: Diagnostic[];
}

/** yaml's own guard against alias bombs: resolving more aliases than this is an error. */
const MAX_ALIAS_COUNT = 100;
const MAX_SYNTAX_ERRORS = 10;

export function loadDocuments(text: string, file: string): LoadResult {
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    const source = { file, ...lineCol(text, deep) };
    const diagnostic: Diagnostic = {
      code: "yaml-syntax",
      severity: "error",
      path: "",
      message: `the YAML nests more than ${MAX_NESTING} levels deep here`,
      hint: "A manifest nests about 10 levels: look for brackets that are never closed or indentation that keeps growing.",
      source,
    };
    return { documents: [], diagnostics: [diagnostic] };
  }
  // Most manifests are plain block YAML: read without building yaml's nodes (load/fast-read.ts), the
  // same value and positions; anything else, and every error, is yaml's.
  const fast = fastRead(text, file);
  if (fast !== undefined) return { documents: [{ file, index: 0, value: fast.value, positionOf: lookup(fast.positions) }], diagnostics: [] };
  return loadWithYaml(text, file);
}

/** Where a path is written: its own position, else its nearest written ancestor's. */
function lookup(positions: ReadonlyMap<string, SourcePosition> | (() => ReadonlyMap<string, SourcePosition>)): LoadedDocument["positionOf"] {
  return (path) => {
    const byPath = typeof positions === "function" ? positions() : positions;
    for (let n = path.length; n >= 0; n--) {
      const pos = byPath.get(formatPath(path.slice(0, n)));
      if (pos) return pos;
    }
    return undefined;
  };
}

/** loadDocuments with yaml's parser alone: every document, every diagnostic. */
export function loadWithYaml(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: "error",
    // `<<: *base` merges a mapping as kubectl (YAML 1.1) does; without this, yaml 1.2 reads `<<` as a field.
    merge: true,
  });
  const docs = Array.isArray(parsed) ? parsed : [];
  const diagnostics: Diagnostic[] = [];
  const documents: LoadedDocument[] = [];
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };

  docs.forEach((doc, index) => {
    // After the first syntax error yaml recovers token by token, and one stray bracket can yield thousands of
    // follow-on errors: the first few locate the problem, the rest would bury it.
    const shown = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((err) => syntaxDiagnostic(err, text, doc.contents, at));
    const hidden = doc.errors.length - shown.length;
    if (hidden > 0) shown[shown.length - 1]!.message += ` (and ${hidden} more syntax errors after it, most of them caused by the ones above)`;
    diagnostics.push(...shown);
    for (const warning of doc.warnings) diagnostics.push({ ...syntaxDiagnostic(warning, text, doc.contents, at), severity: "warning" });
    if (doc.errors.length > 0 || doc.contents === null) return;
    const aliases = checkAliases(doc.contents, at, text);
    diagnostics.push(...aliases.diagnostics);
    if (aliases.diagnostics.length > 0) return;
    const positionOf = lookup(indexPositions(doc, doc.contents, at));
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // yaml throws, rather than reports, what it finds while building values: maxAliasCount stopping an alias
      // bomb, a merge key `<<` whose value is not a mapping. Unresolved aliases were ruled out above.
      if (!(e instanceof Error)) throw e;
      const bomb = e instanceof ReferenceError;
      const site = bomb ? aliases.bombSite : undefined;
      diagnostics.push({
        code: "yaml-syntax",
        severity: "error",
        path: site ? formatPath(site.path) : "",
        message: bomb ? `the aliases of this document expand to more than yaml's limit of ${MAX_ALIAS_COUNT} resolved aliases (an alias bomb?)` : e.message.split("\n")[0]!,
        hint: bomb ? "Write the repeated values out, or use fewer levels of aliases of aliases." : "A merge key takes an alias of a mapping, or a list of them: `<<: *defaults`.",
        source: site ? at(site.offset) : at(doc.range[0]),
      });
      return;
    }
    const odd = nonPlainValues(value);
    for (const o of odd) diagnostics.push({ ...o.diagnostic, source: positionOf(o.path) ?? at(doc.range[0]) });
    if (odd.length > 0) return;
    documents.push({ file, index, value, positionOf });
  });
  return { documents, diagnostics };
}

/** 1-based line and column of an offset, for a text yaml never parsed. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

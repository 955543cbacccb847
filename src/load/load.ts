import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";
import type { Diagnostic, PathSegment, SourcePosition } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";

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

export function loadDocuments(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const diagnostics: Diagnostic[] = [];
  const documents: LoadedDocument[] = [];
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };

  docs.forEach((doc, index) => {
    for (const err of doc.errors) {
      diagnostics.push({
        code: "yaml-syntax",
        severity: "error",
        path: "",
        message: err.message.split("\n")[0] ?? err.message,
        hint: "Check indentation, quoting and that every key is unique.",
        source: at(err.pos[0]),
      });
    }
    if (doc.errors.length > 0 || doc.contents === null) return;
    const positions = new Map<string, SourcePosition>();
    indexPositions(doc.contents, [], positions, at);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    documents.push({
      file,
      index,
      value,
      positionOf(path) {
        for (let n = path.length; n >= 0; n--) {
          const pos = positions.get(formatPath(path.slice(0, n)));
          if (pos) return pos;
        }
        return undefined;
      },
    });
  });
  return { documents, diagnostics };
}

/** Records each node's position by path; for map entries, the key's position (where editors point). */
function indexPositions(
  node: Node | null | undefined,
  path: PathSegment[],
  out: Map<string, SourcePosition>,
  at: (offset: number) => SourcePosition,
): void {
  if (!node) return;
  const key = formatPath(path);
  if (!out.has(key) && node.range) out.set(key, at(node.range[0]));
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = isScalar(item.key) ? String(item.key.value) : String(item.key);
      const childPath = [...path, k];
      const keyNode = item.key as Node | null;
      if (keyNode && keyNode.range) out.set(formatPath(childPath), at(keyNode.range[0]));
      indexPositions(item.value as Node | null, childPath, out, at);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => indexPositions(item as Node | null, [...path, i], out, at));
  }
}

import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from "yaml";
import type { PathSegment, SourcePosition } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";

type At = (offset: number) => SourcePosition;

/** A `<<` key as yaml parses it with merge keys on: a plain scalar whose value is the merge symbol. */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === "symbol" && key.value.description === "<<";
}

/**
 * Records each node's position by path; for map entries, the key's position (where editors point).
 * A key that a merge (`<<: *base`) brings in points at the key where it is written, inside the anchored
 * mapping, unless the mapping writes the key itself (the written key wins, as it does in the value).
 */
export function indexPositions(doc: Document, root: Node | null | undefined, at: At): Map<string, SourcePosition> {
  const out = new Map<string, SourcePosition>();
  const visit = (node: unknown, path: PathSegment[], fill: boolean): void => {
    if (!node || typeof node !== "object") return;
    const n = node as Node;
    const key = formatPath(path);
    if (!out.has(key) && n.range) out.set(key, at(n.range[0]));
    if (isMap(n)) {
      const merges: unknown[] = [];
      for (const item of n.items) {
        if (!isPair(item)) continue;
        if (isMergeKey(item.key)) {
          merges.push(item.value);
          continue;
        }
        const k = isScalar(item.key) ? String(item.key.value) : String(item.key);
        const childPath = [...path, k];
        const keyNode = item.key as Node | null;
        const childKey = formatPath(childPath);
        if (keyNode?.range && !(fill && out.has(childKey))) out.set(childKey, at(keyNode.range[0]));
        visit(item.value, childPath, fill);
      }
      // Earlier sources win over later ones, as in the merged value: each fills only what is still unknown.
      for (const source of merges.flatMap((m) => mergeSources(doc, m))) visit(source, path, true);
    } else if (isSeq(n)) n.items.forEach((item, i) => visit(item, [...path, i], fill));
  };
  visit(root, [], false);
  return out;
}

/** The mappings a merge value names: an alias of a mapping, a mapping, or a list of either. */
function mergeSources(doc: Document, value: unknown): Node[] {
  const resolved = isAlias(value) ? value.resolve(doc) : value;
  if (isSeq(resolved)) return resolved.items.flatMap((item) => mergeSources(doc, item));
  return isMap(resolved) ? [resolved] : [];
}

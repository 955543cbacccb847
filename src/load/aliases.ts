import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import type { Diagnostic, PathSegment, SourcePosition } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import { isMergeKey } from "./positions.js";

export interface AliasReport {
  diagnostics: Diagnostic[];
  /** Where to point when yaml's maxAliasCount stops an alias bomb: the first alias that repeats other aliases. */
  bombSite?: { path: PathSegment[]; offset: number };
}

/**
 * Aliases that yaml's toJS would throw on (no anchor before them: a typo, a forward reference, an anchor of
 * another document) or turn into a cyclic object (an alias inside its own anchor). yaml reports neither
 * in doc.errors, so they are found here, in document order, with the field path they sit at.
 */
export function checkAliases(root: Node | null, at: (offset: number) => SourcePosition, text?: string): AliasReport {
  // Every alias is written `*name`: a text without a `*` has none, and most manifests need no walk.
  if (text !== undefined && !text.includes("*")) return { diagnostics: [] };
  const anchors = new Map<string, Node>();
  const open = new Set<Node>();
  const holdsAlias = new Set<Node>();
  const report: AliasReport = { diagnostics: [] };
  const problem = (path: PathSegment[], offset: number, message: string, hint: string) =>
    report.diagnostics.push({ code: "yaml-syntax", severity: "error", path: formatPath(path), message, hint, source: at(offset) });

  const walk = (node: unknown, path: PathSegment[]): boolean => {
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      const target = anchors.get(node.source);
      if (!target)
        problem(path, offset, `alias *${node.source} has no anchor &${node.source} before it in this document`, `Define &${node.source} on a value above this line (anchors do not reach across ---), or fix the name.`);
      else if (open.has(target))
        problem(path, offset, `alias *${node.source} is inside the value anchored as &${node.source}, so that value would contain itself`, "Point the alias at a value outside the anchored one, or write the value out.");
      else if (holdsAlias.has(target) && !report.bombSite) report.bombSite = { path, offset };
      return true;
    }
    if (!node || typeof node !== "object") return false;
    const n = node as Node;
    if (n.anchor) anchors.set(n.anchor, n);
    open.add(n);
    let aliased = false;
    if (isMap(n)) {
      for (const item of n.items) {
        if (!isPair(item)) continue;
        aliased = walk(item.key, path) || aliased;
        const key = isMergeKey(item.key) ? "<<" : isScalar(item.key) ? String(item.key.value) : String(item.key);
        aliased = walk(item.value, [...path, key]) || aliased;
      }
    } else if (isSeq(n)) n.items.forEach((item, i) => (aliased = walk(item, [...path, i]) || aliased));
    open.delete(n);
    if (aliased) holdsAlias.add(n);
    return aliased;
  };
  walk(root, []);
  return report;
}

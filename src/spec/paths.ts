import type { PathSegment } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";

/**
 * Maps a path in the normalized resource back to the path the user wrote, through
 * the key renames (snake_case -> camelCase) and the Project Planton moves
 * (serverContainer.replicas -> replicas), so diagnostics point at the user's line.
 */
export class PathTrail {
  private readonly renames = new Map<string, string>();
  private readonly moves = new Map<string, PathSegment[]>();

  rename(parent: readonly PathSegment[], canonicalKey: string, writtenKey: string): void {
    this.renames.set(`${formatPath(parent)}\u0000${canonicalKey}`, writtenKey);
  }

  /** `to` now holds what the user wrote at `from` (both normalized paths). */
  move(to: readonly PathSegment[], from: readonly PathSegment[]): void {
    this.moves.set(formatPath(to), [...from]);
  }

  /** The written path of a normalized path. */
  written(path: readonly PathSegment[]): PathSegment[] {
    const unmoved = this.unmove(path);
    const out: PathSegment[] = [];
    const canonical: PathSegment[] = [];
    for (const seg of unmoved) {
      if (typeof seg === "string") {
        out.push(this.renames.get(`${formatPath(canonical)}\u0000${seg}`) ?? seg);
      } else out.push(seg);
      canonical.push(seg);
    }
    return out;
  }

  private unmove(path: readonly PathSegment[]): PathSegment[] {
    for (let n = path.length; n > 0; n--) {
      const from = this.moves.get(formatPath(path.slice(0, n)));
      if (from) return [...from, ...path.slice(n)];
    }
    return [...path];
  }
}

export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

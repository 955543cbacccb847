import type { z } from "zod";
import type { PathSegment } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import { isPlainObject, valueAt } from "./paths.js";

type Issue = z.core.$ZodIssue;

/** Stand-ins for a missing required value of each type, so the rest of the manifest can still be checked. */
const PLACEHOLDERS: Record<string, () => unknown> = { string: () => "x", object: () => ({}), array: () => [], boolean: () => false, number: () => 1, int: () => 1, record: () => ({}) };

export interface Repair<T> {
  data?: T;
  /** Paths (resolved form) whose value was removed or stood in for: findings there would be noise. */
  touched: PathSegment[][];
}

/**
 * Removes or stands in for every value the schema rejects, until it accepts the rest, so cross-field rules can
 * run on the fields that are right in the same run as the type errors are reported. `doc` is changed in place.
 * Gives up (no data) when the document itself cannot be repaired: no spec, or no progress.
 */
export function repairUntilValid<T>(doc: Record<string, unknown>, parse: (d: unknown) => { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } }): Repair<T> {
  const touched: PathSegment[][] = [];
  const tries = new Map<string, number>();
  for (let round = 0; round < 12; round++) {
    const r = parse(structuredClone(doc));
    if (r.success) return { data: r.data, touched };
    for (const issue of r.error.issues) {
      const paths = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...(issue.path as PathSegment[]), k]) : [issue.path as PathSegment[]];
      for (const path of paths) if (!repairAt(doc, path, issue, tries, touched)) return { touched };
    }
  }
  return { touched };
}

function repairAt(doc: Record<string, unknown>, path: PathSegment[], issue: Issue, tries: Map<string, number>, touched: PathSegment[][]): boolean {
  // First the rejected value goes (an optional field then takes its default); a required one gets a stand-in;
  // when that fails too, the enclosing list (items cannot go alone: the others would be renumbered) or parent goes.
  let target = path;
  while ((tries.get(formatPath(target)) ?? 0) >= 2 || typeof target[target.length - 1] === "number") {
    let lastIndex = target.length - 1;
    while (lastIndex >= 0 && typeof target[lastIndex] !== "number") lastIndex--;
    target = lastIndex >= 0 && target !== path ? target.slice(0, lastIndex) : target.slice(0, -1);
    if (target.length > 0 && typeof target[target.length - 1] === "number") continue;
    break;
  }
  if (target.length < 2) return false;
  const tried = tries.get(formatPath(target)) ?? 0;
  tries.set(formatPath(target), target === path ? tried + 1 : 2);
  touched.push(target);
  const parent = valueAt(doc, target.slice(0, -1));
  const key = target[target.length - 1] as string;
  if (!isPlainObject(parent)) return target.length > 2 ? repairAt(doc, target.slice(0, -1), issue, tries, touched) : false;
  if (target === path && parent[key] === undefined) {
    const literal = issue.code === "invalid_value" ? issue.values[0] : undefined;
    const make = issue.code === "invalid_type" ? PLACEHOLDERS[issue.expected] : undefined;
    if (literal !== undefined || make) {
      parent[key] = literal ?? make!();
      return true;
    }
    tries.set(formatPath(target), 2);
    return repairAt(doc, path, issue, tries, touched);
  }
  delete parent[key];
  return true;
}

/** Whether one path lies on the other (equal, or one inside the other). */
export function overlaps(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

import type { ClusterFacts } from "./facts.js";
import type { FieldDiff } from "./diff.js";
import type { PlanSide } from "./inputs.js";
import type { Change, ChangeClass, Severity } from "./types.js";

/** A change on its way to the plan: `object` says which object's section it belongs to (none: the cluster's). */
export interface RoutedChange extends Change {
  object?: string;
}

export function change(
  cls: ChangeClass,
  severity: Severity,
  summary: string,
  paths: string[],
  details: string[] = [],
  procedure: string[] = [],
): Change {
  return { class: cls, severity, summary, paths, details, procedure };
}

/** What a classifier knows about one object and the cluster it belongs to. */
export interface ObjectContext {
  key: string;
  kind: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  diffs: FieldDiff[];
  newFile: string;
  oldSide: PlanSide;
  newSide: PlanSide;
  oldCluster?: ClusterFacts;
  newCluster?: ClusterFacts;
  /** The NATS StatefulSet's pod template changes too: pods roll anyway. */
  templateChanges: boolean;
}

/** True when `field` is `path` or below it. */
export function covers(path: string, field: string): boolean {
  return path === "" || field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);
}

/** Said of every forbidden update: the rest of the render still lands. */
export const PARTIAL_APPLY = "kubectl apply (and most GitOps syncs) still applies the other objects and fails on this one; Helm-style tools roll the whole release back.";

/**
 * What applying NEW over OLD does, as data. The CLI prints it as text or JSON
 * (schema/plan.schema.json); nothing here prints.
 */

/** What kind of effect a change has. */
export type ChangeClass = "in-place" | "rolling-restart" | "forbidden" | "data-loss" | "topology";

/** How much care it needs; the highest severity of a plan picks the exit code. */
export type Severity = "safe" | "attention" | "disruptive";

export const SEVERITY_ORDER: readonly Severity[] = ["safe", "attention", "disruptive"];
export const CHANGE_CLASSES: readonly ChangeClass[] = ["in-place", "rolling-restart", "forbidden", "data-loss", "topology"];

export function maxSeverity(list: readonly Severity[]): Severity {
  return list.reduce<Severity>((a, b) => (SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a), "safe");
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  /** Empty for cluster-scoped objects (Namespace). */
  namespace: string;
  name: string;
}

/** `Kind/namespace/name`: the identity an object keeps across renders. */
export function objectKey(ref: { kind: string; namespace?: string | undefined; name: string }): string {
  return `${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}

/** One changed field. Values are display strings: secrets are redacted, long values shortened. */
export interface FieldChange {
  path: string;
  op: "add" | "remove" | "replace";
  before?: string;
  after?: string;
  /** Class and severity of the change that explains this field. */
  class: ChangeClass;
  severity: Severity;
}

/** A classified group of field changes, with why and what to do. */
export interface Change {
  class: ChangeClass;
  severity: Severity;
  /** One line. */
  summary: string;
  /** Field paths (of `object`) this change explains; a path covers every field below it. */
  paths: string[];
  details: string[];
  /** Ordered steps, commands included, when the change cannot simply be applied. */
  procedure: string[];
}

export type ObjectAction = "create" | "update" | "delete";

export interface ObjectPlan {
  ref: ObjectRef;
  action: ObjectAction;
  severity: Severity;
  fields: FieldChange[];
  changes: Change[];
}

/** A NATS cluster (its StatefulSet) and the changes that concern the cluster as a whole. */
export interface ClusterPlan {
  namespace: string;
  name: string;
  replicas: { old: number | null; new: number | null };
  jetstream: { old: string; new: string };
  changes: Change[];
}

export interface Plan {
  objects: ObjectPlan[];
  clusters: ClusterPlan[];
  /** Objects present and identical on both sides. */
  unchanged: number;
  severity: Severity;
  counts: Record<ChangeClass, number>;
  /** Problems reading the inputs that did not stop the plan (e.g. a nats.conf compared as text). */
  notes: string[];
}

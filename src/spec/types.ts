import type { ParsedResource } from "./schema/resource.js";
import type { plantonSpecFields } from "./schema/planton.js";
import type { PlantonRecord } from "./planton.js";

type ParsedSpec = ParsedResource["spec"];
type PlantonKeys = keyof typeof plantonSpecFields;
type ParsedAuth = ParsedSpec["auth"];

export type AuthSpec = Omit<ParsedAuth, "scheme" | "mode"> & { mode: "TOKEN" | "BASIC" };

/** The resolved spec: defaults applied, Project Planton fields translated, one spelling for everything. */
export type Spec = Omit<ParsedSpec, PlantonKeys | "namespace" | "auth"> & { namespace: string; auth: AuthSpec };

export interface KubernetesNats {
  apiVersion: ParsedResource["apiVersion"];
  kind: ParsedResource["kind"];
  metadata: ParsedResource["metadata"];
  spec: Spec;
  /** What a Project Planton manifest recorded that does not change rendering. */
  planton: PlantonRecord;
}

export type Stream = Spec["streams"][number];
export type Consumer = Stream["consumers"][number];
export type KeyValue = Spec["keyValues"][number];
export type ObjectStore = Spec["objectStores"][number];

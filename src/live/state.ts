/**
 * What the cluster holds of a render, and the plan of applying the render over it: `natskube diff`,
 * and the first step of `natskube apply`.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { RenderedDocument } from "../pipeline.js";
import { buildPlan, type Plan } from "../plan/index.js";
import { keyOf, sideFromObjects, sideFromRendered } from "../plan/inputs.js";
import type { KubeObject } from "../render/object.js";
import { deepEqual } from "../plan/diff.js";
import { ClusterError, describe, type Cluster, type Ref } from "./client.js";
import { comparable, liveView } from "./normalize.js";
import { generatedSecretKeys } from "./side.js";
import { KNOWN_KINDS, ownerOf, ownerValue, PART_OF, withOwner } from "./ownership.js";

export interface LiveOptions {
  /** Replace Secrets that exist (otherwise they are kept as they are). */
  overwriteSecrets?: boolean;
  /** Adopt objects with natskube's names that are someone else's. */
  takeOwnership?: boolean;
}

export interface LiveState {
  /** The render as it is applied: natskube's ownership label on every object. */
  desired: KubeObject[];
  /** The live object of each desired one (by key), when it exists. */
  live: Map<string, KubeObject>;
  /** natskube's objects of these clusters that the render no longer holds: what prune deletes. */
  orphans: KubeObject[];
  /** Desired objects that exist and are someone else's. */
  foreign: KubeObject[];
  /** Secrets that exist and are kept as they are (no --overwrite-secrets); `changed`: the render's differs. */
  keptSecrets: { ref: string; changed: boolean }[];
  /** Namespaces the render needs that do not exist (rendered ones, with createNamespace, included). */
  missingNamespaces: string[];
  plan: Plan;
}

/** The owner label value of each rendered cluster, by namespace/name. */
export function owners(docs: readonly RenderedDocument[]): { namespace: string; name: string; owner: string }[] {
  return docs.map((d) => ({ namespace: d.model.namespace, name: d.model.name, owner: ownerValue(d.model.namespace, d.model.name) }));
}

/** The objects of a render, labelled as natskube's for their cluster. */
export function desiredObjects(docs: readonly RenderedDocument[]): KubeObject[] {
  return docs.flatMap((d) => d.objects.map((o) => withOwner(o, ownerValue(d.model.namespace, d.model.name))));
}

/** natskube's objects of a cluster, of every kind it renders and of the render's own kinds. */
export async function ownedObjects(cluster: Cluster, docs: readonly RenderedDocument[], desired: readonly KubeObject[]): Promise<KubeObject[]> {
  const kinds = new Map(KNOWN_KINDS.map((k) => [`${k.apiVersion} ${k.kind}`, k]));
  for (const o of desired) if (o.metadata.namespace !== undefined) kinds.set(`${o.apiVersion} ${o.kind}`, { apiVersion: o.apiVersion, kind: o.kind });
  const out: KubeObject[] = [];
  for (const { namespace, owner } of owners(docs))
    for (const k of kinds.values()) out.push(...(await cluster.list(k.apiVersion, k.kind, namespace, `${PART_OF}=${owner}`)));
  return out;
}

/** Reads the live objects of a render and plans the render over them. Throws ClusterError. */
export async function readState(cluster: Cluster, file: string, docs: readonly RenderedDocument[], options: LiveOptions): Promise<LiveState> {
  const desiredAll = desiredObjects(docs);
  const live = new Map<string, KubeObject>();
  const missingNamespaces: string[] = [];
  for (const ns of new Set(docs.map((d) => d.model.namespace)))
    if (!(await cluster.get({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }))) missingNamespaces.push(ns);
  for (const o of desiredAll) {
    if (o.metadata.namespace !== undefined && missingNamespaces.includes(o.metadata.namespace)) {
      // Nothing can exist there yet. A kind the cluster does not serve must fail now, before any write:
      // get() reports it (cluster-missing-api).
      if (!(await cluster.served(o.apiVersion, o.kind))) await cluster.get(o);
      continue;
    }
    const l = await cluster.get(o);
    if (l) live.set(keyOf(o), l);
  }
  // Each object against its own cluster's label (a fleet may hold several clusters in one namespace).
  const foreign = desiredAll.filter((o) => {
    const l = live.get(keyOf(o));
    if (!l || options.takeOwnership || o.kind === "Namespace") return false;
    const labels = o.metadata.labels ?? {};
    return ownerOf(l, labels[PART_OF]!, labels["app.kubernetes.io/instance"] ?? "") === "foreign";
  });
  const keptSecrets: LiveState["keptSecrets"] = [];
  const desired = desiredAll.filter((o) => {
    const l = live.get(keyOf(o));
    if (o.kind !== "Secret" || !l || options.overwriteSecrets) return true;
    const c = comparable(o) as { data?: unknown };
    keptSecrets.push({ ref: describe(o as Ref), changed: !deepEqual((liveView(l, comparable(o)) as { data?: unknown }).data, c.data) });
    return false;
  });
  const desiredKeys = new Set([...desiredAll.map(keyOf), ...generatedSecretKeys(docs)]);
  const orphans = (await ownedObjects(cluster, docs, desiredAll)).filter((o) => !desiredKeys.has(keyOf(o)));

  const newSide = { ...sideFromRendered(file, docs), objects: desired.map(comparable) };
  const byKey = new Map(newSide.objects.map((o) => [keyOf(o), o]));
  const oldObjects = [
    ...desired.flatMap((o) => {
      const l = live.get(keyOf(o));
      return l ? [liveView(l, byKey.get(keyOf(o)))] : [];
    }),
    ...orphans.map((o) => liveView(o, undefined)),
  ];
  const oldSide = sideFromObjects(`${cluster.context}`, oldObjects);
  const plan = buildPlan(oldSide, newSide);
  return { desired, live, orphans, foreign, keptSecrets, missingNamespaces, plan };
}

export const notOwnedDiagnostics = (foreign: readonly KubeObject[]): Diagnostic[] =>
  foreign.map((o) => ({
    code: "not-owned",
    severity: "error",
    path: "",
    message: `${describe(o as Ref)} exists and is not natskube's for this cluster (no ${PART_OF} label of it): natskube will not overwrite or delete it`,
    hint: "Remove or rename the other object, or pass --take-ownership to adopt it (its fields are taken over).",
  }));

/** A ClusterError's diagnostic; anything else is a bug and goes on up. */
export function asDiagnostic(e: unknown): Diagnostic {
  if (e instanceof ClusterError) return e.diagnostic;
  throw e;
}

import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { RenderedDocument } from "../pipeline.js";
import type { KubeObject } from "../render/object.js";
import { describe, type Cluster, type Ref } from "./client.js";
import { WAVES, waveOf } from "./ownership.js";
import { asDiagnostic, desiredObjects, ownedObjects } from "./state.js";

export interface DeleteOptions {
  dryRun?: boolean;
  /** Delete the StatefulSets' PersistentVolumeClaims too: the JetStream data. */
  deleteVolumes?: boolean;
  /** Bound on the wait for each wave's objects to be gone. */
  timeoutMs?: number;
  progress?: (line: string) => void;
}

export interface VolumeClaim {
  name: string;
  namespace: string;
  size: string;
  volume: string;
}

export interface DeleteResult {
  deleted: string[];
  /** The claims (data) kept, or deleted with --delete-volumes. */
  claims: VolumeClaim[];
  /** Objects still there when the wait ended (a finalizer nobody releases). */
  stuck: string[];
  diagnostics: Diagnostic[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `natskube delete`: natskube's objects of the clusters in the render, in the safe order: NACK's
 * resources first while its controller still runs to release their finalizers, then the workloads,
 * then config and Secrets; each wave gone before the next. The StatefulSets' claims are kept unless
 * asked. Only objects carrying natskube's ownership label for these clusters are touched.
 */
export async function deleteLive(cluster: Cluster, docs: readonly RenderedDocument[], options: DeleteOptions): Promise<DeleteResult> {
  const result: DeleteResult = { deleted: [], claims: [], stuck: [], diagnostics: [] };
  const progress = options.progress ?? (() => {});
  const dryRun = options.dryRun === true;
  const timeoutMs = options.timeoutMs ?? 120_000;
  try {
    const desired = desiredObjects(docs);
    const owned = await ownedObjects(cluster, docs, desired);
    // The claims of the StatefulSets rendered and live: a second delete (--delete-volumes after a
    // plain one) finds them with the StatefulSet gone.
    const claims = new Map<string, KubeObject>();
    for (const sts of [...desired, ...owned].filter((o) => o.kind === "StatefulSet"))
      for (const c of await claimsOf(cluster, sts)) claims.set(`${c.metadata.namespace}/${c.metadata.name}`, c);
    for (const wave of [...WAVES].reverse()) {
      const objects = owned.filter((o) => waveOf(o) === wave && o.kind !== "Namespace");
      if (!objects.length) continue;
      for (const o of objects)
        if (await cluster.remove(o as Ref, { dryRun, propagation: "Background" })) {
          result.deleted.push(describe(o as Ref));
          progress(`${dryRun ? "would delete" : "deleted"} ${describe(o as Ref)}`);
        }
      if (!dryRun) result.stuck.push(...(await waitGone(cluster, objects as Ref[], timeoutMs)));
      if (result.stuck.length) return result;
    }
    result.claims = [...claims.values()].map(claimInfo);
    if (options.deleteVolumes) {
      for (const c of claims.values())
        if (await cluster.remove(c as Ref, { dryRun, propagation: "Background" })) progress(`${dryRun ? "would delete" : "deleted"} ${describe(c as Ref)} and its data`);
      if (!dryRun) result.stuck.push(...(await waitGone(cluster, [...claims.values()] as Ref[], timeoutMs)));
    }
  } catch (e) {
    result.diagnostics.push(asDiagnostic(e));
  }
  return result;
}

/** The claims of a StatefulSet's volumeClaimTemplates: `<template>-<statefulset>-<ordinal>`. */
async function claimsOf(cluster: Cluster, sts: KubeObject): Promise<KubeObject[]> {
  const spec = sts["spec"] as { volumeClaimTemplates?: { metadata?: { name?: string } }[] } | undefined;
  const templates = (spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name).filter((n): n is string => n !== undefined);
  if (!templates.length) return [];
  const all = await cluster.list("v1", "PersistentVolumeClaim", sts.metadata.namespace!, "");
  const pattern = new RegExp(`^(${templates.map(escape).join("|")})-${escape(sts.metadata.name)}-\\d+$`);
  return all.filter((c) => pattern.test(c.metadata.name));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function claimInfo(c: KubeObject): VolumeClaim {
  const spec = c["spec"] as { resources?: { requests?: { storage?: string } }; volumeName?: string } | undefined;
  return { name: c.metadata.name, namespace: c.metadata.namespace ?? "", size: spec?.resources?.requests?.storage ?? "?", volume: spec?.volumeName ?? "unbound" };
}

async function waitGone(cluster: Cluster, refs: readonly Ref[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let left = [...refs];
  for (;;) {
    const still: Ref[] = [];
    for (const r of left) if (await cluster.get(r)) still.push(r);
    left = still;
    if (!left.length || Date.now() >= deadline) return left.map(describe);
    await sleep(500);
  }
}

import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { RenderedDocument } from "../pipeline.js";
import { keyOf } from "../plan/inputs.js";
import { objectKey } from "../plan/types.js";
import type { KubeObject } from "../render/object.js";
import { describe, type Cluster, type Ref } from "./client.js";
import { ownerValue, PART_OF, WAVES, waveOf } from "./ownership.js";
import { waitForRollout } from "./rollout.js";
import { runScaleDown, scaleDownsOf, severityWithout, structuralRefusals, withServers } from "./scale-apply.js";
import { asDiagnostic, notOwnedDiagnostics, readState, type LiveOptions, type LiveState } from "./state.js";

export interface ApplyOptions extends LiveOptions {
  dryRun?: boolean;
  allowDisruptive?: boolean;
  /** Take over fields another field manager owns (SSA force). */
  forceConflicts?: boolean;
  /** Bound on the wait for the workloads' rollout. */
  timeoutMs?: number;
  /** Progress lines (the CLI prints them on stderr). */
  progress?: (line: string) => void;
  /**
   * The servers' client URLs, one per server in pod order, for the quorum-safe way of applying a lower
   * replica count of a JetStream cluster (scale-apply.ts). Without them it reaches the servers through
   * the API server's port-forward, unless allowDisruptive asks for the lower count to be applied as is.
   */
  natsUrls?: readonly string[];
  /** A kubernetes.io/tls Secret in the cluster's namespace whose certificate the scale-down's client presents (tls.verifyClients). */
  tlsClientSecret?: string;
  /** The command that goes on after a stopped scale-down, for its message. */
  resume?: string;
}

export interface ApplyResult {
  /** Undefined when the cluster could not be read. */
  state?: LiveState;
  /** Nothing written: the plan was disruptive and not allowed, or objects were someone else's. */
  refused?: "disruptive" | "not-owned" | "scale-down";
  /** The StatefulSets scaled down the quorum-safe way, `namespace/name from -> to`. */
  scaledDown?: string[];
  /** `Kind namespace/name` of every object written, created and deleted, in order. */
  created: string[];
  updated: string[];
  pruned: string[];
  diagnostics: Diagnostic[];
}

/**
 * `natskube apply`: plan against the live objects, refuse what is disruptive unless allowed, then
 * server-side apply the changed objects wave by wave (namespace; Secrets and config; workloads, waited
 * for; NACK's resources), then prune natskube's objects the render no longer holds. Unchanged objects
 * are not written at all.
 */
export async function applyLive(cluster: Cluster, file: string, docs: readonly RenderedDocument[], options: ApplyOptions): Promise<ApplyResult> {
  const result: ApplyResult = { created: [], updated: [], pruned: [], diagnostics: [] };
  const progress = options.progress ?? (() => {});
  const dryRun = options.dryRun === true;
  try {
    const state = await readState(cluster, file, docs, options);
    result.state = state;
    if (state.foreign.length) {
      result.refused = "not-owned";
      result.diagnostics.push(...notOwnedDiagnostics(state.foreign));
      return result;
    }
    const given = options.natsUrls?.length ? options.natsUrls : undefined;
    // Without URLs, down to one server stays the plan's (disruptive) procedure: the safe path needs two or more.
    const scaleDowns = given ? scaleDownsOf(state, docs) : options.allowDisruptive ? [] : scaleDownsOf(state, docs).filter((sd) => sd.to >= 2);
    // The safe path takes over the replica change; anything else disruptive is refused as before.
    const severity = scaleDowns.length ? severityWithout(state.plan) : state.plan.severity;
    if (severity === "disruptive" && !options.allowDisruptive) {
      result.refused = "disruptive";
      return result;
    }
    const structural = scaleDowns.flatMap((sd) => structuralRefusals(state.plan, sd, given, options.tlsClientSecret).map((r) => `${sd.doc.model.namespace}/${sd.sts.metadata.name}: ${r}`));
    if (structural.length) {
      result.refused = "scale-down";
      result.diagnostics.push(...structural.map((r) => ({ code: "scale-down-refused" as const, severity: "error" as const, path: "", message: `quorum-safe scale-down refused: ${r}`, hint: "Nothing was written." })));
      return result;
    }
    for (const sd of scaleDowns) {
      const ds = await withServers(cluster, sd, given, (reach) =>
        runScaleDown(cluster, sd, {
          ...reach,
          dryRun,
          timeoutMs: options.timeoutMs ?? 300_000,
          progress,
          ...(options.tlsClientSecret ? { tlsClientSecret: options.tlsClientSecret } : {}),
          resume: options.resume ?? `natskube apply ${file}${given ? " --nats-url ... (the same URLs)" : ""}`,
        }),
      );
      if (ds.length) {
        if (ds.every((d) => d.code === "scale-down-refused")) result.refused = "scale-down";
        result.diagnostics.push(...ds);
        return result;
      }
      if (!dryRun) (result.scaledDown ??= []).push(`${sd.doc.model.namespace}/${sd.sts.metadata.name} ${sd.from} -> ${sd.to}`);
    }
    const action = new Map(state.plan.objects.map((o) => [objectKey(o.ref), o.action]));
    // A namespace the render does not hold (no createNamespace) is created, labelled as natskube's.
    for (const ns of state.missingNamespaces.filter((n) => !state.desired.some((o) => o.kind === "Namespace" && o.metadata.name === n))) {
      const o: KubeObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { [PART_OF]: ownerOfNamespace(docs, ns) } } };
      await cluster.apply(o, { dryRun, force: false });
      result.created.push(describe(o as Ref));
      progress(`${dryRun ? "would create" : "created"} ${describe(o as Ref)}`);
      if (dryRun) progress(`${describe(o as Ref)} does not exist yet: a dry run cannot have the API server check the objects in it`);
    }
    for (const wave of WAVES) {
      const rollouts: Ref[] = [];
      for (const o of state.desired.filter((d) => waveOf(d) === wave)) {
        const act = action.get(keyOf(o));
        if (act === undefined) continue;
        // A dry run cannot place objects in a namespace it only pretended to create.
        if (dryRun && o.metadata.namespace !== undefined && state.missingNamespaces.includes(o.metadata.namespace)) {
          (act === "create" ? result.created : result.updated).push(describe(o as Ref));
          continue;
        }
        await cluster.apply(o, { dryRun, force: options.forceConflicts === true || options.takeOwnership === true });
        (act === "create" ? result.created : result.updated).push(describe(o as Ref));
        progress(`${dryRun ? "would " : ""}${act === "create" ? (dryRun ? "create" : "created") : dryRun ? "update" : "updated"} ${describe(o as Ref)}`);
        if (wave === "workloads") rollouts.push(o as Ref);
      }
      if (!dryRun && rollouts.length) {
        progress(`waiting for ${rollouts.map(describe).join(", ")} to roll out (every pod updated and Ready)`);
        const late = await waitForRollout(cluster, rollouts, options.timeoutMs ?? 300_000, progress);
        if (late.length) {
          result.diagnostics.push({
            code: "rollout-timeout",
            severity: "error",
            path: "",
            message: `not rolled out within ${Math.round((options.timeoutMs ?? 300_000) / 1000)} s: ${late.join("; ")}`,
            hint: `Applied so far: ${result.created.length} created, ${result.updated.length} updated; the JetStream resources and prune were not applied. Apply again to go on (kubectl rollout status shows the rollout).`,
          });
          return result;
        }
      }
    }
    // Prune: deepest first, the reverse of the waves (NACK's resources while the controller still runs).
    for (const wave of [...WAVES].reverse())
      for (const o of state.orphans.filter((x) => waveOf(x) === wave)) {
        if (await cluster.remove(o as Ref, { dryRun, propagation: "Background" })) {
          result.pruned.push(describe(o as Ref));
          progress(`${dryRun ? "would delete" : "deleted"} ${describe(o as Ref)} (natskube applied it; the render no longer holds it)`);
        }
      }
  } catch (e) {
    result.diagnostics.push(asDiagnostic(e));
  }
  return result;
}

function ownerOfNamespace(docs: readonly RenderedDocument[], ns: string): string {
  const d = docs.find((x) => x.model.namespace === ns)!;
  return ownerValue(d.model.namespace, d.model.name);
}

import type { KubeObject } from "../render/object.js";
import { describe, type Cluster, type Ref } from "./client.js";

interface WorkloadStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
}

/** One line of how far a workload's rollout is, and whether it is done. */
export function rolloutState(o: KubeObject): { done: boolean; line: string } {
  const want = (o["spec"] as { replicas?: number } | undefined)?.replicas ?? 1;
  const s = (o["status"] ?? {}) as WorkloadStatus;
  const generation = (o.metadata as { generation?: number }).generation ?? 0;
  const observed = (s.observedGeneration ?? 0) >= generation;
  const updated = s.updatedReplicas ?? 0;
  const ready = s.readyReplicas ?? 0;
  const total = s.replicas ?? 0;
  let done = observed && updated === want && ready === want && total === want;
  // A StatefulSet is rolled out when every pod runs the update revision (the controller then makes it current).
  if (o.kind === "StatefulSet") done &&= s.updateRevision !== undefined && s.currentRevision === s.updateRevision;
  if (o.kind === "Deployment") done &&= (s.availableReplicas ?? 0) === want;
  const line = `${describe(o as Ref)}: ${updated}/${want} updated, ${ready}/${want} ready${total > want ? `, ${total - want} old still running` : ""}${observed ? "" : " (change not yet seen by its controller)"}`;
  return { done, line };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until every workload has rolled out: all pods updated and Ready. Reports each change of state
 * through `progress`. Returns the workloads that were not done by the deadline, with their last state.
 */
export async function waitForRollout(cluster: Cluster, workloads: readonly Ref[], timeoutMs: number, progress: (line: string) => void, pollMs = 1000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const last = new Map<string, string>();
  let pending = [...workloads];
  for (;;) {
    const still: Ref[] = [];
    for (const w of pending) {
      const live = await cluster.get(w);
      if (!live) continue;
      const { done, line } = rolloutState(live);
      if (last.get(describe(w)) !== line) progress(done ? `${line}: rolled out` : line);
      last.set(describe(w), line);
      if (!done) still.push(w);
    }
    pending = still;
    if (pending.length === 0) return [];
    if (Date.now() >= deadline) return pending.map((w) => last.get(describe(w)) ?? describe(w));
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
}

import type { ClusterFacts } from "./facts.js";
import type { Severity } from "./types.js";

export interface RestartImpact {
  severity: Severity;
  /** Restart order, e.g. "nats-2, nats-1, nats-0". */
  order: string;
  quorum: string;
  details: string[];
  /** The restart loses data (the only copy of MEMORY streams). */
  dataLoss: boolean;
}

export const majority = (n: number): number => Math.floor(n / 2) + 1;

/**
 * What restarting the running servers (OLD) one by one does. A StatefulSet RollingUpdate replaces pods
 * from the highest ordinal down, one at a time, and waits for each to be Ready before the next. RAFT
 * needs a majority of the meta group to stay up.
 *
 * That holds when every pod is Ready at the start. With podManagementPolicy Parallel (which natskube
 * keeps: a lone first pod never passes its /healthz startup probe, which needs a meta leader, so
 * OrderedReady would never start the second; and the field is immutable) a pod that is already down
 * does not hold the rollout back: Kubernetes 1.37 (MaxUnavailableStatefulSet) deletes it, recreates it
 * at the old template, again and again, and meanwhile replaces the next pod; measured on the kube
 * tier's control plane, 2 of 3 servers were down. Older releases replace the highest ordinal whatever
 * the others' state. Hence the check before applying (allReadyFirst).
 */
export function restartImpact(f: ClusterFacts): RestartImpact {
  const n = f.replicas;
  const ordinals: number[] = [];
  for (let i = n - 1; i >= f.partition; i--) ordinals.push(i);
  const order = ordinals.map((i) => `${f.name}-${i}`).join(", ");
  const down = Math.max(1, f.maxUnavailable);
  const up = n - down;
  const js = f.jetstream !== "off";
  const details = [
    f.updateStrategy === "OnDelete"
      ? `updateStrategy OnDelete: nothing restarts until you delete the pods; delete them one at a time in this order, waiting for Ready: ${order}`
      : `Order: ${order} (highest ordinal first, ${down === 1 ? "one at a time" : `${down} at a time`}, each waiting for the previous to be Ready).`,
    "Each server enters lame duck mode before it stops (preStop), so clients move to the other servers.",
    "If a restarted server never becomes Ready, the rollout stops there; the remaining servers keep the old pod template.",
  ];
  if (f.partition > 0) details.push(`rollingUpdate.partition ${f.partition}: ordinals below it keep the old template.`);
  if (f.parallel && n > 1 && f.updateStrategy === "RollingUpdate")
    details.push(
      `Start only with all ${n} servers Ready: with podManagementPolicy Parallel, a server already down does not stop the rollout, which replaces the next one as well (2 of 3 down, the meta group without a majority).`,
    );
  let severity: Severity;
  let quorum: string;
  let dataLoss = false;
  if (n === 1) {
    severity = "disruptive";
    quorum = "full outage: the only server restarts; every client is disconnected until it is back";
    if (f.jetstream === "MEMORY") {
      dataLoss = true;
      details.push("JetStream MEMORY storage on a single server: every message is lost at the restart.");
    }
  } else if (!js) {
    severity = "attention";
    quorum = `no JetStream: ${up} of ${n} servers keep serving while one restarts`;
  } else if (up >= majority(n)) {
    severity = "attention";
    quorum = `quorum holds: ${up} of ${n} servers stay up, the meta group needs ${majority(n)}`;
  } else {
    severity = "disruptive";
    quorum = `no quorum while a server restarts: ${up} of ${n} stay up, the meta group needs ${majority(n)}; the JetStream API and replicated streams stall during each restart`;
  }
  if (n > 1 && f.jetstream === "MEMORY")
    details.push("MEMORY streams: R1 streams on each restarted server lose their messages; replicated streams resync from their peers.");
  return { severity, order, quorum, details, dataLoss };
}

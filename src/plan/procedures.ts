import { jsClaimName, PORTS } from "../model/model.js";
import { pods, type ClusterFacts } from "./facts.js";

// Step-by-step procedures, with the exact commands for this cluster. Steps are plain text lines:
// "what and why: command", so they read in a terminal and copy into a runbook.

export const applyStep = (newFile: string): string =>
  `Apply NEW: natskube render ${newFile} | kubectl apply -f -   (or sync your GitOps tool)`;

/** `nats ...` run from the cluster's nats-box when there is one. */
export function natsCmd(f: ClusterFacts, args: string): string {
  return f.natsBox ? `kubectl exec -n ${f.namespace} deploy/${f.natsBox} -- nats ${args}` : `nats ${args}   (from a pod with the nats CLI and this cluster's credentials)`;
}

export const selector = (f: ClusterFacts): string =>
  Object.entries(f.selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

export const rolloutStatus = (f: ClusterFacts): string =>
  `Follow it: kubectl rollout status statefulset/${f.name} -n ${f.namespace} --timeout=30m`;

/**
 * Before anything restarts the servers: every one Ready. With podManagementPolicy Parallel the
 * StatefulSet controller replaces the next pod even while another is down (see restartImpact), so
 * the rollout must start from all servers Ready; `kubectl wait` fails when one is not.
 */
export function allReadyFirst(f: ClusterFacts): string[] {
  if (f.replicas < 2 || f.updateStrategy === "OnDelete") return [];
  return [`First check that all ${f.replicas} servers are Ready (if this fails, fix that server before applying): kubectl wait pod -n ${f.namespace} -l ${selector(f)} --for=condition=Ready --timeout=2m`];
}

export function rolloutRestart(f: ClusterFacts): string[] {
  return [...allReadyFirst(f), `Restart the servers one at a time: kubectl rollout restart statefulset/${f.name} -n ${f.namespace}`, rolloutStatus(f)];
}

export const claimName = (f: ClusterFacts, i: number): string => jsClaimName(`${f.name}-${i}`);

function storageClassCheck(storageClass: string | undefined): string[] {
  const cls = storageClass ?? "<default class>";
  return [
    ...(storageClass ? [] : ["Find the default StorageClass (marked \"(default)\"): kubectl get storageclass"]),
    `Check that it allows expansion (must print true): kubectl get storageclass ${cls} -o jsonpath='{.allowVolumeExpansion}'`,
  ];
}

/**
 * volumeClaimTemplates (and the other fixed StatefulSet fields) cannot be updated: delete the StatefulSet
 * without its pods (they keep serving), create it again from NEW, then grow each existing PVC.
 */
export function orphanRecreate(oldF: ClusterFacts, newFile: string, grow?: { size: string; storageClass?: string | undefined }): string[] {
  const steps = [
    ...(grow ? storageClassCheck(grow.storageClass) : []),
    ...(grow ? ["If it prints false or nothing, stop: the PVCs cannot grow in place (see the migration procedure in docs/plan.md)."] : []),
    `Delete the StatefulSet only, keeping its pods running and its PVCs: kubectl delete statefulset ${oldF.name} -n ${oldF.namespace} --cascade=orphan`,
    applyStep(newFile),
  ];
  if (grow) {
    for (let i = 0; i < oldF.replicas; i++)
      steps.push(
        `Grow ${claimName(oldF, i)}: kubectl patch pvc ${claimName(oldF, i)} -n ${oldF.namespace} -p '{"spec":{"resources":{"requests":{"storage":"${grow.size}"}}}}'`,
      );
    steps.push(
      `Wait until every PVC reports the new capacity (a FileSystemResizePending condition clears when its pod restarts): kubectl get pvc -n ${oldF.namespace} -l ${selector(oldF)}`,
      ...rolloutRestart(oldF).map((s) => `${s}`),
    );
  } else steps.push(rolloutStatus(oldF));
  return steps;
}

/** The meta group as the leader's monitoring endpoint reports it (`meta_cluster.cluster_size`, `leader`). */
export const metaCheck = (f: ClusterFacts, expect: string): string =>
  `Check the JetStream meta group (${expect}): kubectl exec -n ${f.namespace} ${f.name}-0 -c nats -- wget -qO- http://localhost:${PORTS.monitor}/jsz`;

/**
 * `nats server raft peer-remove` asks the meta leader through the system account; natskube's TOKEN and
 * BASIC auth define no system-account user. The raw JetStream API request from the default account is
 * the fallback; late 2.10 and newer servers honour peer-remove only from the system account.
 */
export function peerRemove(f: ClusterFacts, server: string): string {
  return `Remove ${server} from the RAFT meta group, as a system-account user: ${natsCmd(f, `server raft peer-remove ${server} -f`)}   (without a system-account user: ${natsCmd(f, `req '$JS.API.SERVER.REMOVE' '{"peer":"${server}"}'`)})`;
}

/** Scale down one server at a time, removing each from the JetStream meta group while the rest keep quorum. */
export function scaleDown(oldF: ClusterFacts, to: number, newFile: string): string[] {
  const departing = pods(oldF, to, oldF.replicas).reverse();
  const steps = [
    "Pause automatic sync in your GitOps tool for this StatefulSet while you scale by hand.",
    `See where stream replicas live: ${natsCmd(oldF, "stream report")}`,
    `Streams with more replicas than ${to} servers must shrink first: ${natsCmd(oldF, `stream edit <stream> --replicas ${Math.min(to, 3)}`)}`,
    `Move replicas off the departing servers (${departing.join(", ")}); R1 streams there are lost otherwise: ${natsCmd(oldF, "stream cluster peer-remove <stream> <server>")}`,
  ];
  let n = oldF.replicas;
  for (const server of departing) {
    n--;
    steps.push(
      `Stop ${server}: kubectl scale statefulset ${oldF.name} -n ${oldF.namespace} --replicas ${n} && kubectl wait --for=delete pod/${server} -n ${oldF.namespace} --timeout=5m`,
      peerRemove(oldF, server),
      metaCheck(oldF, `cluster_size ${n} and a leader`),
    );
  }
  steps.push(
    applyStep(newFile),
    `Delete the departed servers' volumes (a later scale-up would otherwise reuse their stale RAFT state): ${departing
      .map((p) => `kubectl delete pvc ${jsClaimName(p)} -n ${oldF.namespace}`)
      .join(" && ")}`,
  );
  return steps;
}

/** The seed: never scale a live JetStream cluster 1 -> N. */
export function newClusterMigrate(oldF: ClusterFacts, target: string): string[] {
  return [
    `Safest: create a new cluster with ${target} beside this one (another metadata.name, e.g. ${oldF.name}-v2), render and apply it.`,
    `Back up each stream from the old server: ${natsCmd(oldF, "stream backup <stream> /tmp/backup/<stream>")} (then kubectl cp the directory out of the pod)`,
    "Restore each stream into the new cluster with the replicas you want: nats stream restore /tmp/backup/<stream> --replicas 3   (against the new cluster)",
    "Move publishers and consumers to the new cluster's Service; delete the old cluster when it is idle.",
  ];
}

export function scaleUpFromOne(oldF: ClusterFacts, to: number, newFile: string): string[] {
  return [
    ...newClusterMigrate(oldF, `${to} replicas`),
    "If you must scale in place: back up every stream first (as above), stop publishers, then:",
    applyStep(newFile),
    metaCheck(oldF, `wait for cluster_size ${to} and a leader`),
    `Then raise each stream's replicas one by one and check it: ${natsCmd(oldF, "stream edit <stream> --replicas 3")} ; ${natsCmd(oldF, "stream info <stream>")}`,
  ];
}

/** Every server restarts together: no mixed period, a short full outage. */
export function allAtOnce(oldF: ClusterFacts, newFile: string): string[] {
  return [
    "Plan a short full outage: all servers restart together (JetStream data stays on the volumes).",
    applyStep(newFile),
    `Restart every server at once, so old and new settings never overlap: kubectl delete pod -n ${oldF.namespace} -l ${selector(oldF)}`,
    rolloutStatus(oldF),
    metaCheck(oldF, "a leader and every server current"),
  ];
}

/** Route TLS cannot be mixed: plain and TLS servers cannot route to each other. */
export function routeTlsSwitch(oldF: ClusterFacts, newFile: string, on: boolean): string[] {
  return [
    ...(on ? [`Make sure the certificate Secret exists and its SANs cover *.${oldF.name}-headless (and the FQDN form): kubectl get secret -n ${oldF.namespace}`] : []),
    ...allAtOnce(oldF, newFile),
    "Alternative without a full stop: let the rollout run; each restarted server is cut off from the old ones until more than half have restarted, and the rollout stalls on the first server whose readiness needs the meta leader. Only with replicas >= 5 and idle JetStream.",
  ];
}

export function deleteRecreate(kind: string, name: string, namespace: string, newFile: string, effect: string): string[] {
  return [`Delete it (${effect}): kubectl delete ${kind.toLowerCase()} ${name}${namespace ? ` -n ${namespace}` : ""}`, applyStep(newFile)];
}

// The Kubernetes half of `natskube status`: the render's objects as the cluster holds them, the NATS
// pods and their volume claims. Pure: what was read in, findings out (same shape as the NATS half).
import { jsClaimName, type Model } from "../model/model.js";
import type { ObjectPlan } from "../plan/types.js";
import type { KubeObject } from "../render/object.js";
import { parseQuantity } from "../spec/quantity.js";
import type { Finding } from "./findings.js";

/** What status reads from the API server. */
export interface KubeView {
  /** The plan of the render over the live objects (natskube diff's). */
  objects: readonly ObjectPlan[];
  pods: readonly KubeObject[];
  claims: readonly KubeObject[];
  /** Node name -> its topology.kubernetes.io/zone. */
  zones: ReadonlyMap<string, string>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- pod and claim status, read as the API returns them */
type Any = any;

const ZONE = "topology.kubernetes.io/zone";

export function zoneOf(node: KubeObject): string | undefined {
  return node.metadata.labels?.[ZONE];
}

/** A pod as status shows it: Ready or not, its node and that node's zone. */
export interface PodLine {
  name: string;
  ready: boolean;
  node?: string;
  zone?: string;
}

export function podLine(pod: KubeObject, zones: ReadonlyMap<string, string>): PodLine {
  const p = pod as Any;
  const node: string | undefined = p.spec?.nodeName;
  const zone = node ? zones.get(node) : undefined;
  const ready = (p.status?.conditions ?? []).some((c: Any) => c.type === "Ready" && c.status === "True");
  return { name: pod.metadata.name, ready, ...(node ? { node } : {}), ...(zone ? { zone } : {}) };
}

export function kubeFindings(model: Model, file: string, view: KubeView): Finding[] {
  const out: Finding[] = [];
  const ns = model.namespace;
  const refOf = (o: ObjectPlan) => `${o.ref.kind} ${o.ref.namespace ? `${o.ref.namespace}/` : ""}${o.ref.name}`;
  for (const o of view.objects) {
    if (o.action === "create") out.push({ severity: "error", code: "object-missing", subject: refOf(o), message: `${refOf(o)} is in the render but not in the cluster`, fix: `natskube apply ${file}` });
    else if (o.action === "update")
      out.push({ severity: "warning", code: "object-drift", subject: refOf(o), message: `${refOf(o)} differs from the render: ${o.fields.length} field${o.fields.length === 1 ? "" : "s"} (${o.fields.slice(0, 3).map((f) => f.path).join(", ")}${o.fields.length > 3 ? ", ..." : ""})`, fix: `natskube diff ${file}, then natskube apply ${file}` });
    else out.push({ severity: "warning", code: "object-left-over", subject: refOf(o), message: `${refOf(o)} was applied by natskube and is no longer in the render`, fix: `natskube apply ${file} (prunes it)` });
  }

  const pods = new Map(view.pods.map((p) => [p.metadata.name, p as Any]));
  const byNode = new Map<string, string[]>();
  for (const name of model.pods) {
    const pod = pods.get(name);
    if (!pod) {
      out.push({ severity: "error", code: "pod-missing", subject: name, message: `pod ${name} does not exist`, fix: `kubectl -n ${ns} describe statefulset ${model.names.statefulSet}; kubectl -n ${ns} get events --sort-by=.lastTimestamp` });
      continue;
    }
    const { node, ready } = podLine(pod, view.zones);
    if (node) byNode.set(node, [...(byNode.get(node) ?? []), name]);
    const nats = (pod.status?.containerStatuses ?? []).find((c: Any) => c.name === "nats");
    if (!ready) {
      const waiting = nats?.state?.waiting?.reason;
      out.push({
        severity: "error",
        code: "pod-not-ready",
        subject: name,
        message: `pod ${name} is not Ready (${pod.status?.phase ?? "no phase"}${waiting ? `, nats ${waiting}` : ""}${node ? `, on ${node}` : ", not scheduled"})`,
        fix: `kubectl -n ${ns} describe pod ${name}; kubectl -n ${ns} logs ${name} -c nats --previous`,
      });
    }
    const last = nats?.lastState?.terminated?.reason;
    if (last === "OOMKilled")
      out.push({ severity: "warning", code: "pod-oom-killed", subject: name, message: `the nats container of ${name} was OOM-killed (${nats.restartCount} restart${nats.restartCount === 1 ? "" : "s"})`, fix: "raise spec.resources.limits.memory (natskube sets GOMEMLIMIT and max_memory_store from it), or lower the memory streams' max_bytes" });
  }
  for (const [node, names] of byNode)
    if (names.length > 1) out.push({ severity: "warning", code: "pods-share-node", subject: node, message: `${names.join(", ")} run on one node, ${node}: losing it loses ${names.length} servers at once`, fix: "spec.antiAffinity REQUIRED, or more nodes" });
  const zones = new Set([...byNode.keys()].map((n) => view.zones.get(n)).filter((z) => z !== undefined));
  const zonesInCluster = new Set(view.zones.values());
  if (model.pods.length > 1 && zones.size === 1 && zonesInCluster.size > 1)
    out.push({ severity: "warning", code: "pods-share-zone", subject: [...zones][0]!, message: `every NATS pod runs in zone ${[...zones][0]}, while the nodes span ${zonesInCluster.size} zones`, fix: "topology spread constraints by zone (natskube renders them), then a rolling restart" });

  if (model.jetstream.enabled && model.jetstream.mode === "FILE") {
    const claims = new Map(view.claims.map((c) => [c.metadata.name, c as Any]));
    const wanted = parseQuantity(model.jetstream.pvcSize ?? "") ?? 0;
    for (const pod of model.pods) {
      const name = jsClaimName(pod);
      const claim = claims.get(name);
      if (!claim) {
        if (pods.has(pod)) out.push({ severity: "error", code: "claim-missing", subject: name, message: `volume claim ${name} of ${pod} does not exist`, fix: `kubectl -n ${ns} describe pod ${pod}` });
        continue;
      }
      if (claim.status?.phase !== "Bound") {
        out.push({ severity: "error", code: "claim-not-bound", subject: name, message: `volume claim ${name} is ${claim.status?.phase ?? "Pending"}: ${pod} cannot start`, fix: `kubectl -n ${ns} describe pvc ${name} (storage class, capacity, zone of the volume)` });
        continue;
      }
      const capacity = parseQuantity(claim.status?.capacity?.storage ?? "") ?? 0;
      if (wanted > 0 && capacity > 0 && capacity < wanted)
        out.push({ severity: "warning", code: "claim-smaller", subject: name, message: `volume claim ${name} holds ${claim.status.capacity.storage}, the render asks ${model.jetstream.pvcSize}`, fix: "natskube plan shows the resize procedure (volumeClaimTemplates cannot change in place)" });
    }
  }
  return out;
}

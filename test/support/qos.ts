// A pod's QoS class exactly as Kubernetes computes it (kubernetes/kubernetes
// pkg/apis/core/helper/qos/qos.go ComputePodQOS), on the pod as the API server stores it: a container
// limit without a request has the request defaulted to the limit (core/v1 defaults). Sums per pod,
// init containers included; only CPU and memory count.
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { parseQuantity } from "../../src/spec/quantity.js";

export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";
const SUPPORTED = ["cpu", "memory"];

function quantity(q: unknown): number {
  const v = parseQuantity(String(q));
  if (v === undefined) throw new Error(`not a quantity: ${String(q)}`);
  return v;
}

/** core/v1 SetDefaults_Pod: each limit without a request becomes the request. */
function defaulted(c: IContainer): { requests: Record<string, unknown>; limits: Record<string, unknown> } {
  const limits = { ...(c.resources?.limits ?? {}) } as Record<string, unknown>;
  const requests = { ...limits, ...(c.resources?.requests ?? {}) } as Record<string, unknown>;
  return { requests, limits };
}

export function podQos(pod: IPodSpec): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
    const r = defaulted(c);
    for (const [name, q] of Object.entries(r.requests)) {
      if (!SUPPORTED.includes(name)) continue;
      const v = quantity(q);
      if (v > 0) requests.set(name, (requests.get(name) ?? 0) + v);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(r.limits)) {
      if (!SUPPORTED.includes(name)) continue;
      const v = quantity(q);
      if (v > 0) {
        found.add(name);
        limits.set(name, (limits.get(name) ?? 0) + v);
      }
    }
    if (!SUPPORTED.every((k) => found.has(k))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  if (guaranteed) for (const [name, req] of requests) if (limits.get(name) !== req) guaranteed = false;
  return guaranteed && requests.size === limits.size ? "Guaranteed" : "Burstable";
}

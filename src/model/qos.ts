import { parseQuantity } from "../spec/quantity.js";
import type { Spec } from "../spec/types.js";

/**
 * Whether the NATS pods are meant to be Guaranteed: the nats container's requests equal its limits for
 * both CPU and memory. Kubernetes grants Guaranteed QoS per pod, only when every container does the
 * same, so the sidecars follow this choice (render/pod/sidecar-resources.ts).
 */
export function guaranteedQos(spec: Spec): boolean {
  const r = spec.resources;
  return (["cpu", "memory"] as const).every((k) => {
    const req = r?.requests?.[k] ?? r?.limits?.[k]; // the API server defaults a missing request to the limit
    const lim = r?.limits?.[k];
    if (req === undefined || lim === undefined) return false;
    const [a, b] = [parseQuantity(req), parseQuantity(lim)];
    return a !== undefined && a > 0 && a === b;
  });
}

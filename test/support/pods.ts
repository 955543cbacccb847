// Pod specs inside rendered objects, found by shape, for the checks every pod must pass (Pod
// Security, QoS).
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { KubeObject } from "../../src/render/object.js";

export interface FoundPod {
  where: string;
  spec: IPodSpec;
  annotations: Record<string, string>;
  /** The workload keeps data on PersistentVolumeClaims (StatefulSet volumeClaimTemplates). */
  claims: boolean;
}

/** Every pod spec inside the objects, found by shape (an object with `containers`), so new kinds are covered without edits. */
export function podSpecs(objects: readonly KubeObject[]): FoundPod[] {
  const out: FoundPod[] = [];
  const walk = (v: unknown, where: string, o: KubeObject, annotations: Record<string, string>): void => {
    if (!v || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${where}[${i}]`, o, annotations));
    const rec = v as Record<string, unknown>;
    if (Array.isArray(rec["containers"])) {
      const claims = Array.isArray((o as { spec?: { volumeClaimTemplates?: unknown[] } }).spec?.volumeClaimTemplates);
      out.push({ where, spec: rec as unknown as IPodSpec, annotations, claims });
      return;
    }
    for (const [k, x] of Object.entries(rec)) {
      const meta = (rec["metadata"] as { annotations?: Record<string, string> } | undefined)?.annotations;
      walk(x, `${where}.${k}`, o, k === "spec" && meta ? meta : annotations);
    }
  };
  for (const o of objects) walk(o, `${o.kind}/${o.metadata.name}`, o, {});
  return out;
}


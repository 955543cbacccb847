import type { IAffinity } from "kubernetes-models/v1/Affinity";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import type { Model } from "../../model/model.js";

type Scheduling = Pick<IPodSpec, "affinity" | "topologySpreadConstraints" | "nodeSelector" | "tolerations" | "priorityClassName">;

/** Keeps one node failure from taking more than one server (a RAFT majority survives). */
export function affinity(m: Model): IAffinity | undefined {
  const s = m.spec.scheduling;
  if (s.affinity) return s.affinity as IAffinity;
  if (!m.clustered || s.antiAffinity === "NONE") return undefined;
  const term = { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: m.selectorLabels } };
  return s.antiAffinity === "REQUIRED"
    ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }
    : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
}

export function topologySpread(m: Model): ITopologySpreadConstraint[] | undefined {
  if (!m.clustered || !m.spec.scheduling.topologySpread) return undefined;
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      // Soft: clusters with fewer zones than servers still schedule every pod.
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: m.selectorLabels },
    },
  ];
}

export function scheduling(m: Model): Scheduling {
  const s = m.spec.scheduling;
  const aff = affinity(m);
  const spread = topologySpread(m);
  return {
    ...(aff ? { affinity: aff } : {}),
    ...(spread ? { topologySpreadConstraints: spread } : {}),
    ...(s.nodeSelector ? { nodeSelector: s.nodeSelector } : {}),
    ...(s.tolerations ? { tolerations: s.tolerations as IPodSpec["tolerations"] } : {}),
    ...(s.priorityClassName ? { priorityClassName: s.priorityClassName } : {}),
  };
}

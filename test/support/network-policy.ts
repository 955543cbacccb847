// Whether a pod may connect to another on a port, as the Kubernetes NetworkPolicy API defines it
// (networking.k8s.io/v1; kubernetes.io/docs/concepts/services-networking/network-policies): a pod
// selected by no Ingress policy takes everything; otherwise a connection needs one rule of one
// selecting policy whose ports include the port and whose `from` matches the source. Pods only:
// ipBlock peers never match a pod in this model (sources here are pods). Named ports are not used
// by natskube's policies and are refused.
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { ILabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector";

export interface Pod {
  namespace: string;
  labels: Record<string, string>;
  /** Besides kubernetes.io/metadata.name, which every namespace has. */
  namespaceLabels?: Record<string, string>;
}

export function selects(sel: ILabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const inValues = has && (e.values ?? []).includes(labels[e.key]!);
    const ok = { In: inValues, NotIn: !inValues, Exists: has, DoesNotExist: !has }[e.operator as "In"];
    if (ok === undefined) throw new Error(`unknown operator ${e.operator}`);
    if (!ok) return false;
  }
  return true;
}

const nsLabels = (p: Pod) => ({ ...p.namespaceLabels, "kubernetes.io/metadata.name": p.namespace });

export function allowed(policies: readonly INetworkPolicy[], from: Pod, to: Pod, port: number): boolean {
  const selecting = policies.filter(
    (np) => np.metadata?.namespace === to.namespace && (np.spec?.policyTypes ?? ["Ingress"]).includes("Ingress") && selects(np.spec?.podSelector, to.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((np) =>
    (np.spec?.ingress ?? []).some((rule) => {
      const ports = rule.ports ?? [];
      const portOk =
        ports.length === 0 ||
        ports.some((p) => {
          if (typeof p.port === "string") throw new Error(`named port ${p.port} not modelled`);
          return (p.protocol ?? "TCP") === "TCP" && (p.port === undefined || (p.endPort !== undefined ? port >= p.port && port <= p.endPort : p.port === port));
        });
      if (!portOk) return false;
      const peers = rule.from ?? [];
      if (peers.length === 0) return true;
      return peers.some((peer) => {
        if (peer.ipBlock) return false;
        const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, nsLabels(from)) : from.namespace === np.metadata?.namespace;
        const podOk = peer.podSelector ? selects(peer.podSelector, from.labels) : true;
        return nsOk && podOk;
      });
    }),
  );
}

import { createHash } from "node:crypto";
import type { KubeObject } from "../render/object.js";

/**
 * The label natskube's apply puts on every object it writes, valued with the KubernetesNats it
 * rendered them from: prune and delete touch only objects carrying it with that value, never an
 * object someone else made with the same name.
 */
export const PART_OF = "natskube.io/part-of";

/** `NAME.NAMESPACE` of the KubernetesNats, shortened with a hash where a label value (63) is too short. */
export function ownerValue(namespace: string, name: string): string {
  const v = `${name}.${namespace}`;
  if (v.length <= 63) return v;
  return `${v.slice(0, 52).replace(/[^A-Za-z0-9]+$/, "")}-${createHash("sha256").update(v).digest("hex").slice(0, 10)}`;
}

export function withOwner(o: KubeObject, owner: string): KubeObject {
  return { ...o, metadata: { ...o.metadata, labels: { ...(o.metadata.labels ?? {}), [PART_OF]: owner } } };
}

/**
 * Whose an existing object is: natskube's for this cluster (the label), an earlier render of the same
 * cluster applied by hand (`kubectl apply --server-side` of natskube's output: managed-by natskube, same
 * instance), or someone else's.
 */
export function ownerOf(live: KubeObject, owner: string, instance: string): "ours" | "adoptable" | "foreign" {
  const labels = live.metadata.labels ?? {};
  if (labels[PART_OF] === owner) return "ours";
  if (labels[PART_OF] === undefined && labels["app.kubernetes.io/managed-by"] === "natskube" && labels["app.kubernetes.io/instance"] === instance) return "adoptable";
  return "foreign";
}

/** The order of apply: CRDs and namespaces, then Secrets and config, then workloads, then NACK's resources. */
export type Wave = "namespace" | "config" | "workloads" | "jetstream";
export const WAVES: readonly Wave[] = ["namespace", "config", "workloads", "jetstream"];

export function waveOf(o: { apiVersion: string; kind: string }): Wave {
  if (o.kind === "Namespace" || o.kind === "CustomResourceDefinition") return "namespace";
  if (o.kind === "StatefulSet" || o.kind === "Deployment") return "workloads";
  if (o.apiVersion.startsWith("jetstream.nats.io/")) return "jetstream";
  return "config";
}

/** Every kind natskube renders (besides those in a render at hand): where prune and delete look for its objects. */
export const KNOWN_KINDS: readonly { apiVersion: string; kind: string }[] = [
  ["v1", "ConfigMap"],
  ["v1", "Secret"],
  ["v1", "Service"],
  ["v1", "ServiceAccount"],
  ["apps/v1", "StatefulSet"],
  ["apps/v1", "Deployment"],
  ["policy/v1", "PodDisruptionBudget"],
  ["networking.k8s.io/v1", "NetworkPolicy"],
  ["networking.k8s.io/v1", "Ingress"],
  ["rbac.authorization.k8s.io/v1", "Role"],
  ["rbac.authorization.k8s.io/v1", "RoleBinding"],
  ["monitoring.coreos.com/v1", "PodMonitor"],
  ["monitoring.coreos.com/v1", "ServiceMonitor"],
  ["monitoring.coreos.com/v1", "PrometheusRule"],
  ["cert-manager.io/v1", "Certificate"],
  ["cert-manager.io/v1", "Issuer"],
  ["jetstream.nats.io/v1beta2", "Stream"],
  ["jetstream.nats.io/v1beta2", "Consumer"],
  ["jetstream.nats.io/v1beta2", "KeyValue"],
  ["jetstream.nats.io/v1beta2", "ObjectStore"],
  ["jetstream.nats.io/v1beta2", "Account"],
].map(([apiVersion, kind]) => ({ apiVersion: apiVersion!, kind: kind! }));

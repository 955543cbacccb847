import type { Model } from "../model/model.js";

/**
 * The metadata natskube writes: the part of Kubernetes' ObjectMeta it uses, declared here because the
 * published type definitions may name no type package that users do not install (kubernetes-models is a
 * dev dependency; the renderers still check their objects against it).
 */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Any rendered Kubernetes object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string };
  [key: string]: unknown;
}

/** Metadata of a namespaced object of this cluster. */
export function objectMeta(m: Model, name: string, labels: Record<string, string> = m.labels): ObjectMeta & { name: string; namespace: string } {
  return {
    name,
    namespace: m.namespace,
    labels,
    ...(Object.keys(m.annotations).length ? { annotations: m.annotations } : {}),
  };
}

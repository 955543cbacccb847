import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import type { Model } from "../model/model.js";

/** Any rendered Kubernetes object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: IObjectMeta & { name: string };
  [key: string]: unknown;
}

/** Metadata of a namespaced object of this cluster. */
export function objectMeta(m: Model, name: string, labels: Record<string, string> = m.labels): IObjectMeta & { name: string; namespace: string } {
  return {
    name,
    namespace: m.namespace,
    labels,
    ...(Object.keys(m.annotations).length ? { annotations: m.annotations } : {}),
  };
}

import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { Model } from "../model/model.js";

export function namespace(m: Model): INamespace | undefined {
  if (!m.spec.createNamespace) return undefined;
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: m.namespace, labels: m.moduleLabels } };
}

import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { Model } from "../model/model.js";
import { objectMeta } from "./object.js";

/** One server down at a time keeps a RAFT majority for 3 or more; with 1 replica it still lets nodes drain. */
export function podDisruptionBudget(m: Model): IPodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: objectMeta(m, m.names.pdb),
    spec: { maxUnavailable: 1, selector: { matchLabels: m.selectorLabels } },
  };
}

import type { Model } from "../model/model.js";
import { configMap } from "./config-map.js";
import { namespace } from "./namespace.js";
import type { KubeObject } from "./object.js";
import { podDisruptionBudget } from "./pod-disruption-budget.js";
import { serviceAccount } from "./service-account.js";
import { clientService, headlessService } from "./services.js";
import { statefulSet } from "./stateful-set.js";

export type { KubeObject } from "./object.js";

/** One pure function per object, in the order they are applied. */
const RENDERERS: readonly ((m: Model) => unknown)[] = [
  namespace,
  serviceAccount,
  configMap,
  headlessService,
  clientService,
  statefulSet,
  podDisruptionBudget,
];

export function renderObjects(m: Model): KubeObject[] {
  return RENDERERS.flatMap((r) => {
    const out = r(m);
    if (out === undefined) return [];
    return (Array.isArray(out) ? out : [out]) as KubeObject[];
  });
}

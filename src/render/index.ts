import type { Model } from "../model/model.js";
import { certificates } from "./certificates.js";
import { configMap } from "./config-map.js";
import { externalAccess } from "./external-access.js";
import { monitoringObjects } from "./monitoring/index.js";
import { nackController } from "./nack/controller.js";
import { jetstreamResources } from "./nack/resources.js";
import { namespace } from "./namespace.js";
import { natsBoxContexts, natsBoxDeployment } from "./nats-box.js";
import { networkPolicies } from "./network-policy.js";
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
  certificates,
  configMap,
  headlessService,
  clientService,
  statefulSet,
  podDisruptionBudget,
  natsBoxContexts,
  natsBoxDeployment,
  externalAccess,
  monitoringObjects,
  networkPolicies,
  // Last: the JetStream resources, then the NACK controller that reconciles them. Applying them
  // before their controller is harmless (they wait for it), and `kubectl delete -f` deletes in
  // this same order: the controller must outlive its resources to release their finalizers
  // (docs/nack.md, "Deleting").
  jetstreamResources,
  nackController,
];

export function renderObjects(m: Model): KubeObject[] {
  return RENDERERS.flatMap((r) => {
    const out = r(m);
    if (out === undefined) return [];
    return (Array.isArray(out) ? out : [out]) as KubeObject[];
  });
}

import type { IContainer } from "kubernetes-models/v1/Container";
import type { Model } from "../../model/model.js";

/** Optional containers beside nats and the reloader (the metrics exporter when monitoring is on). */
export function sidecars(_m: Model): IContainer[] {
  return [];
}

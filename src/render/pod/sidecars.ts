import type { IContainer } from "kubernetes-models/v1/Container";
import type { Model } from "../../model/model.js";
import { exporterContainer } from "./exporter-container.js";

/** Optional containers beside nats and the reloader (the metrics exporter when monitoring is on). */
export function sidecars(m: Model): IContainer[] {
  const exporter = exporterContainer(m);
  return exporter ? [exporter] : [];
}

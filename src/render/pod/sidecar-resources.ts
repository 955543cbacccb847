import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import { exporterSizing } from "../../model/exporter-sizing.js";
import type { Model } from "../../model/model.js";
import { guaranteedQos } from "../../model/qos.js";

/**
 * A pod is Guaranteed only when every container's requests equal its limits for CPU and memory, so
 * when the nats container asks for Guaranteed QoS the sidecars do the same. Otherwise they request
 * little and have no CPU limit, so a config reload or a scrape is never throttled.
 */
function sized(m: Model, cpu: string, memory: string, smallRequests: { cpu: string; memory: string }): IResourceRequirements {
  if (guaranteedQos(m.spec)) return { requests: { cpu, memory }, limits: { cpu, memory } };
  return { requests: smallRequests, limits: { memory } };
}

/** The config reloader idles on file events; 64Mi is what it has always been allowed. */
export const reloaderResources = (m: Model): IResourceRequirements => sized(m, "10m", "64Mi", { cpu: "10m", memory: "32Mi" });

export function exporterResources(m: Model): IResourceRequirements {
  const s = exporterSizing(m.spec);
  return sized(m, s.cpu, s.memory, { cpu: "10m", memory: "32Mi" });
}

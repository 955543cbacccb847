import type { IContainer } from "kubernetes-models/v1/Container";
import { imageRef } from "../../model/images.js";
import { PORTS, type Model } from "../../model/model.js";
import { containerSecurityContext } from "./security.js";

/** Port name the PodMonitor and the metrics Service refer to (the chart's name). */
export const METRICS_PORT_NAME = "prom-metrics";
export const EXPORTER_CONTAINER = "prom-exporter";

/**
 * The official chart's exporter arguments. `-use_internal_server_id` labels series with the
 * server's own id rather than the URL, which is always localhost here; `-jsz=all` only with
 * JetStream, since the endpoint is empty without it.
 */
export function exporterArgs(m: Model): string[] {
  return [
    `-port=${PORTS.metrics}`,
    "-connz",
    "-routez",
    "-subz",
    "-varz",
    "-prefix=nats",
    "-use_internal_server_id",
    ...(m.jetstream.enabled ? ["-jsz=all"] : []),
    // The monitoring port listens on every interface of the pod, so the sidecar reads it over loopback.
    `http://localhost:${PORTS.monitor}/`,
  ];
}

/** prometheus-nats-exporter beside the server: turns the monitoring endpoints into Prometheus metrics on 7777. */
export function exporterContainer(m: Model): IContainer | undefined {
  const mon = m.spec.monitoring;
  if (!mon.enabled) return undefined;
  return {
    name: EXPORTER_CONTAINER,
    image: imageRef(mon.image),
    ...(mon.image.pullPolicy ? { imagePullPolicy: mon.image.pullPolicy } : {}),
    args: exporterArgs(m),
    ports: [{ name: METRICS_PORT_NAME, containerPort: PORTS.metrics }],
    // Small, with headroom for -jsz=all on clusters with many streams and consumers; no CPU limit, so a scrape is never throttled.
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
    securityContext: containerSecurityContext(),
  };
}

import type { IContainer } from "kubernetes-models/v1/Container";
import { PORTS, type Model } from "../../model/model.js";
import { exporterSizing } from "../../model/exporter-sizing.js";
import { containerSecurityContext } from "./security.js";
import { exporterResources } from "./sidecar-resources.js";

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
    image: m.images.exporter,
    ...(mon.image.pullPolicy ? { imagePullPolicy: mon.image.pullPolicy } : {}),
    args: exporterArgs(m),
    // Near the limit Go collects harder instead of the kernel OOM-killing the exporter mid-scrape (measured: model/exporter-sizing.ts).
    env: [{ name: "GOMEMLIMIT", value: exporterSizing(m.spec).goMemLimit }],
    ports: [{ name: METRICS_PORT_NAME, containerPort: PORTS.metrics }],
    resources: exporterResources(m),
    securityContext: containerSecurityContext(),
  };
}

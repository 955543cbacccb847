import { z } from "./zod.js";
import { imageSchema, stringMap } from "./primitives.js";

/** The Duration pattern of the prometheus-operator CRDs (what the API server would accept). */
const PROMETHEUS_DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

export const EXPORTER_IMAGE = { repository: "natsio/prometheus-nats-exporter", tag: "0.20.1" } as const;
/** The storage alert's default threshold; lint's store-size rules keep declared streams under the same share. */
export const STORAGE_ALERT_RATIO = 0.8;

export const monitoringSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Run prometheus-nats-exporter beside each server and render scrape config, alerts and dashboards."),
    image: imageSchema(EXPORTER_IMAGE.repository, EXPORTER_IMAGE.tag),
    scrape: z
      .enum(["PODMONITOR", "SERVICEMONITOR"])
      .default("PODMONITOR")
      .describe("How Prometheus Operator finds the exporter: a PodMonitor, or a metrics Service plus ServiceMonitor."),
    interval: z
      .string()
      .refine((v) => PROMETHEUS_DURATION.test(v) && v !== "", {
        message: "interval must be a Prometheus duration such as 15s, 30s or 1m",
        params: { code: "format", hint: "Units are ms, s, m, h, d, w, y, largest first, no spaces (e.g. 1m30s)." },
      })
      .optional()
      .describe("Scrape interval (Prometheus duration, e.g. 30s); Prometheus' default when unset. Keep it under 1m: the replica-lag alert compares with 1 minute earlier."),
    expectedConsumers: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe(
        "Consumers plus streams one server hosts, which sizes the exporter sidecar (-jsz=all grows with them; docs/monitoring.md). Default: 4000, or what the manifest declares if more.",
      ),
    labels: stringMap.optional().describe("Labels on the PodMonitor/ServiceMonitor/PrometheusRule, e.g. release: kube-prometheus-stack."),
    alerts: z
      .strictObject({
        enabled: z.boolean().default(true),
        connectionsRatio: z.number().gt(0).max(1).default(0.9).describe("Fire above this share of max_connections."),
        storageRatio: z.number().gt(0).max(1).default(STORAGE_ALERT_RATIO).describe("Fire above this share of the JetStream file store limit."),
        streamLagMessages: z.number().int().min(1).default(1000).describe("Fire when a stream's replicas differ by more messages."),
      })
      .prefault({}),
    dashboards: z.boolean().default(true).describe("Render Grafana dashboards as ConfigMaps for the Grafana sidecar."),
  })
  .prefault({});

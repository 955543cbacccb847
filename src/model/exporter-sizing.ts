import { formatBytes } from "../spec/quantity.js";
import type { Spec } from "../spec/types.js";
import { GOMEMLIMIT_SHARE } from "./jetstream-limits.js";

/**
 * prometheus-nats-exporter with `-jsz=all` reads the whole /jsz document and builds every series in
 * memory on each scrape, so its memory grows with the consumers (and streams) one server hosts, and
 * doubles when two Prometheus replicas scrape at once. Measured with the real exporter 0.20.1 against
 * nats-server 2.14.2 (docs/monitoring.md, test/integration/exporter-memory.test.ts): idle ~19 MiB;
 * 4000 consumers, two concurrent scrapes: 200 MiB peak under GOMEMLIMIT=200MiB (280 MiB without a
 * GOMEMLIMIT); 0.71 CPU-seconds per scrape. The sizing below holds that load with room to spare.
 */
export const EXPORTER_SIZING = {
  /** Consumers (plus streams) per server the default fits: "thousands" without any setting. */
  defaultConsumers: 4000,
  baseMi: 64,
  /** Two concurrent scrapes of ~23 KiB live each per consumer, with headroom for the garbage collector. */
  perConsumerKi: 48,
  /** Enough CPU for two concurrent scrapes of 4000 consumers (1.4 CPU-s) to finish well inside Prometheus' 10 s timeout. */
  milliCpuPer1000: 62.5,
  minMilliCpu: 50,
} as const;

export interface ExporterSizing {
  /** The consumers and streams it is sized for. */
  consumers: number;
  memory: string;
  cpu: string;
  /** Go's soft limit: the garbage collector works harder near it instead of the kernel killing the process. */
  goMemLimit: string;
}

/** Consumers, streams, KV buckets and object stores the manifest declares; each is one entry in /jsz. */
export function declaredJetStreamAssets(spec: Spec): number {
  return spec.streams.reduce((n, s) => n + 1 + s.consumers.length, 0) + spec.keyValues.length + spec.objectStores.length;
}

export function exporterSizing(spec: Spec): ExporterSizing {
  const s = EXPORTER_SIZING;
  const consumers = Math.max(spec.monitoring.expectedConsumers ?? s.defaultConsumers, declaredJetStreamAssets(spec));
  const memMi = Math.ceil((s.baseMi + (consumers * s.perConsumerKi) / 1024) / 32) * 32;
  const milli = Math.max(s.minMilliCpu, Math.ceil((consumers * s.milliCpuPer1000) / 1000 / 50) * 50);
  return {
    consumers,
    memory: `${memMi}Mi`,
    cpu: `${milli}m`,
    goMemLimit: `${formatBytes(Math.floor(memMi * GOMEMLIMIT_SHARE) * 2 ** 20, ["KiB", "MiB", "GiB"])}`,
  };
}

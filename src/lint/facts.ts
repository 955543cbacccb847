import type { PathSegment } from "../diagnostics/diagnostic.js";
import { replicasOf, storageOf } from "../nack/defaults.js";
import { formatBytes, parseQuantity } from "../spec/quantity.js";
import type { Spec } from "../spec/types.js";
import type { LintContext } from "./rule.js";

/** A JetStream asset NACK creates: a stream, a KV bucket or an object store, with its defaults resolved. */
export interface Asset {
  kind: "stream" | "key-value bucket" | "object store";
  name: string;
  path: PathSegment[];
  storage: "file" | "memory";
  replicas: number;
  /** Whether replicas/storage were written or defaulted. */
  replicasSet: boolean;
  storageSet: boolean;
  maxBytes?: number;
  /** Some bound on growth is set (bytes, age, message count, TTL). */
  bounded: boolean;
}

/** With the defaults NACK resources are rendered with (src/nack/defaults.ts). */
export function assets(spec: Spec): Asset[] {
  const one = (
    kind: Asset["kind"],
    name: string,
    path: PathSegment[],
    a: { storage?: "file" | "memory" | undefined; replicas?: number | undefined; maxBytes?: number | undefined },
    bounded: boolean,
  ): Asset => ({
    kind,
    name,
    path,
    storage: storageOf(spec, a),
    replicas: replicasOf(spec, a),
    replicasSet: a.replicas !== undefined,
    storageSet: a.storage !== undefined,
    ...(a.maxBytes !== undefined && a.maxBytes > 0 ? { maxBytes: a.maxBytes } : {}),
    bounded,
  });
  const positive = (n: number | undefined) => n !== undefined && n > 0;
  return [
    ...spec.streams.map((s, i) =>
      one("stream", s.name, ["spec", "streams", i], s, positive(s.maxBytes) || positive(s.maxMsgs) || (s.maxAge !== undefined && !/^0+[a-zµ]*$/.test(s.maxAge))),
    ),
    ...spec.keyValues.map((k, i) => one("key-value bucket", k.bucket, ["spec", "keyValues", i], k, positive(k.maxBytes) || k.ttl !== undefined)),
    ...spec.objectStores.map((o, i) => one("object store", o.bucket, ["spec", "objectStores", i], o, positive(o.maxBytes) || o.ttl !== undefined)),
  ];
}

/** Auth or TLS says the cluster is meant for real traffic. */
export const productionIntent = (spec: Spec) => spec.auth.enabled || spec.tls.enabled;

export const bytes = (q: string | undefined) => (q === undefined ? undefined : parseQuantity(q));

/** Bytes for messages: 7516192768 -> 7Gi. */
export const human = (n: number) => {
  const units = ["Ki", "Mi", "Gi", "Ti"];
  let v = n;
  let u = "";
  for (const next of units) {
    if (v < 1024) break;
    v /= 1024;
    u = next;
  }
  return Number.isInteger(v) ? formatBytes(n, units) : `${v.toFixed(1)}${u}`;
};

/** Rule ids listed in the opt-out annotation. */
export function ignoredRuleIds(ctx: Pick<LintContext, "annotations">, key: string): string[] {
  const raw = ctx.annotations[key];
  if (raw === undefined) return [];
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Share of a store that declared maxBytes may reserve; the storage alert's default threshold (monitoring.alerts.storageRatio). */
export const RESERVE_SHARE = 0.8;

export interface Reservation {
  /** Assets of that storage with a maxBytes. */
  sized: Asset[];
  /** Assets of that storage without one (they share what is left). */
  unsized: Asset[];
  /** Bytes each server must reserve: maxBytes x replicas spread over the servers, at least the largest asset. */
  perServer: number;
  largest?: Asset;
}

export function reservation(spec: Spec, storage: "file" | "memory"): Reservation {
  const all = assets(spec).filter((a) => a.storage === storage);
  const sized = all.filter((a) => a.maxBytes !== undefined);
  const servers = Math.max(1, spec.replicas);
  const spread = sized.reduce((sum, a) => sum + a.maxBytes! * Math.min(a.replicas, servers), 0) / servers;
  const largest = sized.reduce<Asset | undefined>((big, a) => (big === undefined || a.maxBytes! > big.maxBytes! ? a : big), undefined);
  return {
    sized,
    unsized: all.filter((a) => a.maxBytes === undefined),
    perServer: Math.max(spread, largest?.maxBytes ?? 0),
    ...(largest ? { largest } : {}),
  };
}

export const percent = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;

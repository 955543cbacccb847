import type { PathSegment } from "../diagnostics/diagnostic.js";
import { replicasOf, storageOf } from "../nack/defaults.js";
import { kubeName } from "../nack/names.js";
import { parseGoDuration } from "../nats/durations.js";
import type { KeyValue, ObjectStore, Spec, Stream } from "../spec/types.js";

export type Storage = "file" | "memory";

/**
 * A JetStream asset natskube declares (through NACK, or for verify to create): a stream, a KV bucket
 * or an object store, with natskube's defaults for storage and replicas resolved (src/nack/defaults.ts).
 */
export interface JetStreamAsset<T extends Stream | KeyValue | ObjectStore = Stream | KeyValue | ObjectStore> {
  kind: "stream" | "key-value bucket" | "object store";
  /** The stream name or the bucket. */
  name: string;
  /** The name of its NACK resource (Stream, KeyValue, ObjectStore). */
  kubeName: string;
  /** Where the manifest declares it, e.g. spec.streams[0]. */
  path: PathSegment[];
  storage: Storage;
  replicas: number;
  /** Whether replicas/storage were written or defaulted. */
  replicasSet: boolean;
  storageSet: boolean;
  /** The declared maxBytes when it bounds the asset (above 0). */
  maxBytes?: number;
  /**
   * The bytes it reserves across the cluster: maxBytes on each server holding a replica, one replica per
   * server (a replica above the server count has no server to go to and reserves nothing); 0 without maxBytes.
   */
  reserves: number;
  /** Some bound on growth is set (bytes, age, message count, TTL). */
  bounded: boolean;
  /** The entry as the manifest declares it. */
  declared: T;
}

export interface JetStreamAssets {
  streams: JetStreamAsset<Stream>[];
  keyValues: JetStreamAsset<KeyValue>[];
  objectStores: JetStreamAsset<ObjectStore>[];
  /** Every asset: streams, then KV buckets, then object stores. */
  all: JetStreamAsset[];
}

const positive = (n: number | undefined) => n !== undefined && n > 0;

export function jetstreamAssets(spec: Spec): JetStreamAssets {
  const servers = Math.max(1, spec.replicas);
  const one = <T extends Stream | KeyValue | ObjectStore>(kind: JetStreamAsset["kind"], name: string, path: PathSegment[], declared: T, bounded: boolean): JetStreamAsset<T> => {
    const replicas = replicasOf(spec, declared);
    const maxBytes = positive(declared.maxBytes) ? declared.maxBytes! : undefined;
    return {
      kind,
      name,
      kubeName: kubeName(name),
      path,
      storage: storageOf(spec, declared),
      replicas,
      replicasSet: declared.replicas !== undefined,
      storageSet: declared.storage !== undefined,
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      reserves: (maxBytes ?? 0) * Math.min(replicas, servers),
      bounded,
      declared,
    };
  };
  // A max age of 0 means unlimited; an age Go cannot parse is validation's to report.
  const aged = (age: string | undefined) => age !== undefined && (parseGoDuration(age) ?? 1) > 0;
  const streams = spec.streams.map((s, i) => one("stream", s.name, ["spec", "streams", i], s, positive(s.maxBytes) || positive(s.maxMsgs) || aged(s.maxAge)));
  const keyValues = spec.keyValues.map((k, i) => one("key-value bucket", k.bucket, ["spec", "keyValues", i], k, positive(k.maxBytes) || k.ttl !== undefined));
  const objectStores = spec.objectStores.map((o, i) => one("object store", o.bucket, ["spec", "objectStores", i], o, positive(o.maxBytes) || o.ttl !== undefined));
  return { streams, keyValues, objectStores, all: [...streams, ...keyValues, ...objectStores] };
}

/**
 * What the declared maxBytes of one storage ask of each server. Every replica reserves its asset's
 * maxBytes on the server holding it, one replica per server, so the cluster must hold
 * Σ maxBytes x replicas (a replica above the server count has no server to go to and reserves
 * nothing; validation reports it) and each server, at best, that sum over the servers; the largest
 * asset must also fit on one server. Validation refuses what exceeds a server's store; lint warns
 * above a share of it.
 */
export interface Reservation {
  /** Assets of that storage with a maxBytes. */
  sized: JetStreamAsset[];
  /** Assets of that storage without one (they share what is left). */
  unsized: JetStreamAsset[];
  /** Bytes each server must reserve: Σ maxBytes x replicas spread over the servers, at least the largest asset. */
  perServer: number;
  largest?: JetStreamAsset;
}

export function reservation(assets: readonly JetStreamAsset[], storage: Storage, serverCount: number): Reservation {
  const all = assets.filter((a) => a.storage === storage);
  const sized = all.filter((a) => a.maxBytes !== undefined);
  const servers = Math.max(1, serverCount);
  const spread = sized.reduce((sum, a) => sum + a.reserves, 0) / servers;
  const largest = sized.reduce<JetStreamAsset | undefined>((big, a) => (big === undefined || a.maxBytes! > big.maxBytes! ? a : big), undefined);
  return {
    sized,
    unsized: all.filter((a) => a.maxBytes === undefined),
    perServer: Math.max(spread, largest?.maxBytes ?? 0),
    ...(largest ? { largest } : {}),
  };
}

import { formatBytes, parseQuantity } from "../spec/quantity.js";
import type { Spec } from "../spec/types.js";

const MI = 2 ** 20;
const GI = 2 ** 30;
/** A formatted volume holds less than its size (ext4 reserves ~3-5%); leave 10% so the disk never fills before JetStream's limit. */
export const FILE_STORE_SHARE = 0.9;
/** Process memory must hold caches, connections and RAFT state besides the memory store. */
export const MEMORY_STORE_SHARE_MEMORY_MODE = 0.5;
export const MEMORY_STORE_SHARE_FILE_MODE = 0.25;
/** Go's soft limit, leaving room below the container limit before the OOM killer. */
export const GOMEMLIMIT_SHARE = 0.8;
/** The PVC of each server in FILE mode when jetstream.persistence.size is unset. */
export const DEFAULT_PVC_SIZE = "10Gi";

export interface JetStreamLimits {
  enabled: boolean;
  mode: "FILE" | "MEMORY";
  /** PVC size (FILE). */
  pvcSize?: string;
  storageClass?: string;
  /** Bytes (exact integers, written in Mi for readability). */
  maxFileStore: number;
  maxMemoryStore: number;
}

const floorMi = (bytes: number) => Math.floor(bytes / MI) * MI;
/** A size the user set, in whole bytes (nats.conf takes no fractions). */
const given = (q: string | undefined) => (q === undefined ? undefined : Math.floor(parseQuantity(q) ?? 0));

export function memoryLimitBytes(spec: Spec): number | undefined {
  const lim = spec.resources?.limits?.memory;
  return lim === undefined ? undefined : parseQuantity(lim);
}

export function jetstreamLimits(spec: Spec): JetStreamLimits {
  const js = spec.jetstream;
  const mode = js.persistence.mode;
  const mem = memoryLimitBytes(spec);
  if (!js.enabled) return { enabled: false, mode, maxFileStore: 0, maxMemoryStore: 0 };
  if (mode === "FILE") {
    const pvcSize = js.persistence.size ?? DEFAULT_PVC_SIZE;
    return {
      enabled: true,
      mode,
      pvcSize,
      ...(js.persistence.storageClass ? { storageClass: js.persistence.storageClass } : {}),
      maxFileStore: given(js.persistence.maxFileStore) ?? floorMi((parseQuantity(pvcSize) ?? parseQuantity(DEFAULT_PVC_SIZE)!) * FILE_STORE_SHARE),
      // Without a memory limit there is nothing to derive a safe size from: memory streams are refused (as the chart does).
      maxMemoryStore: given(js.persistence.maxMemoryStore) ?? (mem === undefined ? 0 : floorMi(mem * MEMORY_STORE_SHARE_FILE_MODE)),
    };
  }
  const size = js.persistence.size;
  const maxMemoryStore = size !== undefined ? parseQuantity(size) ?? GI : mem !== undefined ? mem * MEMORY_STORE_SHARE_MEMORY_MODE : GI;
  return { enabled: true, mode, maxFileStore: 0, maxMemoryStore: floorMi(maxMemoryStore) };
}

/** GOMEMLIMIT in the units Go accepts (B, KiB, MiB, GiB). */
export function goMemLimit(spec: Spec): string | undefined {
  const mem = memoryLimitBytes(spec);
  return mem === undefined ? undefined : formatBytes(floorMi(mem * GOMEMLIMIT_SHARE), ["KiB", "MiB", "GiB", "TiB"]).replace(/^(\d+)$/, "$1B");
}

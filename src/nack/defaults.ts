// Defaults for JetStream resources, shared by validation (which checks what will be created)
// and rendering (which writes it out). Safer than NACK's CRD defaults (memory storage, 1 replica,
// ack policy none, ack wait 1ns): see docs/nack.md.
import type { ConsumerCrSpec } from "./crd-types.js";
import { parseGoDuration } from "../nats/durations.js";

type Storage = "file" | "memory";
/** What the defaults depend on: how many servers there are and how they persist (the spec's fields). */
interface Servers {
  replicas: number;
  jetstream: { persistence: { mode: "FILE" | "MEMORY" } };
}
/** A consumer as the manifest declares it (Project Planton's new_msgs included). */
interface DeclaredConsumer {
  deliverPolicy?: NonNullable<ConsumerCrSpec["deliverPolicy"]> | "new_msgs" | undefined;
  ackPolicy?: ConsumerCrSpec["ackPolicy"] | undefined;
}

/** Streams live where the servers persist: on disk for FILE, in memory for MEMORY. */
export function defaultStorage(spec: Servers): Storage {
  return spec.jetstream.persistence.mode === "FILE" ? "file" : "memory";
}

/** R3 when there are three servers or more (survives one loss), else one copy per server. */
export function defaultReplicas(spec: Servers): number {
  return Math.min(3, spec.replicas);
}

export const storageOf = (spec: Servers, item: { storage?: Storage | undefined }): Storage => item.storage ?? defaultStorage(spec);
export const replicasOf = (spec: Servers, item: { replicas?: number | undefined }): number => item.replicas ?? defaultReplicas(spec);

/** The server's default ack wait; NACK's CRD would otherwise default to 1ns (immediate redelivery). */
export const DEFAULT_ACK_WAIT = "30s";
export const DEFAULT_ACK_POLICY = "explicit";
/** The server's default duplicate window. */
export const DEFAULT_DUPLICATE_WINDOW_NS = 120e9;

export const deliverPolicyOf = (c: DeclaredConsumer) => (c.deliverPolicy === "new_msgs" ? "new" : (c.deliverPolicy ?? "all"));
export const ackPolicyOf = (c: DeclaredConsumer) => c.ackPolicy ?? DEFAULT_ACK_POLICY;
export const discardOf = (d: "old" | "new" | "new_msgs" | undefined) => (d === "new_msgs" ? "new" : (d ?? "old"));

/**
 * The duplicate window to write. Left unset with a max age under 2 minutes, the server shrinks
 * it to the max age, but refuses to in pedantic mode, which NACK uses: write it out instead.
 */
export function duplicateWindowOf(s: { maxAge?: string | undefined; duplicateWindow?: string | undefined }): string | undefined {
  if (s.duplicateWindow !== undefined || s.maxAge === undefined) return s.duplicateWindow;
  const age = parseGoDuration(s.maxAge);
  return age !== undefined && age > 0 && age < DEFAULT_DUPLICATE_WINDOW_NS ? s.maxAge : undefined;
}

// What NACK (controller 0.23.0) sends to the JetStream API for a resource: the CRD defaults the
// Kubernetes API server fills into omitted fields, then NACK's field mapping (streamSpecToConfig,
// consumerSpecToConfig, keyValueSpecToConfig, objectStoreSpecToConfig). Tests and `natskube verify`
// create the same configuration on real servers through @nats-io/jetstream, /kv and /obj.
import type { ConsumerConfig, StreamConfig } from "@nats-io/jetstream";
import type { KvOptions } from "@nats-io/kv";
import type { ObjectStoreOptions } from "@nats-io/obj";
import type { ConsumerCrSpec, KeyValueCrSpec, ObjectStoreCrSpec, StreamCrSpec } from "./crd-types.js";
import { parseGoDuration } from "../nats/durations.js";

/** Defaults of the NACK CRD schema (crds.yml of release v0.23.0) for the fields natskube may omit. */
export const CRD_DEFAULTS = {
  stream: { retention: "limits", maxConsumers: -1, maxMsgs: -1, maxBytes: -1, maxMsgSize: -1, maxMsgsPerSubject: 0, discard: "old", storage: "memory", replicas: 1, maxAge: "" },
  consumer: { deliverPolicy: "all", ackPolicy: "none", ackWait: "1ns", replayPolicy: "instant" },
  bucket: { replicas: 1 },
} as const;

function nanos(field: string, text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const ns = parseGoDuration(text);
  if (ns === undefined) throw new Error(`${field}: "${text}" is not a Go duration`);
  return ns;
}

/** `o` without its undefined keys: what a YAML or JSON document would hold. */
export const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function streamConfig(spec: StreamCrSpec): Partial<StreamConfig> & { name: string } {
  const d = CRD_DEFAULTS.stream;
  const maxMsgsPer = spec.maxMsgsPerSubject ?? d.maxMsgsPerSubject;
  return defined({
    name: spec.name,
    description: spec.description,
    subjects: spec.subjects,
    retention: spec.retention ?? d.retention,
    max_consumers: spec.maxConsumers ?? d.maxConsumers,
    max_msgs: spec.maxMsgs ?? d.maxMsgs,
    max_bytes: spec.maxBytes ?? d.maxBytes,
    max_msg_size: spec.maxMsgSize ?? d.maxMsgSize,
    num_replicas: spec.replicas ?? d.replicas,
    // NACK only sends a per-subject limit above zero.
    max_msgs_per_subject: maxMsgsPer > 0 ? maxMsgsPer : undefined,
    max_age: nanos("maxAge", spec.maxAge ?? d.maxAge),
    storage: spec.storage ?? d.storage,
    discard: spec.discard ?? d.discard,
    duplicate_window: nanos("duplicateWindow", spec.duplicateWindow),
    deny_delete: spec.denyDelete || undefined,
    allow_rollup_hdrs: spec.allowRollup || undefined,
  } as Partial<StreamConfig> & { name: string });
}

const DELIVER_POLICY = { all: "all", last: "last", new: "new", lastPerSubject: "last_per_subject", byStartSequence: "by_start_sequence" } as const;

export function consumerConfig(spec: ConsumerCrSpec): Partial<ConsumerConfig> & { durable_name: string } {
  const d = CRD_DEFAULTS.consumer;
  const deliver = spec.deliverPolicy ?? d.deliverPolicy;
  if (spec.filterSubject && spec.filterSubjects?.length) throw new Error("cannot set both 'filterSubject' and 'filterSubjects'");
  return defined({
    durable_name: spec.durableName,
    description: spec.description,
    deliver_subject: spec.deliverSubject,
    deliver_group: spec.deliverGroup,
    // NACK passes these through; zero means "server default" and is left out of the request.
    max_ack_pending: spec.maxAckPending || undefined,
    max_waiting: spec.maxWaiting || undefined,
    num_replicas: spec.replicas || undefined,
    ack_policy: spec.ackPolicy ?? d.ackPolicy,
    ack_wait: nanos("ackWait", spec.ackWait ?? d.ackWait),
    deliver_policy: DELIVER_POLICY[deliver],
    opt_start_seq: deliver === "byStartSequence" ? spec.optStartSeq : undefined,
    filter_subject: spec.filterSubject || undefined,
    filter_subjects: spec.filterSubject ? undefined : spec.filterSubjects?.length ? spec.filterSubjects : undefined,
    max_deliver: spec.maxDeliver || undefined,
    replay_policy: spec.replayPolicy ?? d.replayPolicy,
    mem_storage: spec.memStorage || undefined,
  } as Partial<ConsumerConfig> & { durable_name: string });
}

/** Options for `new Kvm(nc).create(bucket, options)`; the KV client derives the stream from them as NACK's nats.go does. */
export function keyValueOptions(spec: KeyValueCrSpec): Partial<KvOptions> {
  const ttl = nanos("ttl", spec.ttl);
  return defined({
    description: spec.description,
    history: spec.history,
    max_bytes: spec.maxBytes,
    maxValueSize: spec.maxValueSize,
    replicas: spec.replicas ?? CRD_DEFAULTS.bucket.replicas,
    // The KV client takes milliseconds.
    ttl: ttl === undefined ? undefined : ttl / 1e6,
    storage: spec.storage,
  } as Partial<KvOptions>);
}

/** Options for `new Objm(nc).create(bucket, options)`. */
export function objectStoreOptions(spec: ObjectStoreCrSpec): Partial<ObjectStoreOptions> {
  return defined({
    description: spec.description,
    max_bytes: spec.maxBytes,
    replicas: spec.replicas ?? CRD_DEFAULTS.bucket.replicas,
    ttl: nanos("ttl", spec.ttl),
    storage: spec.storage,
  } as Partial<ObjectStoreOptions>);
}

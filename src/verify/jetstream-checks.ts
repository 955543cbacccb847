import { isDeepStrictEqual } from "node:util";
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, JetStreamApiError } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import { consumerConfig, keyValueOptions, objectStoreOptions, streamConfig } from "../nack/crd-to-api.js";
import type { ConsumerCrSpec, KeyValueCrSpec, ObjectStoreCrSpec, StreamCrSpec } from "../nack/crd-types.js";
import type { DeclaredResource } from "./jetstream-resources.js";
import { retry, type Progress } from "./checks.js";
import { REQUEST_TIMEOUT_MS } from "./defaults.js";
import { waitPlaced } from "./placement.js";

// Creates are idempotent for an identical configuration, so a create whose reply was lost, or one
// refused while the meta leader still counts a peer offline ("no suitable peers for placement",
// seen for under a second on 2.10), is simply sent again within the check's bound.
// A refusal no wait can change (the codes of nats-server's errors.json) ends the check at once
// instead of after its whole bound.
const FINAL_API_ERRORS = new Set([
  10002, // resource limits exceeded for account
  10013, // consumer name already in use
  10026, // maximum consumers limit reached
  10027, // maximum number of streams reached
  10058, // stream name already in use with a different configuration
  10065, // subjects overlap with an existing stream
  10148, // consumer already exists (with another configuration)
]);
const isFinal = (e: unknown) => e instanceof JetStreamApiError && FINAL_API_ERRORS.has(e.code);
const createOpts = (what: string, progress?: Progress) => ({ what: `create ${what}`, isFinal, ...(progress ? { progress } : {}) });

/** Keys whose value the server reports differently from what was asked for. */
function mismatches(wanted: object, actual: Record<string, unknown>, skip: readonly string[] = []): string[] {
  return Object.entries(wanted)
    .filter(([k, v]) => !skip.includes(k) && !isDeepStrictEqual(actual[k], v))
    .map(([k, v]) => `${k}: asked ${JSON.stringify(v)}, server has ${JSON.stringify(actual[k])}`);
}

function describe(parts: (string | false | undefined)[]): string {
  return parts.filter(Boolean).join("; ");
}

function mismatchError(what: string, diff: string[]): Error {
  return new Error(`${what} differs from its resource: ${diff.join("; ")}`);
}

export async function checkStream(nc: NatsConnection, r: DeclaredResource, timeoutMs: number, progress?: Progress): Promise<string> {
  // The configuration NACK would send for this resource.
  const config = streamConfig(r.spec as unknown as StreamCrSpec);
  const jsm = await jetstreamManager(nc, { timeout: REQUEST_TIMEOUT_MS });
  const info = await retry(() => jsm.streams.add(config), timeoutMs, createOpts(`stream ${r.name}`, progress));
  const diff = mismatches(config, info.config as unknown as Record<string, unknown>);
  if (diff.length) throw mismatchError(`stream ${r.name}`, diff);
  const replicas = info.config.num_replicas;
  const placed = await waitPlaced(() => jsm.streams.info(r.name), replicas, timeoutMs, { progress, what: `stream ${r.name}` });
  return describe([`${info.config.storage} R${replicas}`, placed, `subjects ${info.config.subjects?.join(" ")}`]);
}

export async function checkConsumer(nc: NatsConnection, r: DeclaredResource, timeoutMs: number, progress?: Progress): Promise<string> {
  const config = consumerConfig(r.spec as unknown as ConsumerCrSpec);
  const stream = r.stream ?? "";
  const jsm = await jetstreamManager(nc, { timeout: REQUEST_TIMEOUT_MS });
  const info = await retry(() => jsm.consumers.add(stream, config), timeoutMs, createOpts(`consumer ${stream}/${r.name}`, progress));
  const diff = mismatches(config, info.config as unknown as Record<string, unknown>);
  if (diff.length) throw mismatchError(`consumer ${stream}/${r.name}`, diff);
  // 0 (unset) means: as many as the stream.
  const replicas = info.config.num_replicas || (await retry(() => jsm.streams.info(stream), timeoutMs)).config.num_replicas;
  const placed = await waitPlaced(() => jsm.consumers.info(stream, r.name), replicas, timeoutMs, { progress, what: `consumer ${stream}/${r.name}` });
  const kind = info.config.deliver_subject ? "push" : "pull";
  return describe([`${kind}, ack ${info.config.ack_policy}, R${replicas}`, placed]);
}

export async function checkKeyValue(nc: NatsConnection, r: DeclaredResource, timeoutMs: number, progress?: Progress): Promise<string> {
  const opts = keyValueOptions(r.spec as unknown as KeyValueCrSpec);
  const js = jetstream(nc, { timeout: REQUEST_TIMEOUT_MS });
  const kv = await retry(() => new Kvm(js).create(r.name, { ...opts, timeout: REQUEST_TIMEOUT_MS }), timeoutMs, createOpts(`bucket ${r.name}`, progress));
  const status = await retry(() => kv.status(), timeoutMs);
  const diff = mismatches(opts, status as unknown as Record<string, unknown>);
  if (diff.length) throw mismatchError(`key-value bucket ${r.name}`, diff);
  const placed = await waitPlaced(async () => (await kv.status()).streamInfo, status.replicas, timeoutMs, { progress, what: `bucket ${r.name}` });
  // The bucket's stream may lead on another server whose interest in $KV.<bucket>.> has not yet
  // crossed the route: the first publish can get no responders ("jetstream is not enabled").
  await retry(() => kv.put("natskube.verify", "ok"), timeoutMs, { what: `a put into bucket ${r.name}` });
  const entry = await kv.get("natskube.verify");
  if (entry?.string() !== "ok") throw new Error(`key-value bucket ${r.name}: a value written could not be read back`);
  await kv.purge("natskube.verify");
  return describe([`${status.storage} R${status.replicas}, history ${status.history}`, placed, "put/get ok"]);
}

export async function checkObjectStore(nc: NatsConnection, r: DeclaredResource, timeoutMs: number, progress?: Progress): Promise<string> {
  const { max_bytes, ...opts } = objectStoreOptions(r.spec as unknown as ObjectStoreCrSpec);
  const js = jetstream(nc, { timeout: REQUEST_TIMEOUT_MS });
  const os = await retry(() => new Objm(js).create(r.name, { ...opts, ...(max_bytes !== undefined ? { max_bytes } : {}) }), timeoutMs, createOpts(`object store ${r.name}`, progress));
  const status = await retry(() => os.status(), timeoutMs);
  const diff = [
    ...mismatches(opts, status as unknown as Record<string, unknown>),
    ...mismatches(max_bytes !== undefined ? { max_bytes } : {}, status.streamInfo.config as unknown as Record<string, unknown>),
  ];
  if (diff.length) throw mismatchError(`object store ${r.name}`, diff);
  const placed = await waitPlaced(async () => (await os.status()).streamInfo, status.replicas, timeoutMs, { progress, what: `object store ${r.name}` });
  const payload = new TextEncoder().encode("natskube verify");
  await retry(() => os.putBlob({ name: "natskube.verify" }, payload), timeoutMs, { what: `a put into object store ${r.name}` });
  const back = await os.getBlob("natskube.verify");
  if (!back || new TextDecoder().decode(back) !== "natskube verify") throw new Error(`object store ${r.name}: an object written could not be read back`);
  await os.delete("natskube.verify");
  return describe([`${status.storage} R${status.replicas}`, placed, "put/get ok"]);
}

export const RESOURCE_CHECKS = {
  Stream: { label: "stream", check: checkStream },
  Consumer: { label: "consumer", check: checkConsumer },
  KeyValue: { label: "key-value bucket", check: checkKeyValue },
  ObjectStore: { label: "object store", check: checkObjectStore },
} as const;

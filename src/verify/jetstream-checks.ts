import { isDeepStrictEqual } from "node:util";
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import { consumerConfig, keyValueOptions, objectStoreOptions, streamConfig } from "../nack/crd-to-api.js";
import type { ConsumerCrSpec, KeyValueCrSpec, ObjectStoreCrSpec, StreamCrSpec } from "../nack/crd-types.js";
import type { DeclaredResource } from "./jetstream-resources.js";
import { waitPlaced } from "./placement.js";

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

export async function checkStream(nc: NatsConnection, r: DeclaredResource, timeoutMs: number): Promise<string> {
  // The configuration NACK would send for this resource.
  const config = streamConfig(r.spec as unknown as StreamCrSpec);
  const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
  const info = await jsm.streams.add(config);
  const diff = mismatches(config, info.config as unknown as Record<string, unknown>);
  if (diff.length) throw mismatchError(`stream ${r.name}`, diff);
  const replicas = info.config.num_replicas;
  const placed = await waitPlaced(() => jsm.streams.info(r.name), replicas, timeoutMs);
  return describe([`${info.config.storage} R${replicas}`, placed, `subjects ${info.config.subjects?.join(" ")}`]);
}

export async function checkConsumer(nc: NatsConnection, r: DeclaredResource, timeoutMs: number): Promise<string> {
  const config = consumerConfig(r.spec as unknown as ConsumerCrSpec);
  const stream = r.stream ?? "";
  const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
  const info = await jsm.consumers.add(stream, config);
  const diff = mismatches(config, info.config as unknown as Record<string, unknown>);
  if (diff.length) throw mismatchError(`consumer ${stream}/${r.name}`, diff);
  // 0 (unset) means: as many as the stream.
  const replicas = info.config.num_replicas || (await jsm.streams.info(stream)).config.num_replicas;
  const placed = await waitPlaced(() => jsm.consumers.info(stream, r.name), replicas, timeoutMs);
  const kind = info.config.deliver_subject ? "push" : "pull";
  return describe([`${kind}, ack ${info.config.ack_policy}, R${replicas}`, placed]);
}

export async function checkKeyValue(nc: NatsConnection, r: DeclaredResource, timeoutMs: number): Promise<string> {
  const opts = keyValueOptions(r.spec as unknown as KeyValueCrSpec);
  const kv = await new Kvm(nc).create(r.name, { ...opts, timeout: timeoutMs });
  const status = await kv.status();
  const diff = mismatches(opts, status as unknown as Record<string, unknown>);
  if (diff.length) throw mismatchError(`key-value bucket ${r.name}`, diff);
  const placed = await waitPlaced(async () => (await kv.status()).streamInfo, status.replicas, timeoutMs);
  await kv.put("natskube.verify", "ok");
  const entry = await kv.get("natskube.verify");
  if (entry?.string() !== "ok") throw new Error(`key-value bucket ${r.name}: a value written could not be read back`);
  await kv.purge("natskube.verify");
  return describe([`${status.storage} R${status.replicas}, history ${status.history}`, placed, "put/get ok"]);
}

export async function checkObjectStore(nc: NatsConnection, r: DeclaredResource, timeoutMs: number): Promise<string> {
  const { max_bytes, ...opts } = objectStoreOptions(r.spec as unknown as ObjectStoreCrSpec);
  const os = await new Objm(nc).create(r.name, { ...opts, ...(max_bytes !== undefined ? { max_bytes } : {}) });
  const status = await os.status();
  const diff = [
    ...mismatches(opts, status as unknown as Record<string, unknown>),
    ...mismatches(max_bytes !== undefined ? { max_bytes } : {}, status.streamInfo.config as unknown as Record<string, unknown>),
  ];
  if (diff.length) throw mismatchError(`object store ${r.name}`, diff);
  const placed = await waitPlaced(async () => (await os.status()).streamInfo, status.replicas, timeoutMs);
  const payload = new TextEncoder().encode("natskube verify");
  await os.putBlob({ name: "natskube.verify" }, payload);
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

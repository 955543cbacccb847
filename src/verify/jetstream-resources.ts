import type { Model } from "../model/model.js";
import { ackPolicyOf, DEFAULT_ACK_WAIT, deliverPolicyOf, discardOf, duplicateWindowOf, replicasOf, storageOf } from "../nack/defaults.js";
import type { KubeObject } from "../render/object.js";

export type ResourceKind = "Stream" | "Consumer" | "KeyValue" | "ObjectStore";

export interface DeclaredResource {
  kind: ResourceKind;
  /** Stream name, consumer durable name, or bucket. */
  name: string;
  /** The consumer's stream. */
  stream?: string;
  /** The CR's spec (NACK field names). */
  spec: Record<string, unknown>;
}

const KINDS: readonly ResourceKind[] = ["Stream", "Consumer", "KeyValue", "ObjectStore"];

/**
 * The JetStream resources the cluster should hold: the NACK custom resources in the render when
 * there are any (what the controller would create), else the manifest's own lists with natskube's
 * defaults for them (src/nack/defaults.ts), as the NACK renderer writes them out.
 */
export function declaredResources(m: Model, objects: readonly KubeObject[]): { items: DeclaredResource[]; source: string } {
  const crs = objects.filter((o) => o.apiVersion.startsWith("jetstream.nats.io/") && (KINDS as readonly string[]).includes(o.kind));
  if (crs.length > 0) {
    const items = crs.map((o) => {
      const spec = (o["spec"] ?? {}) as Record<string, unknown>;
      const kind = o.kind as ResourceKind;
      const name = String(kind === "Stream" ? spec["name"] : kind === "Consumer" ? spec["durableName"] : spec["bucket"]);
      return { kind, name, spec, ...(kind === "Consumer" ? { stream: String(spec["streamName"]) } : {}) };
    });
    items.sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
    return { items, source: "the rendered NACK resources" };
  }
  const spec = m.spec;
  const placement = (x: { storage?: "file" | "memory" | undefined; replicas?: number | undefined }) => ({ storage: storageOf(spec, x), replicas: replicasOf(spec, x) });
  const items: DeclaredResource[] = [];
  for (const { consumers: _, ...s } of spec.streams) {
    const cr = { ...s, ...placement(s), discard: discardOf(s.discard), duplicateWindow: duplicateWindowOf(s) };
    items.push({ kind: "Stream", name: s.name, spec: cr });
  }
  for (const s of spec.streams)
    for (const c of s.consumers) {
      const cr = { ...c, streamName: s.name, deliverPolicy: deliverPolicyOf(c), ackPolicy: ackPolicyOf(c), ackWait: c.ackWait ?? DEFAULT_ACK_WAIT };
      items.push({ kind: "Consumer", name: c.durableName, stream: s.name, spec: cr });
    }
  for (const kv of spec.keyValues) items.push({ kind: "KeyValue", name: kv.bucket, spec: { ...kv, ...placement(kv) } });
  for (const os of spec.objectStores) items.push({ kind: "ObjectStore", name: os.bucket, spec: { ...os, ...placement(os) } });
  return { items, source: "the manifest (no NACK resources in the render)" };
}

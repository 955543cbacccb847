import type { Model } from "../model/model.js";
import { jetstreamResources } from "../render/nack/resources.js";
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
 * there are any (what the controller would create), else the ones the renderer would write for the
 * Model with NACK on (the same resolved assets and defaults; render/nack/resources.ts).
 */
export function declaredResources(m: Model, objects: readonly KubeObject[]): { items: DeclaredResource[] } {
  const isResource = (o: KubeObject) => o.apiVersion.startsWith("jetstream.nats.io/") && (KINDS as readonly string[]).includes(o.kind);
  const rendered = objects.filter(isResource);
  const crs = rendered.length > 0 ? rendered : jetstreamResources(m).filter(isResource);
  const items = crs.map((o) => {
    const spec = (o["spec"] ?? {}) as Record<string, unknown>;
    const kind = o.kind as ResourceKind;
    const name = String(kind === "Stream" ? spec["name"] : kind === "Consumer" ? spec["durableName"] : spec["bucket"]);
    return { kind, name, spec, ...(kind === "Consumer" ? { stream: String(spec["streamName"]) } : {}) };
  });
  items.sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
  return { items };
}

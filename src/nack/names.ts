// The Kubernetes names of the resources NACK manages JetStream assets through (the NATS names
// themselves are src/nats/names.ts).

/** Kubernetes object names of custom resources are DNS subdomains. */
export const KUBE_NAME_MAX = 253;

/**
 * The Kubernetes name of a JetStream asset: lowercase, with `_` and every other character a
 * DNS name cannot hold turned into `-`. Different assets can map to the same name (ORDERS and
 * orders, a_b and a-b): validation reports those collisions instead of renaming silently.
 */
export function kubeName(natsName: string): string {
  return natsName
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Consumer resources carry their stream's name: the same durable name on two streams must not collide. */
export function consumerKubeName(stream: string, durable: string): string {
  return `${kubeName(stream)}-${kubeName(durable)}`;
}

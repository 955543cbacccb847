// The NATS view without port-forwards: each NATS pod's monitoring endpoint read through the API
// server's pod proxy. Which pods, and the port and scheme, come from the Model; the request itself is
// the caller's (src/live, through the Kubernetes client), so this stays free of any client.
import type { Model } from "../model/model.js";
import type { KubeObject } from "../render/object.js";
import type { MonitorSource } from "./snapshot.js";

/** How the caller reaches one pod's monitoring port: the proxy URL (for messages) and a GET through it. */
export interface PodProxy {
  url(pod: string, port: number, scheme: "http"): string;
  get(pod: string, port: number, scheme: "http", path: string, timeoutMs: number): Promise<{ status: number; body: unknown }>;
}

interface PodStatus {
  metadata: { name: string };
  status?: { phase?: string; podIP?: string };
}

/**
 * One source per server of the render, in ordinal order. A pod that is missing, not Running or has no
 * IP yet is not asked (the API server could only fail): its source says why, which status reports as
 * that server unreachable.
 */
export function podSources(model: Model, pods: readonly KubeObject[], proxy: PodProxy): MonitorSource[] {
  const { port, scheme } = model.monitor;
  const byName = new Map(pods.map((p) => [p.metadata.name, p as unknown as PodStatus]));
  return model.pods.map((name) => {
    const pod = byName.get(name);
    const why = !pod ? `pod ${name} does not exist` : pod.status?.phase !== "Running" ? `pod ${name} is ${pod.status?.phase ?? "not scheduled"}, not Running` : !pod.status.podIP ? `pod ${name} has no IP yet` : undefined;
    return {
      url: proxy.url(name, port, scheme),
      pod: name,
      get: why ? () => Promise.reject(new Error(why)) : (path, timeoutMs) => proxy.get(name, port, scheme, path, timeoutMs),
    };
  });
}

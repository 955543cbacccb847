// What each server says about itself and the cluster, read from its monitoring endpoint: /varz,
// /jsz (with accounts, streams, consumers and RAFT groups) and /healthz. Only the fields the
// findings read are typed; the shapes are nats-server's (server/monitor.go, stream.go).

export interface PeerInfo {
  name: string;
  current: boolean;
  offline?: boolean;
  /** Nanoseconds since the peer was last seen. */
  active: number;
  lag?: number;
}

export interface ClusterInfo {
  leader?: string;
  replicas?: PeerInfo[];
}

export interface ConsumerDetail {
  name: string;
  stream_name: string;
  cluster?: ClusterInfo;
  config?: { num_replicas?: number };
}

export interface StreamDetail {
  name: string;
  cluster?: ClusterInfo;
  config?: { num_replicas?: number; storage?: string };
  state?: { bytes?: number; messages?: number };
  consumer_detail?: ConsumerDetail[];
}

export interface Jsz {
  disabled?: boolean;
  memory: number;
  storage: number;
  config?: { max_memory?: number; max_storage?: number };
  meta_cluster?: { name?: string; leader?: string; replicas?: PeerInfo[]; cluster_size: number };
  account_details?: { name: string; stream_detail?: StreamDetail[] }[];
}

export interface Varz {
  server_id: string;
  server_name: string;
  version: string;
  max_payload?: number;
  cluster?: { name?: string };
}

export interface ServerSnapshot {
  url: string;
  /** The pod it was read from, through the API server. */
  pod?: string;
  varz?: Varz;
  jsz?: Jsz;
  /** /healthz: undefined when it answered 200. */
  unhealthy?: string;
  /** Why the endpoint could not be read at all. */
  error?: string;
  /** The API server refused the pod proxy (no `get` on `pods/proxy`): `error` says who and what. */
  forbidden?: boolean;
}

/** Thrown by a MonitorGet when the API server refuses to proxy for want of rights. */
export class MonitorForbidden extends Error {}

/** One GET of a monitoring path (with its query): the status and the parsed JSON, or a rejection saying why not. */
export type MonitorGet = (path: string, timeoutMs: number) => Promise<{ status: number; body: unknown }>;

/** A server's monitoring endpoint: where it is (for messages) and how to read it. */
export interface MonitorSource {
  url: string;
  /** The server's pod, when the endpoint is read through the API server. */
  pod?: string;
  get: MonitorGet;
}

/** The paths status reads; the proxy and --monitor-url read the same. */
export const MONITOR_PATHS = {
  varz: "/varz",
  jsz: "/jsz?accounts=true&streams=true&consumers=true&config=true&raft=true",
  healthz: "/healthz",
} as const;

/** A monitoring endpoint the CLI reaches directly (--monitor-url). */
export function urlSource(monitorUrl: string): MonitorSource {
  const base = monitorUrl.replace(/\/+$/, "");
  return {
    url: base,
    async get(path, timeoutMs) {
      const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      try {
        return { status: res.status, body: JSON.parse(text) as unknown };
      } catch {
        throw new Error(`${base}${path} answered ${res.status} with no JSON`);
      }
    },
  };
}

function reason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError") return "no answer within the timeout";
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

const isObject = (b: unknown): b is Record<string, unknown> => typeof b === "object" && b !== null && !Array.isArray(b);

/** One server's snapshot; a server that does not answer is a snapshot with `error`, never an exception. */
export async function readSnapshot(source: MonitorSource, timeoutMs: number): Promise<ServerSnapshot> {
  const at = { url: source.url, ...(source.pod ? { pod: source.pod } : {}) };
  try {
    const [varz, jsz, healthz] = await Promise.all([source.get(MONITOR_PATHS.varz, timeoutMs), source.get(MONITOR_PATHS.jsz, timeoutMs), source.get(MONITOR_PATHS.healthz, timeoutMs)]);
    if (varz.status !== 200 || !isObject(varz.body)) return { ...at, error: `/varz answered ${varz.status}${typeof varz.body === "string" && varz.body.trim() ? `: ${varz.body.trim().slice(0, 200)}` : ""}` };
    const health = isObject(healthz.body) ? (healthz.body as { error?: string }) : {};
    return {
      ...at,
      varz: varz.body as unknown as Varz,
      ...(jsz.status === 200 && isObject(jsz.body) ? { jsz: jsz.body as unknown as Jsz } : {}),
      ...(healthz.status === 200 ? {} : { unhealthy: health.error ?? `status ${healthz.status}` }),
    };
  } catch (e) {
    return { ...at, error: reason(e), ...(e instanceof MonitorForbidden ? { forbidden: true } : {}) };
  }
}

export function readSnapshots(sources: readonly MonitorSource[], timeoutMs: number): Promise<ServerSnapshot[]> {
  return Promise.all(sources.map((s) => readSnapshot(s, timeoutMs)));
}

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
  varz?: Varz;
  jsz?: Jsz;
  /** /healthz: undefined when it answered 200. */
  unhealthy?: string;
  /** Why the endpoint could not be read at all. */
  error?: string;
}

async function getJson<T>(url: string, timeoutMs: number): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T };
  } catch {
    throw new Error(`${url} answered ${res.status} with no JSON`);
  }
}

function reason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError") return "no answer within the timeout";
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

/** One server's snapshot; a server that does not answer is a snapshot with `error`, never an exception. */
export async function readSnapshot(monitorUrl: string, timeoutMs: number): Promise<ServerSnapshot> {
  const base = monitorUrl.replace(/\/+$/, "");
  try {
    const [varz, jsz, healthz] = await Promise.all([
      getJson<Varz>(`${base}/varz`, timeoutMs),
      getJson<Jsz>(`${base}/jsz?accounts=true&streams=true&consumers=true&config=true&raft=true`, timeoutMs),
      getJson<{ status?: string; error?: string }>(`${base}/healthz`, timeoutMs),
    ]);
    return {
      url: base,
      varz: varz.body,
      ...(jsz.status === 200 ? { jsz: jsz.body } : {}),
      ...(healthz.status === 200 ? {} : { unhealthy: healthz.body.error ?? `status ${healthz.status}` }),
    };
  } catch (e) {
    return { url: base, error: reason(e) };
  }
}

export function readSnapshots(urls: readonly string[], timeoutMs: number): Promise<ServerSnapshot[]> {
  return Promise.all(urls.map((u) => readSnapshot(u, timeoutMs)));
}

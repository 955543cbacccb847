/**
 * natskube's own NATS client for day-2 changes, signed in as the system account's one user: it reads
 * every server's JSZ through `$SYS.REQ.SERVER.PING.JSZ` and sends `$JS.API.SERVER.REMOVE`, which
 * nats-server (late 2.10 on) honours only from the system account. The password is passed in memory.
 */
import { connect, type NatsConnection, type TlsOptions } from "@nats-io/transport-node";
import type { ClusterView, StreamView } from "./scale-down.js";

interface Peer {
  name: string;
  current?: boolean;
  offline?: boolean;
}
interface JszReply {
  server?: { name?: string };
  data?: {
    meta_cluster?: { leader?: string; replicas?: Peer[] };
    account_details?: { name: string; stream_detail?: { name: string; config?: { num_replicas?: number }; cluster?: { leader?: string; replicas?: Peer[] } }[] }[];
  };
  error?: { description?: string };
}

export interface SystemClient {
  view(): Promise<ClusterView>;
  removePeer(server: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * How the client trusts servers that require TLS: a CA (PEM, in memory; else the system's CAs) and the
 * name their certificate holds; with tls.verifyClients, the certificate and key it presents (PEM, in memory).
 */
export interface ServerTrust {
  ca?: string;
  servername: string;
  cert?: string;
  key?: string;
}

/**
 * Connects to `urls` (any of them) as `user`; throws with the server's reason. Only `urls`: the
 * addresses servers advertise are pod IPs, which a port-forwarded client cannot reach.
 */
export async function connectSystem(urls: readonly string[], user: string, pass: string, timeoutMs: number, trust?: ServerTrust): Promise<SystemClient> {
  const nc: NatsConnection = await connect({
    servers: [...urls],
    user,
    pass,
    timeout: timeoutMs,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    ignoreClusterUpdates: true,
    // The transport hands its tls options to tls.connect as they are (node_transport.js), servername included.
    ...(trust ? { tls: { servername: trust.servername, ...(trust.ca ? { ca: trust.ca } : {}), ...(trust.cert && trust.key ? { cert: trust.cert, key: trust.key } : {}) } as TlsOptions } : {}),
  });
  return {
    async view() {
      const replies: JszReply[] = [];
      // Replies come within milliseconds of each other: 500 ms of silence ends the wait, 2 s bound it.
      // A server that answers later is missing from this view only: a stream or meta group then
      // looks leaderless or short, which the caller waits out; it never looks healthier than it is.
      const it = await nc.requestMany("$SYS.REQ.SERVER.PING.JSZ", JSON.stringify({ accounts: true, streams: true, config: true }), { strategy: "stall", stall: 500, maxWait: Math.min(timeoutMs, 2000) });
      for await (const m of it) replies.push(m.json<JszReply>());
      return viewOf(replies);
    },
    async removePeer(server) {
      const m = await nc.request("$JS.API.SERVER.REMOVE", JSON.stringify({ peer: server }), { timeout: timeoutMs });
      const r = m.json<{ success?: boolean; error?: { code?: number; description?: string } }>();
      if (!r.success) throw new Error(`$JS.API.SERVER.REMOVE {"peer":"${server}"} refused: ${r.error?.description ?? JSON.stringify(r)}`);
    },
    async close() {
      await nc.close().catch(() => undefined);
    },
  };
}

/** The meta group as its leader reports it, and each stream as its leader reports it. */
export function viewOf(replies: readonly JszReply[]): ClusterView {
  const named = replies.filter((r) => r.server?.name && r.data);
  const leaderName = named.map((r) => r.data!.meta_cluster?.leader).find((l) => l);
  const leader = named.find((r) => r.server!.name === leaderName);
  const peers = leader
    ? [{ name: leaderName!, current: true, offline: false }, ...(leader.data!.meta_cluster?.replicas ?? []).map((p) => ({ name: p.name, current: p.current === true, offline: p.offline === true }))]
    : [];
  const streams = new Map<string, StreamView>();
  for (const r of named)
    for (const a of r.data!.account_details ?? [])
      for (const s of a.stream_detail ?? []) {
        const key = `${a.name}\u0000${s.name}`;
        const isLeader = s.cluster?.leader === r.server!.name;
        if (streams.has(key) && !isLeader) continue;
        streams.set(key, {
          account: a.name,
          name: s.name,
          replicas: s.config?.num_replicas ?? 1,
          ...(isLeader ? { leader: r.server!.name } : {}),
          followers: isLeader ? (s.cluster?.replicas ?? []).map((p) => ({ name: p.name, current: p.current === true, offline: p.offline === true })) : [],
        });
      }
  return { meta: { ...(leader ? { leader: leaderName! } : {}), peers }, streams: [...streams.values()] };
}

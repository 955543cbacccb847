/**
 * Quorum-safe scale-down of a JetStream cluster, one server at a time from the highest ordinal:
 * shrink the StatefulSet by one, wait until the pod and its server are gone, peer-remove the server
 * from the meta group as the system account (`$JS.API.SERVER.REMOVE`), wait until the meta group is
 * one peer smaller and every stream that had a replica there is current again on the servers that
 * remain (the meta leader places the lost replica elsewhere), then the next. The checks and the loop
 * are pure over `ScaleDeps`: the API server and the NATS servers are given, so unit tests drive them.
 */

/** What the system account sees of the cluster (from every server's JSZ). */
export interface ClusterView {
  meta: { leader?: string; peers: { name: string; current: boolean; offline: boolean }[] };
  /** Every stream of every account, as its leader reports it. */
  streams: StreamView[];
}

export interface StreamView {
  account: string;
  name: string;
  replicas: number;
  leader?: string;
  /** Followers, as the leader sees them. */
  followers: { name: string; current: boolean; offline: boolean }[];
}

export interface ScaleDeps {
  view(): Promise<ClusterView>;
  /** Applies the StatefulSet with this many replicas. */
  shrink(replicas: number): Promise<void>;
  podGone(pod: string): Promise<boolean>;
  /** `$JS.API.SERVER.REMOVE` as the system user; throws with the server's error. */
  removePeer(server: string): Promise<void>;
}

export interface ScaleRequest {
  /** Pod names = server names, ordinal order, for the live replica count. */
  servers: string[];
  to: number;
  timeoutMs: number;
  pollMs?: number;
  progress?: (line: string) => void;
  /** How to go on after a stop (the same apply, printed in the failure). */
  resume: string;
}

export interface ScaleOutcome {
  ok: boolean;
  /** Servers peer-removed, in order. */
  removed: string[];
  /** The StatefulSet's replicas when it stopped. */
  replicas: number;
  failure?: { message: string; hint: string };
}

const streamKey = (s: StreamView) => `${s.account} > ${s.name}`;
const hosts = (s: StreamView) => [...(s.leader ? [s.leader] : []), ...s.followers.map((f) => f.name)];

/**
 * Why the scale-down cannot start, each with its fix; empty when it can. `departed`: servers of higher
 * ordinals than the live replicas that are still meta peers (a scale-down stopped after the shrink,
 * before the peer-remove), which the procedure removes first when they are offline.
 */
export function scaleDownRefusals(view: ClusterView, servers: readonly string[], to: number, systemAccount: boolean): string[] {
  return [...lastingRefusals(view, servers, to, systemAccount), ...passingRefusals(view, servers)];
}

/** Refusals that waiting does not lift. */
export function lastingRefusals(view: ClusterView, servers: readonly string[], to: number, systemAccount: boolean): string[] {
  const out: string[] = [];
  if (!systemAccount)
    out.push(
      "the cluster has no system account: nats-server honours $JS.API.SERVER.REMOVE only from it. Fix: declare auth users or accounts (mode BASIC), or set spec.auth.systemAccount.enabled: true, apply that (a rolling restart: system_account cannot change by reload) at the current replicas, then scale down.",
    );
  const big = view.streams.filter((s) => s.replicas > to);
  if (big.length)
    out.push(
      `${big.length} stream(s) have more replicas than the ${to} servers that remain: ${big.map((s) => `${streamKey(s)} (R${s.replicas})`).join(", ")}. Fix: nats stream edit <stream> --replicas ${to} for each, then apply again.`,
    );
  // An R1 stream's one copy leaves with its server: the meta leader would place it again, empty.
  const departing = servers.slice(to);
  const alone = view.streams.filter((s) => s.replicas === 1 && s.leader !== undefined && departing.includes(s.leader));
  if (alone.length)
    out.push(
      `${alone.length} R1 stream(s) live only on departing servers and would lose their messages: ${alone.map((s) => `${streamKey(s)} on ${s.leader}`).join(", ")}. Fix: nats stream edit <stream> --replicas ${Math.min(3, to)} (then back to 1 once it sits on a server that stays, if wanted), or back it up, then apply again.`,
    );
  return out;
}

/**
 * Refusals of a moment: a meta group without a leader or a peer behind, a stream replica not current
 * (under load a follower is behind for a moment). The caller looks again for a while before refusing.
 */
export function passingRefusals(view: ClusterView, servers: readonly string[]): string[] {
  const out: string[] = [];
  if (!view.meta.leader) out.push("the JetStream meta group has no leader. Fix: natskube status shows why; scale only a healthy cluster.");
  const peers = new Map(view.meta.peers.map((p) => [p.name, p]));
  const missing = servers.filter((s) => !peers.has(s));
  const behind = servers.filter((s) => peers.has(s) && (!peers.get(s)!.current || peers.get(s)!.offline));
  if (missing.length) out.push(`the meta group lacks ${missing.join(", ")}. Fix: wait until every server has joined (natskube status), then apply again.`);
  if (behind.length) out.push(`meta group peer(s) not current: ${behind.join(", ")}. Fix: wait until they catch up or bring them back (natskube status), then apply again.`);
  const strays = departedPeers(view, servers).filter((p) => !p.offline);
  if (strays.length)
    out.push(`meta group peer(s) that are no pod of the StatefulSet are online: ${strays.map((p) => p.name).join(", ")}. Fix: find and stop those servers (a duplicate server name?), then apply again.`);
  const lagging = view.streams.filter((s) => !s.leader || s.followers.some((f) => !f.current || f.offline));
  if (lagging.length) out.push(`stream(s) without a leader or with replicas not current: ${lagging.map(streamKey).join(", ")}. Fix: wait until they catch up (natskube status), then apply again.`);
  return out;
}

/** Meta peers that are no pod of the live StatefulSet. */
export function departedPeers(view: ClusterView, servers: readonly string[]): ClusterView["meta"]["peers"] {
  return view.meta.peers.filter((p) => !servers.includes(p.name));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the procedure; never throws for a NATS or cluster failure it can describe (those stop it with the state). */
export async function scaleDown(deps: ScaleDeps, req: ScaleRequest): Promise<ScaleOutcome> {
  const progress = req.progress ?? (() => {});
  const pollMs = req.pollMs ?? 500;
  const deadline = Date.now() + req.timeoutMs;
  let replicas = req.servers.length;
  const removed: string[] = [];
  let phase = "";
  const stop = (message: string): ScaleOutcome => ({
    ok: false,
    removed,
    replicas,
    failure: {
      message: `scale-down stopped ${phase}: ${message}. The StatefulSet has ${replicas} replica(s); peer-removed so far: ${removed.join(", ") || "none"}`,
      hint: `Check the cluster (natskube status), then go on with the same command: ${req.resume}   (it starts from the live replica count and peer-removes a departed server still in the meta group first)`,
    },
  });
  /** Polls `check` (a reason to wait, or undefined when done) until done or the deadline. */
  const until = async (check: () => Promise<string | undefined>): Promise<string | undefined> => {
    let last: string | undefined;
    for (;;) {
      try {
        last = await check();
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
      }
      if (last === undefined) return undefined;
      if (Date.now() >= deadline) return last;
      await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
    }
  };
  try {
    // A server that departed in an earlier, stopped run and is still a peer goes first.
    const first = await deps.view();
    for (const p of departedPeers(first, req.servers)) {
      phase = `removing ${p.name}, left from an earlier run`;
      progress(`${p.name}: departed earlier, still in the meta group: peer-removing it`);
      await deps.removePeer(p.name);
      removed.push(p.name);
      const late = await until(async () => ((await deps.view()).meta.peers.some((x) => x.name === p.name) ? `${p.name} still in the meta group` : undefined));
      if (late) return stop(late);
    }
    while (replicas > req.to) {
      const server = req.servers[replicas - 1]!;
      const before = await deps.view();
      const moving = before.streams.filter((s) => hosts(s).includes(server));
      phase = `at ${server}, before the shrink`;
      progress(`${server}: shrinking the StatefulSet to ${replicas - 1} (${moving.length} stream replica(s) there: ${moving.map(streamKey).join(", ") || "none"})`);
      await deps.shrink(replicas - 1);
      replicas--;
      phase = `at ${server}, after the shrink, before the peer-remove`;
      const gone = await until(async () => {
        if (!(await deps.podGone(server))) return `pod ${server} still exists`;
        const peer = (await deps.view()).meta.peers.find((p) => p.name === server);
        return peer && !peer.offline ? `${server} still online in the meta group` : undefined;
      });
      if (gone) return stop(gone);
      progress(`${server}: pod gone, server offline; peer-removing it as the system account`);
      await deps.removePeer(server);
      removed.push(server);
      phase = `at ${server}, after the peer-remove`;
      const remaining = req.servers.slice(0, replicas);
      const settled = await until(async () => {
        const v = await deps.view();
        if (!v.meta.leader) return "the meta group has no leader";
        if (v.meta.peers.some((p) => p.name === server)) return `${server} still in the meta group`;
        if (v.meta.peers.length !== replicas) return `the meta group has ${v.meta.peers.length} peers, not ${replicas}`;
        const behind = v.meta.peers.filter((p) => !p.current || p.offline);
        if (behind.length) return `meta peer(s) not current: ${behind.map((p) => p.name).join(", ")}`;
        for (const m of moving) {
          const s = v.streams.find((x) => x.account === m.account && x.name === m.name);
          if (!s) return `stream ${streamKey(m)} not reported`;
          const on = hosts(s);
          if (!s.leader) return `stream ${streamKey(m)} has no leader`;
          if (on.includes(server)) return `stream ${streamKey(m)} still has a replica on ${server}`;
          if (on.length !== s.replicas || on.some((h) => !remaining.includes(h))) return `stream ${streamKey(m)} has ${on.length} of ${s.replicas} replicas placed (${on.join(", ")})`;
          const lag = s.followers.filter((f) => !f.current || f.offline);
          if (lag.length) return `stream ${streamKey(m)}: replica(s) on ${lag.map((f) => f.name).join(", ")} not current yet`;
        }
        return undefined;
      });
      if (settled) return stop(settled);
      progress(`${server}: removed; meta group of ${replicas}, ${moving.length} stream(s) current again on ${remaining.join(", ")}`);
    }
    return { ok: true, removed, replicas };
  } catch (e) {
    return stop(e instanceof Error ? e.message : String(e));
  }
}

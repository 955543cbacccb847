// The NATS half of `natskube status`: what the servers' monitoring endpoints say, judged against what
// the manifest renders. Pure: snapshots in, findings out, each with the command that fixes it.
import type { Model } from "../model/model.js";
import type { PeerInfo, ServerSnapshot, StreamDetail } from "./snapshot.js";

export type Severity = "error" | "warning";

export interface Finding {
  severity: Severity;
  code: string;
  /** The server, stream or consumer it is about. */
  subject: string;
  message: string;
  /** What to run (or do) about it. */
  fix: string;
}

/** What the render says the live cluster should be. */
export interface Expectation {
  namespace: string;
  /** Server names (the pod names: server_name is $POD_NAME), ordinal order. */
  servers: string[];
  jetstream: boolean;
  /** Bytes, as nats.conf sets them. */
  maxFileStore: number;
  maxMemoryStore: number;
  /** The nats-server version of the image tag, when the tag is one. */
  version?: string;
  /** The cluster block's name, when clustered. */
  clusterName?: string;
  /** The nats-box Deployment, where `nats` commands run in the cluster. */
  box?: string;
}

export function expectationOf(model: Model): Expectation {
  const tag = /^v?(\d+\.\d+\.\d+)(?:-|$)/.exec(model.spec.image.tag ?? "")?.[1];
  return {
    namespace: model.namespace,
    servers: model.pods,
    jetstream: model.jetstream.enabled,
    maxFileStore: model.jetstream.mode === "FILE" ? model.jetstream.maxFileStore : 0,
    maxMemoryStore: model.jetstream.maxMemoryStore,
    ...(tag ? { version: tag } : {}),
    ...(model.clustered ? { clusterName: model.name } : {}),
    ...(model.spec.natsBox.enabled ? { box: model.names.natsBox } : {}),
  };
}

const STORE_WARN = 0.8;
/** nats-server's lostQuorumInterval (raft.go): a peer not heard from for this long no longer counts. */
const LOST_QUORUM_NS = 10e9;
const STORE_FULL = 0.95;
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

const pct = (used: number, max: number) => `${Math.round((100 * used) / max)}%`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;

export function natsFindings(expect: Expectation, snapshots: readonly ServerSnapshot[]): Finding[] {
  const out: Finding[] = [];
  const add = (f: Finding) => out.push(f);
  const ns = expect.namespace;
  const nats = (args: string) => (expect.box ? `kubectl -n ${ns} exec deploy/${expect.box} -- nats ${args}` : `nats ${args}`);
  const sys = (args: string) => `${nats(args)}   (as a user of the system account)`;

  const up = snapshots.filter((s) => s.varz);
  const forbidden = snapshots.filter((s) => s.forbidden);
  if (forbidden.length)
    add({
      severity: "error",
      code: "monitor-forbidden",
      subject: "NATS view",
      message: `${forbidden.length} of ${snapshots.length} servers not read: ${forbidden[0]!.error}`,
      fix: `grant get on pods/proxy in ${ns} (kubectl -n ${ns} create role natskube-status --verb=get --resource=pods/proxy; kubectl -n ${ns} create rolebinding natskube-status --role=natskube-status --user=USER), or pass --monitor-url per server (kubectl -n ${ns} port-forward pod/NAME 8222)`,
    });
  for (const s of snapshots) {
    if (s.forbidden) continue;
    if (s.error) {
      add({ severity: "error", code: "server-unreachable", subject: s.pod ?? s.url, message: `the monitoring endpoint ${s.url} could not be read: ${s.error}`, fix: `kubectl -n ${ns} get pods -o wide; kubectl -n ${ns} logs ${s.pod ?? "POD"} -c nats --previous` });
    } else if (s.unhealthy) {
      add({ severity: "error", code: "server-unhealthy", subject: s.varz!.server_name, message: `/healthz fails: ${s.unhealthy}`, fix: `kubectl -n ${ns} logs ${s.varz!.server_name} -c nats` });
    }
  }

  // Names: server_name is the pod name; two servers with one name confuse routes and the meta group.
  const byName = new Map<string, ServerSnapshot[]>();
  for (const s of up) byName.set(s.varz!.server_name, [...(byName.get(s.varz!.server_name) ?? []), s]);
  for (const [name, same] of byName) {
    if (same.length > 1)
      add({ severity: "error", code: "duplicate-server-name", subject: name, message: `${same.length} servers call themselves ${name} (${same.map((s) => s.url).join(", ")})`, fix: "every server needs its own server_name: natskube sets it from the pod name ($POD_NAME); restore the rendered ConfigMap and StatefulSet" });
    else if (!expect.servers.includes(name))
      add({ severity: "warning", code: "unexpected-server", subject: name, message: `${same[0]!.url} answers as ${name}, which is not one of ${expect.servers.join(", ")}`, fix: "check --monitor-url, or the pod's server_name" });
  }

  const versions = [...new Set(up.map((s) => s.varz!.version))].sort();
  if (versions.length > 1) {
    const who = versions.map((v) => `${v} on ${up.filter((s) => s.varz!.version === v).map((s) => s.varz!.server_name).join(", ")}`);
    add({ severity: "warning", code: "version-skew", subject: "cluster", message: `the servers run different versions: ${who.join("; ")} (a rolling update in progress, or one that stopped)`, fix: `kubectl -n ${ns} rollout status statefulset/${expect.servers[0]?.replace(/-\d+$/, "")}` });
  } else if (versions.length === 1 && expect.version && versions[0] !== expect.version) {
    add({ severity: "warning", code: "version-differs", subject: "cluster", message: `the servers run ${versions[0]}, the manifest's image is ${expect.version}`, fix: "natskube apply FILE (or a rollout of the StatefulSet)" });
  }

  for (const s of up) {
    const name = s.varz!.server_name;
    if (expect.clusterName && s.varz!.cluster?.name !== expect.clusterName)
      add({ severity: "warning", code: "config-drift", subject: name, message: `cluster name is ${JSON.stringify(s.varz!.cluster?.name ?? "")}, the render's is ${expect.clusterName}`, fix: "natskube diff FILE, then natskube apply FILE" });
    if (!expect.jetstream) continue;
    const js = s.jsz;
    if (!js || js.disabled) {
      add({ severity: "error", code: "jetstream-disabled", subject: name, message: "JetStream is not running on this server, the render enables it", fix: `kubectl -n ${ns} logs ${name} -c nats | grep -i jetstream` });
      continue;
    }
    for (const [kind, used, max, rendered] of [
      ["file", js.storage, js.config?.max_storage ?? 0, expect.maxFileStore],
      ["memory", js.memory, js.config?.max_memory ?? 0, expect.maxMemoryStore],
    ] as const) {
      if (rendered > 0 && max > 0 && max !== rendered)
        add({ severity: "warning", code: "config-drift", subject: name, message: `max ${kind} store is ${mib(max)}, the render's is ${mib(rendered)}`, fix: "natskube diff FILE, then natskube apply FILE" });
      if (max <= 0 || used < STORE_WARN * max) continue;
      const full = used >= STORE_FULL * max;
      add({
        severity: full ? "error" : "warning",
        code: full ? "store-full" : "store-filling",
        subject: name,
        message: `${kind} store ${pct(used, max)} used (${mib(used)} of ${mib(max)})${full ? ": new messages are refused" : ""}`,
        fix: kind === "file" ? `raise spec.jetstream.persistence.size (a larger PVC, see natskube plan) or set limits on the streams: ${nats("stream report")}` : `raise resources.limits.memory, or set max_bytes on the memory streams: ${nats("stream report")}`,
      });
    }
  }
  if (expect.jetstream) metaFindings(expect, up, add, sys, nats);
  if (expect.jetstream && expect.servers.length > 1) assetFindings(up, add, nats);
  return sortFindings(out);
}

/** Errors first, then by code and subject: the same order on every run. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.code.localeCompare(b.code) || a.subject.localeCompare(b.subject));
}

type Add = (f: Finding) => void;
type Cmd = (args: string) => string;

function metaFindings(expect: Expectation, up: ServerSnapshot[], add: Add, sys: Cmd, nats: Cmd): void {
  const withMeta = up.filter((s) => s.jsz?.meta_cluster);
  if (withMeta.length === 0 || expect.servers.length === 1) return;
  const leaders = new Map<string, string[]>();
  for (const s of withMeta) {
    const leader = s.jsz!.meta_cluster!.leader ?? "";
    leaders.set(leader, [...(leaders.get(leader) ?? []), s.varz!.server_name]);
  }
  const noLeader = leaders.get("");
  if (noLeader) add({ severity: "error", code: "no-meta-leader", subject: "meta group", message: `${noLeader.join(", ")} know${noLeader.length === 1 ? "s" : ""} no JetStream meta leader: no stream or consumer can be created, changed or deleted`, fix: `${nats("server report jetstream")}; a group without quorum needs its missing servers back` });
  const named = [...leaders.keys()].filter((l) => l !== "");
  if (named.length > 1)
    add({ severity: "error", code: "meta-leader-disagreement", subject: "meta group", message: `the servers name different meta leaders: ${named.map((l) => `${l} (per ${leaders.get(l)!.join(", ")})`).join("; ")}`, fix: `${nats("server report jetstream")}; then ${sys("server raft step-down")}` });
  // The leader's view is the group's: it lists every peer with whether it has been seen lately.
  const leaderName = named.length === 1 ? named[0]! : undefined;
  const leader = withMeta.find((s) => s.varz!.server_name === leaderName);
  const meta = (leader ?? withMeta[0]!).jsz!.meta_cluster!;
  const peers: PeerInfo[] = [...(meta.replicas ?? []), ...(leader ? [{ name: leader.varz!.server_name, current: true, active: 0 }] : [])];
  const phantoms = peers.filter((p) => !expect.servers.includes(p.name));
  for (const p of phantoms)
    add({ severity: "error", code: "phantom-peer", subject: p.name, message: `the meta group still counts ${p.name}${p.offline ? " (offline)" : ""}, which is not a server of this cluster (left over from a scale-down or a renamed pod): it counts toward quorum and never votes`, fix: sys(`server raft peer-remove ${p.name}`) });
  // `offline` comes late for a killed server (when its heartbeats are declared lost, up to minutes);
  // not seen for RAFT's lost-quorum interval is what the leader itself counts as gone.
  const gone = (q: PeerInfo) => q.offline || q.active >= LOST_QUORUM_NS;
  for (const p of peers.filter((q) => expect.servers.includes(q.name) && gone(q)))
    add({ severity: "error", code: "meta-peer-offline", subject: p.name, message: `${p.name} is ${p.offline ? "offline" : "gone"} in the meta group (last seen ${(p.active / 1e9).toFixed(0)} s ago)`, fix: `kubectl -n ${expect.namespace} get pod ${p.name} -o wide; kubectl -n ${expect.namespace} logs ${p.name} -c nats` });
  // A server that answers, follows the leader, and is not among the leader's peers was peer-removed and
  // came back (restarted on its old store, or never stopped). nats-server's leader refuses a removed peer
  // for peerRemoveTimeout (5 minutes, raft.go) after the removal, then re-admits it the next time it hears
  // from it: measured on 2.11.17, 2.14.2 and 2.15.3, back in the group 300 s after the peer-remove, with
  // nothing run; restarted 3 s after the removal, or on an empty store, it stayed out all the same.
  const removed = leader ? withMeta.filter((s) => s !== leader && s.jsz!.meta_cluster!.leader === leaderName && expect.servers.includes(s.varz!.server_name) && !peers.some((p) => p.name === s.varz!.server_name)) : [];
  const rejoin = (name: string) => `nothing to run: the meta leader re-admits ${name} by itself 5 minutes after its peer-remove (nats-server's peerRemoveTimeout); watch it with ${nats("server report jetstream")}. Meanwhile the group has ${meta.cluster_size} votes: do not stop another server`;
  for (const s of removed) {
    const name = s.varz!.server_name;
    add({ severity: "error", code: "meta-peer-removed", subject: name, message: `${name} runs and follows meta leader ${leaderName}, but the leader does not count it as a peer (it was peer-removed, then came back): it holds no vote and takes no new stream or consumer replica`, fix: rejoin(name) });
  }
  if (meta.cluster_size !== expect.servers.length) {
    const more = meta.cluster_size > expect.servers.length;
    const removedNames = removed.map((s) => s.varz!.server_name).join(", ");
    add({
      severity: "error",
      code: "meta-group-size",
      subject: "meta group",
      message: `the meta group has ${meta.cluster_size} peers, the StatefulSet ${expect.servers.length} servers: ${more ? "quorum needs more votes than the servers can give" : removed.length ? `${removedNames} peer-removed and not yet re-admitted` : "some servers never joined"}`,
      fix: more
        ? phantoms.length
          ? phantoms.map((p) => sys(`server raft peer-remove ${p.name}`)).join("; ")
          : nats("server report jetstream")
        : removed.length
          ? rejoin(removedNames)
          : `kubectl -n ${expect.namespace} rollout restart statefulset (one pod at a time), then ${nats("server report jetstream")}`,
    });
  }
}

interface Asset {
  account: string;
  stream: StreamDetail;
  /** The leader's own report, which holds the replicas' state. */
  fromLeader?: StreamDetail;
  leader?: string;
}

function assetFindings(up: ServerSnapshot[], add: Add, nats: Cmd): void {
  const streams = new Map<string, Asset>();
  for (const s of up) {
    const me = s.varz!.server_name;
    for (const acc of s.jsz?.account_details ?? [])
      for (const st of acc.stream_detail ?? []) {
        const key = `${acc.name}/${st.name}`;
        const a = streams.get(key) ?? { account: acc.name, stream: st };
        if (st.cluster?.leader) a.leader = st.cluster.leader;
        if (st.cluster?.leader === me) a.fromLeader = st;
        streams.set(key, a);
      }
  }
  for (const [, a] of [...streams].sort(([x], [y]) => x.localeCompare(y))) {
    const st = a.fromLeader ?? a.stream;
    const name = a.account === "$G" ? st.name : `${st.name} (account ${a.account})`;
    const replicas = st.config?.num_replicas ?? 1;
    if (!a.leader) {
      add({ severity: "error", code: "stream-no-leader", subject: name, message: `stream ${name} has no leader: without a quorum of its ${replicas} replicas it takes no writes`, fix: `${nats(`stream info ${st.name}`)}; bring its offline servers back` });
      continue;
    }
    if (replicas === 1)
      add({ severity: "warning", code: "stream-r1", subject: name, message: `stream ${name} has one replica, on ${a.leader}: it is unavailable whenever that pod restarts (every rolling update) and lost with its volume`, fix: nats(`stream edit ${st.name} --replicas 3`) });
    for (const p of a.fromLeader?.cluster?.replicas ?? [])
      if (p.offline || !p.current)
        add({ severity: "warning", code: "stream-replica-behind", subject: name, message: `stream ${name}: the replica on ${p.name} is ${p.offline ? "offline" : `not current${p.lag ? ` (${p.lag} operations behind)` : ""}`}`, fix: nats(`stream info ${st.name}`) });
    for (const c of st.consumer_detail ?? [])
      if (!c.cluster?.leader)
        add({ severity: "error", code: "consumer-no-leader", subject: `${name}/${c.name}`, message: `consumer ${c.name} of ${name} has no leader: it delivers nothing`, fix: nats(`consumer info ${st.name} ${c.name}`) });
  }
}

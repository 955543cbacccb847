/**
 * Everything natskube knows about how nats-server versions differ: the one place rendering,
 * validation and verify ask. The table entries were measured on the test matrix (2.11.17, 2.14.2,
 * 2.15.3: `nats-server -t` for keys, a 3-node cluster for JetStream requests) plus 2.10.29 and
 * Debian's 2.9.10;
 * docs/server-versions.md records the measurements. Where a key was first accepted between two
 * measured versions, the entry names the first measured version that accepts it: for the versions
 * in between natskube leaves the key out, which no server refuses.
 */

export interface ServerVersion {
  major: number;
  minor: number;
  patch: number;
}

/**
 * The oldest nats-server line natskube renders for: the oldest line of the test matrix. 2.9 rejects
 * keys every render carries; 2.10 starts, but its JetStream meta group sometimes forms short at a
 * cold start and never grows (docs/server-versions.md), which 2.11 and later were never seen to do.
 */
export const OLDEST_SUPPORTED = "2.11";

/** Why a line below {@link OLDEST_SUPPORTED} is refused, for the validation message. */
export function unsupportedReason(tag: string): string {
  return serverAtLeast(tag, "2.10")
    ? "its JetStream meta group sometimes forms with fewer servers than the cluster at a cold start and never grows, so R3 streams cannot be placed (measured on a loaded machine: 2.10.29 in 12 of 250 cold starts of a 3-server cluster, 2.11.17 and 2.12.15 in none of 250 each)"
    : "it rejects keys natskube writes (such as cluster.compression) and would not start";
}

/** `2.14.2-alpine`, `v2.10`, `2.15.3` -> the version; tags that are not versions (`latest`, `alpine`) -> undefined. */
export function parseVersion(tag: string): ServerVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?![\d.])/.exec(tag);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) } : undefined;
}

/** -1, 0 or 1 comparing major.minor.patch; tags that are not versions compare as newest. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [parseVersion(a), parseVersion(b)];
  if (!pa || !pb) return pa ? -1 : pb ? 1 : 0;
  for (const k of ["major", "minor", "patch"] as const) if (pa[k] !== pb[k]) return pa[k] < pb[k] ? -1 : 1;
  return 0;
}

/** Whether an image tag (or `nats-server --version`) is at least `version`; a tag like `latest` counts as newest. */
export function serverAtLeast(tag: string, version: string): boolean {
  return compareVersions(tag, version) >= 0;
}

/** Whether the image tag names a line natskube no longer supports (below {@link OLDEST_SUPPORTED}). */
export function unsupportedServer(tag: string): boolean {
  return !serverAtLeast(tag, OLDEST_SUPPORTED);
}

/**
 * nats.conf keys that older servers reject as unknown fields (the server refuses to start), with
 * the first measured version that accepts each (`nats-server -t` on 2.9.10, 2.10.29, 2.11.17,
 * 2.12.15, 2.14.2 and 2.15.3). The integration tier checks every entry on every server of the matrix.
 */
export const CONF_KEYS = {
  /** Route compression; `s2_auto` adapts the level to the RTT. */
  "cluster.compression": "2.10",
  "cluster.pool_size": "2.10",
  "jetstream.sync_interval": "2.10",
  "jetstream.request_queue_limit": "2.10",
  "tls.handshake_first": "2.10",
  "tls.min_version": "2.10",
  /** 2.10.29 rejects them, 2.11.17 accepts them. */
  "jetstream.strict": "2.11",
  "jetstream.max_buffered_msgs": "2.11",
  "jetstream.max_buffered_size": "2.11",
  "jetstream.meta_compact": "2.11",
  "cluster.write_deadline": "2.11",
  write_timeout: "2.11",
  /** 2.12.15 rejects it, 2.14.2 accepts it. */
  "jetstream.info_queue_limit": "2.14",
  /**
   * 2.14.2 rejects them, 2.15.3 accepts them (2.12.15 accepts max_concurrent_io, a late 2.12 patch;
   * the entry names the first line of the matrix that has it throughout).
   */
  "jetstream.max_concurrent_io": "2.15",
  "jetstream.limits.default_max_consumers": "2.15",
} as const;

export type ConfKey = keyof typeof CONF_KEYS;

/** Whether a server of `tag` starts with `key` in its nats.conf. */
export function acceptsKey(tag: string, key: ConfKey): boolean {
  return serverAtLeast(tag, CONF_KEYS[key]);
}

/**
 * JetStream API requests whose verdict changed between versions: `refusedFrom` / `refusedBefore`
 * bound the versions that refuse them (measured on a 3-node cluster, see the streams-server test).
 */
export const SERVER_BEHAVIOUR = {
  /** A consumer filter outside its stream's subjects: 2.9 refused it ("not a valid subset"); 2.10 and later accept it. */
  filterOutsideStream: { refusedBefore: "2.10" },
  /** Several filters on one consumer (`filter_subjects`): 2.9 had none. */
  filterSubjects: { refusedBefore: "2.10" },
  /** On interest and workqueue streams a consumer must have the stream's replicas: enforced from 2.10. */
  consumerReplicasOnInterest: { refusedFrom: "2.10" },
  /**
   * Streams whose maxBytes x replicas together exceed the cluster's store ("insufficient storage"):
   * 2.10.29 refuses the stream that does not fit; 2.14.2 and 2.15.3 usually create it, but refuse it
   * when the leader has already counted the first stream's reservation (seen under load), so from
   * 2.14 it is a risk, not a certain refusal. One stream above a single server's store is still
   * refused everywhere.
   */
  clusterReservation: { refusedBefore: "2.14" },
} as const satisfies Record<string, { refusedFrom?: string; refusedBefore?: string }>;

export type Behaviour = keyof typeof SERVER_BEHAVIOUR;

/** Whether a server of `tag` refuses the request `what` describes. */
export function serverRefuses(tag: string, what: Behaviour): boolean {
  const b: { refusedFrom?: string; refusedBefore?: string } = SERVER_BEHAVIOUR[what];
  return (b.refusedFrom === undefined || serverAtLeast(tag, b.refusedFrom)) && (b.refusedBefore === undefined || !serverAtLeast(tag, b.refusedBefore));
}

/** The version a manifest targets, for messages: the image tag without its variant (`2.14.2-alpine` -> `2.14.2`). */
export function targetLabel(tag: string): string {
  const v = parseVersion(tag);
  return v ? `${v.major}.${v.minor}.${v.patch}` : `${tag} (taken as the newest)`;
}

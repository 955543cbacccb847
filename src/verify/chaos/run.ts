import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { retry, type Progress } from "../checks.js";
import { connectTo, type ClientAccess } from "../clients.js";
import type { LocalCluster } from "../local-cluster.js";
import type { LocalPlan } from "../local-plan.js";
import { waitPlaced } from "../placement.js";
import type { ChaosReport, FaultResult } from "../report.js";
import { killStreamLeader, rollingRestart, type FaultContext, type FaultOutcome } from "./faults.js";
import { ChaosPublisher, type AckedMessage } from "./publisher.js";
import { readStream } from "./readback.js";

import { CHAOS_STREAM, REQUEST_TIMEOUT_MS } from "../defaults.js";

export { CHAOS_STREAM };
const SUBJECT = "natskube.chaos.msgs";
const ATTEMPT_TIMEOUT_MS = 2000;
const DEDUPE_WINDOW_NS = 120e9;

export interface ChaosOptions {
  cluster: LocalCluster;
  plan: LocalPlan;
  access: ClientAccess;
  /** At least this many messages are acknowledged; the publisher runs until every fault is over too. */
  messages: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onFault?: (f: FaultResult) => void;
  onProgress?: Progress;
}

/** Why --chaos cannot run on this configuration, or undefined when it can. */
export function chaosUnsupported(plan: Pick<LocalPlan, "model">): string | undefined {
  const m = plan.model;
  if (!m.jetstream.enabled) return "--chaos needs JetStream (spec.jetstream.enabled: true): it proves no acknowledged message is lost";
  if (m.replicas < 3) return `--chaos needs at least 3 replicas (this manifest has ${m.replicas}): with fewer, a killed server takes the stream's quorum with it`;
  return undefined;
}

/** Longest wait for an acknowledgement among messages in flight at some time within [from, to]. */
function longestStall(acked: readonly AckedMessage[], from = -Infinity, to = Infinity): number {
  let worst = 0;
  for (const a of acked) if (a.ackedAt >= from && a.firstAt <= to) worst = Math.max(worst, a.ackedAt - a.firstAt);
  return Math.round(worst);
}

/**
 * While a publisher writes to an R3 stream with acknowledgements and message IDs: kill -9 the stream
 * leader and restart it, then a rolling restart with lame duck mode. Then reads the stream back:
 * every acknowledged message must be there.
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const started = performance.now();
  const replicas = Math.min(3, o.plan.model.replicas);
  const report: ChaosReport = {
    ok: false,
    stream: CHAOS_STREAM,
    replicas,
    acknowledged: 0,
    readBack: false,
    lost: 0,
    duplicates: 0,
    retries: 0,
    dedupedRetries: 0,
    longestStallMs: 0,
    faults: [],
    durationMs: 0,
  };
  let nc: NatsConnection | undefined;
  let publisher: ChaosPublisher | undefined;
  try {
    nc = await connectTo(
      o.plan.servers.map((s) => s.clientUrl),
      o.access,
      // Unlike the checks' clients, this one must survive every server going away in turn.
      { reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 100, waitOnFirstConnect: true },
    );
    // Pending requests fail at once instead of waiting for their timeouts.
    const conn = nc;
    o.signal?.addEventListener("abort", () => void conn.close().catch(() => {}), { once: true });
    const jsm = await jetstreamManager(nc, { timeout: REQUEST_TIMEOUT_MS });
    const js = jetstream(nc, { timeout: ATTEMPT_TIMEOUT_MS });
    const progress = o.onProgress ? { progress: o.onProgress } : {};
    const config = {
      name: CHAOS_STREAM,
      subjects: [SUBJECT],
      num_replicas: replicas,
      storage: o.plan.model.jetstream.mode === "FILE" ? "file" : "memory",
      duplicate_window: DEDUPE_WINDOW_NS,
    } as Parameters<typeof jsm.streams.add>[0];
    await retry(() => jsm.streams.add(config), o.timeoutMs, { what: `create stream ${CHAOS_STREAM}`, ...progress });
    await waitPlaced(() => jsm.streams.info(CHAOS_STREAM), replicas, o.timeoutMs, { ...progress, what: `stream ${CHAOS_STREAM}` });

    // A safety net only: every step below has its own bound.
    // Room for each pod's drain and startup-probe wait (up to 4x --timeout each) in the rolling restart.
    const deadline = Date.now() + (4 + 6 * o.plan.model.replicas) * o.timeoutMs;
    publisher = new ChaosPublisher(js, SUBJECT, { attemptTimeoutMs: ATTEMPT_TIMEOUT_MS, deadline, ...(o.signal ? { signal: o.signal } : {}) });
    publisher.start();
    if (!(await publisher.waitForAcked(Math.min(100, Math.ceil(o.messages / 4))))) throw new Error(`the publisher could not start: ${publisher.lastError}`);

    const ctx: FaultContext = {
      cluster: o.cluster,
      plan: o.plan,
      jsm,
      publisher,
      stream: CHAOS_STREAM,
      replicas,
      timeoutMs: o.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
      ...progress,
    };
    for (const fault of [killStreamLeader, rollingRestart]) {
      if (o.signal?.aborted) throw new Error("interrupted");
      const outcome = await runFault(ctx, fault);
      report.faults.push(outcome);
      o.onFault?.(outcome);
      if (!outcome.ok) break;
    }
    if (report.faults.every((f) => f.ok) && !(await publisher.waitForAcked(o.messages)))
      throw new Error(`only ${publisher.acked.length} of ${o.messages} messages were acknowledged (last error: ${publisher.lastError || "none"})`);
    await publisher.stop();
    if (o.signal?.aborted) throw new Error("interrupted");

    const info = await retry(() => jsm.streams.info(CHAOS_STREAM), o.timeoutMs, { what: `stream ${CHAOS_STREAM} info`, ...progress });
    // Read up to the highest acknowledged sequence too: a STREAM.INFO answered while the stream
    // has no leader can report a stale last_seq, and stopping there would count messages as lost
    // that were never looked for. A stream that really ends earlier fails the read instead.
    const lastAcked = publisher.acked.reduce((max, a) => Math.max(max, a.seq), 0);
    const found = await readStream(js, CHAOS_STREAM, Math.max(info.state.last_seq, lastAcked), o.timeoutMs);
    tally(report, publisher, found);
    report.readBack = true;
    await jsm.streams.delete(CHAOS_STREAM).catch(() => {});
  } catch (e) {
    report.error = (e as Error).message;
    await publisher?.stop();
  } finally {
    if (publisher) {
      report.acknowledged = publisher.acked.length;
      report.retries = publisher.retries;
      report.dedupedRetries = publisher.dedupedRetries;
      report.longestStallMs = longestStall(publisher.acked);
    }
    await nc?.close().catch(() => {});
  }
  // A duplicate is a retry the dedupe window did not catch: a consumer would process it twice.
  report.ok =
    report.error === undefined && report.readBack && report.lost === 0 && report.duplicates === 0 && report.faults.length === 2 && report.faults.every((f) => f.ok);
  report.durationMs = Math.round(performance.now() - started);
  return report;

  async function runFault(ctx: FaultContext, fault: (c: FaultContext) => Promise<FaultOutcome>): Promise<FaultResult> {
    const startedAt = performance.now();
    try {
      const out = await fault(ctx);
      return {
        name: out.name,
        ok: true,
        recoverMs: Math.round(out.recoveredAt - out.startedAt),
        longestStallMs: longestStall(ctx.publisher.acked, out.startedAt, out.recoveredAt),
        detail: out.detail,
        warnings: out.warnings,
      };
    } catch (e) {
      const now = performance.now();
      return {
        name: fault === killStreamLeader ? "kill -9 of the stream leader" : "rolling restart",
        ok: false,
        recoverMs: Math.round(now - startedAt),
        longestStallMs: longestStall(ctx.publisher.acked, startedAt, now),
        detail: `did not recover: ${(e as Error).message}`,
        warnings: [],
      };
    }
  }
}

function tally(report: ChaosReport, publisher: ChaosPublisher, found: Map<string, number[]>): void {
  // Present under any sequence counts: a deduplicated retry may be acknowledged with the original's.
  report.lost = publisher.acked.filter((a) => !found.has(a.id)).length;
  report.duplicates = [...found.values()].reduce((n, seqs) => n + seqs.length - 1, 0);
}

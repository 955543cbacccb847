import type { JetStreamManager } from "@nats-io/jetstream";
import { retry, type Progress } from "../checks.js";
import { waitHttpOk } from "../http-wait.js";
import type { LocalCluster } from "../local-cluster.js";
import type { LocalPlan } from "../local-plan.js";
import { waitPlaced } from "../placement.js";
import type { ChaosPublisher } from "./publisher.js";

export interface FaultContext {
  cluster: LocalCluster;
  plan: LocalPlan;
  jsm: JetStreamManager;
  publisher: ChaosPublisher;
  stream: string;
  replicas: number;
  timeoutMs: number;
  signal?: AbortSignal;
  progress?: Progress;
}

export interface FaultOutcome {
  name: string;
  detail: string;
  warnings: string[];
  /** performance.now() when the fault began and when the cluster had recovered. */
  startedAt: number;
  recoveredAt: number;
}

/** How long the startup probe gets after recovery before a warning is recorded. */
const STARTUP_GRACE_MS = 5000;
const LOG_TAIL_LINES = 15;
const STARTUP_WAIT_FACTOR = 4;

/**
 * Recovered = every server passes the readiness probe, each restarted one has rejoined the meta
 * group as a current member in its own and the leader's view (on 2.15 the readiness probe answers
 * 200 before that), the stream has a leader and every replica current, and the publisher got a
 * new acknowledgement after the fault.
 */
async function waitRecovered(ctx: FaultContext, acksAtFault: number, restarted: readonly string[]): Promise<string> {
  const { timeoutMs, signal, progress } = ctx;
  await Promise.all(ctx.cluster.servers.map((s) => waitHttpOk(`${s.monitorUrl}${ctx.plan.readinessPath}`, timeoutMs, signal, progress)));
  // Rejoining and catching up is what the startup probe waits for, so it gets the same bound.
  const catchUpMs = startupBound(ctx);
  for (const name of restarted) await ctx.cluster.waitRejoined(name, catchUpMs);
  const placed = await waitPlaced(() => ctx.jsm.streams.info(ctx.stream), ctx.replicas, catchUpMs, { signal, progress, what: `stream ${ctx.stream}` });
  if (!(await ctx.publisher.waitForAcked(acksAtFault + 1))) throw new Error(`publishing did not resume (last error: ${ctx.publisher.lastError || "none"})`);
  return placed;
}

/**
 * The kubelet gives the startup probe its whole budget (15 min as rendered) before it restarts the
 * container, and a rollout waits that long; verify waits up to STARTUP_WAIT_FACTOR x --timeout of
 * it (a loaded machine can need more than --timeout for a replica to catch up).
 */
function startupBound(ctx: FaultContext): number {
  return Math.max(ctx.timeoutMs, Math.min((ctx.plan.startupBudgetSeconds ?? 0) * 1000, STARTUP_WAIT_FACTOR * ctx.timeoutMs));
}

/**
 * The startup probe (full /healthz: every stream and consumer current) of restarted servers. It
 * does not gate recovery: nats-server 2.9 can leave an idle consumer's restarted replica "not
 * current" until the consumer sees traffic, which is worth knowing but is not message loss.
 */
async function startupWarnings(ctx: FaultContext, restarted: readonly string[]): Promise<string[]> {
  const path = ctx.plan.startupPath;
  if (!path) return [];
  const servers = ctx.cluster.servers.filter((s) => restarted.includes(s.name));
  const results = await Promise.allSettled(servers.map((s) => waitHttpOk(`${s.monitorUrl}${path}`, STARTUP_GRACE_MS, ctx.signal)));
  return results.flatMap((r, i) =>
    r.status === "rejected" ? [`${servers[i]!.name}: startup probe ${path} still failing ${STARTUP_GRACE_MS} ms after recovery: ${lastAnswer(r.reason)}`] : [],
  );
}

function lastAnswer(e: unknown): string {
  return /\(last: (.*)\)$/s.exec((e as Error).message)?.[1] ?? (e as Error).message;
}

/** SIGKILL of the stream leader, restarted at once (as the kubelet restarts a crashed container). */
export async function killStreamLeader(ctx: FaultContext): Promise<FaultOutcome> {
  const info = await retry(() => ctx.jsm.streams.info(ctx.stream), ctx.timeoutMs, { what: `stream ${ctx.stream} info`, ...(ctx.progress ? { progress: ctx.progress } : {}) });
  const leader = info.cluster?.leader;
  const victim = ctx.cluster.servers.find((s) => s.serverName === leader);
  if (!victim) throw new Error(`stream leader ${leader ?? "(none)"} is not one of the local servers`);
  const metaLeader = await ctx.cluster.waitMetaLeader(ctx.timeoutMs);
  const startedAt = performance.now();
  const acks = ctx.publisher.acked.length;
  await ctx.cluster.kill(victim.name, "SIGKILL");
  await ctx.cluster.restart(victim.name);
  const placed = await waitRecovered(ctx, acks, [victim.name]);
  const recoveredAt = performance.now();
  const role = victim.name === metaLeader ? "stream leader and meta leader" : "stream leader";
  return {
    name: `kill -9 of ${victim.name} (${role}), restarted`,
    detail: `caught up: ${placed}`,
    warnings: await startupWarnings(ctx, [victim.name]),
    startedAt,
    recoveredAt,
  };
}

/**
 * A StatefulSet rolling update: highest ordinal first; each pod gets its preStop (lame duck mode,
 * waiting until the server has drained and exited), SIGTERM, up to terminationGracePeriodSeconds,
 * then is started again. As the kubelet, the next pod is stopped only after this one passed its
 * startup probe and then its readiness probe.
 */
export async function rollingRestart(ctx: FaultContext): Promise<FaultOutcome> {
  const { timeoutMs, signal, progress } = ctx;
  const preStop = ctx.plan.preStop;
  const graceMs = ctx.plan.terminationGraceSeconds * 1000;
  const startedAt = performance.now();
  const acks = ctx.publisher.acked.length;
  const steps: string[] = [];
  const slow: string[] = [];
  const order = [...ctx.cluster.servers].reverse();
  for (const server of order) {
    const t = await ctx.cluster.terminatePod(server.name, { ...(preStop ? { preStop } : {}), graceMs });
    const drained = currentRun(server.logs).includes("Entering lame duck mode");
    // The rendered preStop waits until the server has drained and exited, so the kubelet's SIGTERM
    // finds nothing to stop. Anything else is the race this preStop exists to close.
    if (preStop && !(t.preStop === "ok" && drained && t.exitedBeforeSigterm))
      throw new Error(
        `${server.name} did not drain before SIGTERM: preStop ${t.preStop} after ${t.preStopMs} ms, ` +
          `${drained ? "lame duck mode began" : "lame duck mode never began"}, ${t.exitedBeforeSigterm ? "exited" : "still running"} when SIGTERM came`,
      );
    await ctx.cluster.restart(server.name);
    if (signal?.aborted) throw new Error("interrupted");
    const probe = (path: string, boundMs = timeoutMs) =>
      waitHttpOk(`${server.monitorUrl}${path}`, boundMs, signal, progress).catch((e: Error) => {
        // The server's own words say why it is not healthy (catch-up, no leader contact, ...).
        throw new Error(`${e.message}\n--- ${server.name} log tail ---\n${currentRun(server.logs).split("\n").slice(-LOG_TAIL_LINES).join("\n")}`);
      });
    const startupMs = ctx.plan.startupPath ? await probe(ctx.plan.startupPath, startupBound(ctx)) : 0;
    if (startupMs > timeoutMs) slow.push(`${server.name}: startup probe ${ctx.plan.startupPath} passed only ${startupMs} ms after start (longer than --timeout)`);
    const readyMs = await probe(ctx.plan.readinessPath);
    const how = !preStop ? "no preStop" : `lame duck, drained and exited in ${t.preStopMs} ms`;
    const probes = ctx.plan.startupPath ? `started ${startupMs} ms, ready ${readyMs} ms after start` : `ready ${readyMs} ms after start`;
    steps.push(`${server.name}: ${how}${t.exitedInGrace ? "" : " (SIGKILL after the grace period)"}, ${probes}`);
  }
  const placed = await waitRecovered(ctx, acks, order.map((s) => s.name));
  const recoveredAt = performance.now();
  return {
    name: "rolling restart, highest ordinal first, lame duck mode",
    detail: `${steps.join("; ")}; caught up: ${placed}`,
    warnings: slow,
    startedAt,
    recoveredAt,
  };
}

/** Log lines of the latest process (the harness marks each restart). */
function currentRun(logs: string): string {
  const marker = logs.lastIndexOf("----- restarted -----");
  return marker === -1 ? logs : logs.slice(marker);
}

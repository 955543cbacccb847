import { basename } from "node:path";
import type { JetStreamManager } from "@nats-io/jetstream";
import { retry } from "../checks.js";
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

/**
 * Recovered = every server passes the readiness probe, the stream has a leader and every replica
 * current, and the publisher got a new acknowledgement after the fault.
 */
async function waitRecovered(ctx: FaultContext, acksAtFault: number): Promise<string> {
  await Promise.all(ctx.cluster.servers.map((s) => waitHttpOk(`${s.monitorUrl}${ctx.plan.readinessPath}`, ctx.timeoutMs, ctx.signal)));
  const placed = await waitPlaced(() => ctx.jsm.streams.info(ctx.stream), ctx.replicas, ctx.timeoutMs, ctx.signal);
  if (!(await ctx.publisher.waitForAcked(acksAtFault + 1))) throw new Error(`publishing did not resume (last error: ${ctx.publisher.lastError || "none"})`);
  return placed;
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
  const info = await retry(() => ctx.jsm.streams.info(ctx.stream), ctx.timeoutMs);
  const leader = info.cluster?.leader;
  const victim = ctx.cluster.servers.find((s) => s.serverName === leader);
  if (!victim) throw new Error(`stream leader ${leader ?? "(none)"} is not one of the local servers`);
  const metaLeader = await ctx.cluster.waitMetaLeader(ctx.timeoutMs);
  const startedAt = performance.now();
  const acks = ctx.publisher.acked.length;
  await ctx.cluster.kill(victim.name, "SIGKILL");
  await ctx.cluster.restart(victim.name);
  const placed = await waitRecovered(ctx, acks);
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

/** The rendered preStop as nats-server arguments, when it runs nats-server (it does: lame duck mode). */
function preStopArgs(plan: LocalPlan): string[] | undefined {
  const cmd = plan.preStop;
  if (!cmd?.length || basename(cmd[0]!) !== "nats-server") return undefined;
  return cmd.slice(1);
}

/**
 * A StatefulSet rolling update: highest ordinal first; each pod gets its preStop (lame duck
 * mode), SIGTERM, up to terminationGracePeriodSeconds, then is started again; the next pod waits
 * until this one passes the readiness probe.
 */
export async function rollingRestart(ctx: FaultContext): Promise<FaultOutcome> {
  const args = preStopArgs(ctx.plan);
  const graceMs = ctx.plan.terminationGraceSeconds * 1000;
  const startedAt = performance.now();
  const acks = ctx.publisher.acked.length;
  const steps: string[] = [];
  const raced: string[] = [];
  const order = [...ctx.cluster.servers].reverse();
  for (const server of order) {
    const t = await ctx.cluster.terminatePod(server.name, { ...(args ? { preStopArgs: args } : {}), graceMs });
    const drained = currentRun(server.logs).includes("Entering lame duck mode");
    await ctx.cluster.restart(server.name);
    if (ctx.signal?.aborted) throw new Error("interrupted");
    const readyMs = await waitHttpOk(`${server.monitorUrl}${ctx.plan.readinessPath}`, ctx.timeoutMs, ctx.signal);
    const how = !args ? "no preStop" : t.preStop !== "ok" ? `preStop ${t.preStop}` : drained ? "lame duck" : "preStop ran, but SIGTERM stopped it before lame duck mode began";
    if (args && t.preStop === "ok" && !drained) raced.push(server.name);
    steps.push(`${server.name}: ${how}, stopped in ${t.ms} ms${t.exitedInGrace ? "" : " (SIGKILL after the grace period)"}, ready ${readyMs} ms after start`);
  }
  const placed = await waitRecovered(ctx, acks);
  const recoveredAt = performance.now();
  return {
    name: "rolling restart, highest ordinal first, lame duck mode",
    detail: `${steps.join("; ")}; caught up: ${placed}`,
    warnings: [
      // The preStop only sends a signal and returns; the kubelet's SIGTERM follows it at once. A
      // server that has not yet entered lame duck mode shuts down without draining its clients.
      ...(raced.length
        ? [`${raced.join(", ")}: SIGTERM right after the preStop arrived before lame duck mode began, so the server stopped without draining its clients`]
        : []),
      ...(await startupWarnings(ctx, order.map((s) => s.name))),
    ],
    startedAt,
    recoveredAt,
  };
}

/** Log lines of the latest process (the harness marks each restart). */
function currentRun(logs: string): string {
  const marker = logs.lastIndexOf("----- restarted -----");
  return marker === -1 ? logs : logs.slice(marker);
}

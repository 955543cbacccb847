import type { ClusterInfo } from "@nats-io/jetstream";
import { progressTicker, sleep, withTimeout, type Progress } from "./checks.js";
import { REQUEST_TIMEOUT_MS } from "./defaults.js";

/**
 * Polls until a leader and `replicas - 1` current, online followers are reported: the asset is
 * placed on as many servers as asked and caught up, not just accepted. Errors while a leader is
 * being elected are retried; each request gets REQUEST_TIMEOUT_MS, everything is bounded by `timeoutMs`.
 */
export async function waitPlaced(
  info: () => Promise<{ cluster?: ClusterInfo }>,
  replicas: number,
  timeoutMs: number,
  opts: { signal?: AbortSignal | undefined; progress?: Progress | undefined; what?: string } = {},
): Promise<string> {
  const { signal } = opts;
  const tick = progressTicker(`${opts.what ?? "placement"} on ${replicas} servers`, opts.progress);
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  for (let i = 0; i < Math.ceil(timeoutMs / 100) + 1; i++) {
    if (signal?.aborted) throw new Error("interrupted");
    try {
      const c = (await withTimeout(info(), REQUEST_TIMEOUT_MS, "info request")).cluster;
      const current = (c?.replicas ?? []).filter((p) => p.current && !p.offline).map((p) => p.name);
      if (!c && replicas === 1) return "on the single server";
      if (c?.leader && current.length === replicas - 1) return `leader ${c.leader}${current.length ? `, replicas ${current.sort().join(", ")} current` : ""}`;
      last = c ? `leader ${c.leader ?? "none"}, ${current.length}/${replicas - 1} replicas current` : "no cluster information";
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) break;
    tick(last);
    await sleep(100);
  }
  throw new Error(`not placed on ${replicas} servers within ${timeoutMs} ms (${last})`);
}

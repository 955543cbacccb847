import { retry } from "../../src/verify/checks.js";

/**
 * A JetStream API request again when it went unanswered. On a fresh cluster of a loaded machine a
 * create can get no reply within the client's timeout (CI saw a stream create time out on 2.11.17
 * and a consumer create on 2.15.3), and NACK's control loop would simply send it again. Every
 * attempt must be idempotent (the same config again), and only "timeout" is retried, so any other
 * verdict is still the server's own.
 */
export async function answered<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (i >= attempts || !/timeout/i.test((e as Error).message)) throw e;
    }
  }
}

/**
 * A stream create on a cluster that has just formed, again while the meta leader says "no suitable peers
 * for placement" (it may not have heard from every peer's JetStream yet: seen on 2.14.2, and in the kube
 * tier's 5-server cluster as "peer offline") or the request goes unanswered. Creates are idempotent; any
 * other refusal is final.
 */
export function placeable<T>(attempt: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  return retry(attempt, timeoutMs, { isFinal: (e) => !/no suitable peers|timeout/i.test((e as Error).message) });
}

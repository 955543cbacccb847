import { progressTicker, sleep, type Progress } from "./checks.js";

/** Polls `url` until it answers 200 (what a readiness probe waits for); bounded in time and count. */
export async function waitHttpOk(url: string, timeoutMs: number, signal?: AbortSignal, progress?: Progress): Promise<number> {
  const started = Date.now();
  const tick = progressTicker(`${url} to answer 200`, progress);
  let last = "no answer";
  for (let i = 0; i < Math.ceil(timeoutMs / 50) + 1; i++) {
    if (signal?.aborted) throw new Error(`interrupted while waiting for ${url}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return Date.now() - started;
      last = `${res.status} ${(await res.text()).slice(0, 200).trim()}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() - started > timeoutMs) break;
    tick(last);
    await sleep(50);
  }
  throw new Error(`${url} not 200 within ${timeoutMs} ms (last: ${last})`);
}

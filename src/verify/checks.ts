import { PROGRESS_EVERY_MS, REQUEST_TIMEOUT_MS } from "./defaults.js";
import type { CheckResult } from "./report.js";

/** Told what a wait is still waiting for; the library never prints, the CLI does. */
export type Progress = (message: string) => void;

/** Replaces every known secret value in `text`, so no detail or error can leak one. */
export type Scrub = (text: string) => string;

export function scrubber(secrets: () => Iterable<string>): Scrub {
  return (text) => {
    let out = text;
    for (const s of secrets()) if (s.length >= 3) out = out.split(s).join("***");
    return out;
  };
}

/**
 * Runs checks one by one and records each with its time. A check is a function returning its
 * detail on success and throwing on failure; a thrown error becomes a failed check, not a crash.
 */
export class CheckRunner {
  readonly results: CheckResult[] = [];

  constructor(
    private readonly scrub: Scrub,
    private readonly onResult: (r: CheckResult) => void = () => {},
  ) {}

  async run(name: string, check: () => Promise<string> | string): Promise<boolean> {
    const started = performance.now();
    let ok = true;
    let detail: string;
    try {
      detail = await check();
    } catch (e) {
      ok = false;
      detail = e instanceof Error ? e.message : String(e);
    }
    const result = { name, ok, durationMs: Math.round(performance.now() - started), detail: this.scrub(detail) };
    this.results.push(result);
    this.onResult(result);
    return ok;
  }

  get allOk(): boolean {
    return this.results.every((r) => r.ok);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Rejects when `p` has not settled within `ms` (the request itself is abandoned, not cancelled). */
export function withTimeout<T>(p: Promise<T>, ms: number, what = "request"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([p, timedOut]).finally(() => clearTimeout(timer));
}

/** Calls `report` with a message at most every PROGRESS_EVERY_MS while a wait goes on. */
export function progressTicker(what: string, report?: Progress): (state: string) => void {
  const started = Date.now();
  let next = started + PROGRESS_EVERY_MS;
  return (state) => {
    if (!report || Date.now() < next) return;
    next = Date.now() + PROGRESS_EVERY_MS;
    report(`waiting ${Math.round((Date.now() - started) / 1000)} s for ${what} (${state})`);
  };
}

/**
 * Retries `fn` until it resolves or `timeoutMs` passes (bounded in time and count); rethrows the
 * last error. Each attempt gets at most REQUEST_TIMEOUT_MS, so one lost reply costs one attempt.
 * An error `isFinal` says no wait can change is rethrown at once.
 */
export async function retry<T>(
  fn: () => Promise<T>,
  timeoutMs: number,
  opts: { pauseMs?: number; what?: string; progress?: Progress; isFinal?: (e: unknown) => boolean } = {},
): Promise<T> {
  const pauseMs = opts.pauseMs ?? 100;
  const what = opts.what ?? "a request to succeed";
  const tick = progressTicker(what, opts.progress);
  const deadline = Date.now() + timeoutMs;
  const attemptMs = Math.min(REQUEST_TIMEOUT_MS, timeoutMs);
  for (let i = 0; i < Math.ceil(timeoutMs / pauseMs) + 1; i++) {
    try {
      return await withTimeout(fn(), attemptMs, what);
    } catch (e) {
      if (opts.isFinal?.(e) || Date.now() + pauseMs > deadline) throw e;
      tick((e as Error).message);
    }
    await sleep(pauseMs);
  }
  return withTimeout(fn(), attemptMs, what);
}

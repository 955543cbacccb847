import type { CheckResult } from "./report.js";

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

/** Retries `fn` until it resolves or `timeoutMs` passes (bounded in time and count); rethrows the last error. */
export async function retry<T>(fn: () => Promise<T>, timeoutMs: number, pauseMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < Math.ceil(timeoutMs / pauseMs) + 1; i++) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() + pauseMs > deadline) throw e;
    }
    await sleep(pauseMs);
  }
  return fn();
}

// Child processes a test starts (exporters, Prometheus): tracked by PID, their output kept for
// error messages, stopped with a bound, and killed if the test process itself exits early.
import { spawn, type ChildProcess } from "node:child_process";

export interface Managed {
  readonly name: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Tail of stdout+stderr. */
  logs(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const LOG_CHARS_KEPT = 16_000;
const live = new Set<ChildProcess>();
let exitHookSet = false;

function killLiveNow(): void {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      /* already gone */
    }
  }
  live.clear();
}

/**
 * Starts `bin args` with only PATH from our environment plus `env`, so a tool never picks up a
 * developer's settings (or secrets) by accident.
 */
export function startProcess(name: string, bin: string, args: readonly string[], opts: { cwd: string; env?: Record<string, string> }): Managed {
  if (!exitHookSet) {
    exitHookSet = true;
    process.on("exit", killLiveNow);
  }
  const child = spawn(bin, [...args], {
    cwd: opts.cwd,
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let output = "";
  let gone = false;
  const capture = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-LOG_CHARS_KEPT);
  };
  child.stdout?.on("data", capture);
  child.stderr?.on("data", capture);
  const exited = new Promise<void>((done) => {
    child.once("error", (err) => {
      output += `\nfailed to start ${bin}: ${err.message}\n`;
      gone = true;
      live.delete(child);
      done();
    });
    child.once("exit", (code, signal) => {
      output += `\n[${name} ${signal ? `killed by ${signal}` : `exited with code ${code}`}]\n`;
      gone = true;
      live.delete(child);
      done();
    });
  });
  const waitExit = async (ms: number): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const ok = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
    clearTimeout(timer);
    return ok;
  };
  return {
    name,
    get pid() {
      return gone ? undefined : child.pid;
    },
    get running() {
      return !gone;
    },
    logs: () => output,
    async stop(graceMs = 5000) {
      if (gone) return;
      child.kill("SIGTERM");
      if (await waitExit(graceMs)) return;
      child.kill("SIGKILL");
      if (!(await waitExit(5000))) throw new Error(`${name} (pid ${child.pid}) survived SIGKILL for 5 s`);
    },
  };
}

/** Stops all, each by its own PID; reports every failure, not only the first. */
export async function stopAll(processes: readonly Managed[]): Promise<void> {
  const results = await Promise.allSettled(processes.map((p) => p.stop()));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed.length > 0) throw new Error(failed.map((f) => String(f.reason)).join("\n"));
}

/** Thrown by a poll's check to stop at once (a process exited): waiting longer cannot help. */
export class StopPolling extends Error {}

/**
 * Polls `check` until it returns a value (not undefined), at most `timeoutMs` and a bounded
 * number of rounds; the timeout error carries the last reason `check` gave.
 */
export async function pollUntil<T>(what: string, timeoutMs: number, check: () => Promise<T | { retry: string }>, pauseMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = "not checked yet";
  for (let i = 0; i < Math.ceil(timeoutMs / pauseMs) + 1; i++) {
    try {
      const r = await check();
      if (!(typeof r === "object" && r !== null && "retry" in r)) return r as T;
      last = (r as { retry: string }).retry;
    } catch (e) {
      if (e instanceof StopPolling) throw e;
      last = (e as Error).message;
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${last}`);
}

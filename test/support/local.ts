// Cleanup for tests that start servers: one LIFO stack per test, because node:test runs t.after
// hooks in registration order and a folder removed before its servers stop hung the tier once
// (ENOTEMPTY while nats-server still wrote, then cluster.stop never ran).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { startLocalCluster, type LocalCluster, type LocalServerSpec, type StartOptions } from "../../src/verify/local-cluster.js";

const stacks = new WeakMap<TestContext, (() => unknown)[]>();

/** Runs `fn` after the test, before everything deferred earlier (clients, then servers, then folders). */
export function defer(t: TestContext, fn: () => unknown): void {
  let stack = stacks.get(t);
  if (!stack) {
    const fresh: (() => unknown)[] = [];
    stacks.set(t, fresh);
    t.after(async () => {
      const errors: unknown[] = [];
      // Every step runs even when one fails, so a failed close never leaves servers running.
      for (const f of fresh.reverse()) await Promise.resolve().then(f).catch((e: unknown) => errors.push(e));
      if (errors.length) throw errors[0];
    });
    stack = fresh;
  }
  stack.push(fn);
}

/** A temporary folder removed after the test, after anything deferred later (servers in it). */
export function tempDir(t: TestContext, prefix = "natskube-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  defer(t, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** startLocalCluster, stopped after the test before its folder is removed. */
export async function bootLocal(t: TestContext, specs: LocalServerSpec[], opts: StartOptions): Promise<LocalCluster> {
  const cluster = await startLocalCluster(specs, opts);
  defer(t, () => cluster.stop());
  return cluster;
}

/**
 * startLocalCluster, then a meta leader agreed by all in a whole group. No retry: a group that forms
 * short was nats-server 2.10's behaviour (docs/server-versions.md), never seen on a supported
 * version, so it fails the test. The caller stops the cluster.
 */
export async function startFormed(specs: LocalServerSpec[], opts: StartOptions, timeoutMs: number): Promise<{ cluster: LocalCluster; leader: string }> {
  const cluster = await startLocalCluster(specs, { ...opts, workDir: mkdtempSync(join(opts.workDir, "boot-")) });
  try {
    return { cluster, leader: await cluster.waitMetaLeader(timeoutMs) };
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

/** startFormed, stopped after the test before its folder is removed. */
export async function bootFormed(t: TestContext, specs: LocalServerSpec[], opts: StartOptions, timeoutMs: number): Promise<{ cluster: LocalCluster; leader: string }> {
  const formed = await startFormed(specs, opts, timeoutMs);
  defer(t, () => formed.cluster.stop());
  return formed;
}

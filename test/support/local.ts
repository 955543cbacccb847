// Cleanup for tests that start servers: one LIFO stack per test, because node:test runs t.after
// hooks in registration order and a folder removed before its servers stop hung the tier once
// (ENOTEMPTY while nats-server still wrote, then cluster.stop never ran).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TestContext } from "node:test";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { makeCertificateAuthority, makeServerCertificate, type CertificateAuthority } from "../../src/verify/certs.js";
import { startLocalCluster, type LocalCluster, type LocalServerSpec, type StartOptions } from "../../src/verify/local-cluster.js";
import { buildLocalPlan, type LocalPlan } from "../../src/verify/local-plan.js";
import { localServerSpecs } from "../../src/verify/server-specs.js";
import { parseValid } from "./render.js";

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
      // Bounded: a cleanup that never ends fails its test instead of holding the whole run.
    }, { timeout: 300_000 });
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

/** Start options; without a work dir, the servers go in a temporary folder of the test. */
export type BootOptions = Omit<StartOptions, "workDir"> & { workDir?: string };

const withDir = (t: TestContext, opts: BootOptions): StartOptions => ({ ...opts, workDir: opts.workDir ?? tempDir(t) });

/** startLocalCluster, stopped after the test before its folder is removed. */
export async function bootLocal(t: TestContext, specs: LocalServerSpec[], opts: BootOptions): Promise<LocalCluster> {
  const cluster = await startLocalCluster(specs, withDir(t, opts));
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
export async function bootFormed(t: TestContext, specs: LocalServerSpec[], opts: BootOptions, timeoutMs: number): Promise<{ cluster: LocalCluster; leader: string }> {
  const formed = await startFormed(specs, withDir(t, opts), timeoutMs);
  defer(t, () => formed.cluster.stop());
  return formed;
}

export interface PodsOptions {
  /** Address of the first pod's server (127.0.0.x); the others follow it, one address each. */
  firstAddress: string;
  /**
   * Known values for env vars the pods read from Secrets, by variable name: the Secret key the rendered
   * StatefulSet reads into that variable gets this value. Fails if the render reads no such variable
   * from a Secret, so a test cannot pass with an env var the render dropped.
   */
  secretEnv?: Record<string, string>;
  /** Known values of Secret keys, `"secret/key"` -> value, as the Secret applied beside the render holds them. */
  secretValues?: Record<string, string>;
  /** Files for server `i`'s directory (certificates), where the Secret volume would put them. */
  files?: (i: number) => Record<string, string>;
}

export interface Pods {
  plan: LocalPlan;
  /** One server per pod: the rendered nats.conf and the pod's env, for bootLocal or bootFormed. */
  specs: LocalServerSpec[];
}

/**
 * The first document of `text` as its pods would run on loopback: nats.conf rendered for the local
 * topology and each pod's environment derived from the rendered StatefulSet by the verify machinery
 * (buildLocalPlan, pod-env.ts: fieldRefs, Secret and ConfigMap references, `$(VAR)`), never typed
 * by hand, so a test fails if the render drops a variable the conf needs.
 */
export function podsOf(text: string, opts: PodsOptions): Pods {
  const parsed = parseValid(text);
  let plan = buildLocalPlan(parsed, { firstAddress: opts.firstAddress, ...(opts.secretValues ? { secretValues: opts.secretValues } : {}) });
  if (opts.secretEnv) {
    const refs = secretRefs(plan);
    const secretValues: Record<string, string> = { ...opts.secretValues };
    for (const [name, value] of Object.entries(opts.secretEnv)) {
      const ref = refs.get(name);
      if (!ref) throw new Error(`the rendered StatefulSet reads no env ${name} from a Secret (it reads ${[...refs.keys()].join(", ") || "none"})`);
      secretValues[ref] = value;
    }
    plan = buildLocalPlan(parsed, { firstAddress: opts.firstAddress, secretValues });
    for (const [name, value] of Object.entries(opts.secretEnv))
      if (plan.servers.some((s) => s.env[name] !== value)) throw new Error(`env ${name}: the render holds its Secret, so the given value is not what the pods read`);
  }
  const specs = localServerSpecs(plan).map((spec, i) => (opts.files ? { ...spec, files: opts.files(i) } : spec));
  return { plan, specs };
}

/** Env var name -> `"secret/key"` for the nats container's variables that come from a Secret. */
function secretRefs(plan: LocalPlan): Map<string, string> {
  const sts = plan.objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === plan.model.names.statefulSet) as IStatefulSet | undefined;
  const container = sts?.spec?.template.spec?.containers.find((c) => c.name === "nats");
  const refs = new Map<string, string>();
  for (const e of container?.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) refs.set(e.name, `${ref.name ?? ""}/${ref.key}`);
  }
  return refs;
}

export interface BootPodsOptions extends PodsOptions {
  bin: string;
  /** Wait until the JetStream meta group is whole and has a leader, at most this long (bootFormed). */
  formedWithinMs?: number;
  /** Other start options; the servers' folder is a temporary folder of the test. */
  start?: Omit<StartOptions, "bin" | "workDir">;
}

export interface BootedPods extends Pods {
  cluster: LocalCluster;
  /** The meta leader, with `formedWithinMs`. */
  leader?: string;
}

/** podsOf, booted with bootLocal (or bootFormed with `formedWithinMs`) in a temporary folder: all stopped and removed after the test. */
export async function bootPods(t: TestContext, text: string, opts: BootPodsOptions): Promise<BootedPods> {
  const pods = podsOf(text, opts);
  const start = { ...opts.start, bin: opts.bin };
  if (opts.formedWithinMs === undefined) return { ...pods, cluster: await bootLocal(t, pods.specs, start) };
  return { ...pods, ...(await bootFormed(t, pods.specs, start, opts.formedWithinMs)) };
}

/**
 * A throwaway CA and a server certificate for `localhost`, `dnsNames` and `ipAddresses`, as the TLS Secret's
 * three files in a server's directory (`certs/tls.crt`, `certs/tls.key`, `certs/ca.crt` -> PEM), made in a
 * temporary folder of the test.
 */
export async function tlsSecretFiles(t: TestContext, ipAddresses: string[] = [], dnsNames: string[] = []): Promise<{ ca: CertificateAuthority; files: Record<string, string> }> {
  const dir = tempDir(t, "natskube-certs-");
  const ca = await makeCertificateAuthority(join(dir, "ca"));
  const cert = await makeServerCertificate(ca, { name: "server", dnsNames: dnsNames.length > 0 ? dnsNames : ["localhost"], ipAddresses, dir: join(dir, "issued") });
  return { ca, files: { "certs/tls.crt": cert.certPem, "certs/tls.key": cert.keyPem, "certs/ca.crt": ca.certPem } };
}

/** Writes `files` (relative path -> content) under `dir`, as a Secret volume would. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

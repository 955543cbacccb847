// The local Kubernetes control plane of the kube tier (scripts/kube.sh: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok nodes) and kubectl of the same release.
// kubectl rather than a client library: it is the client users apply natskube's output with
// (`kubectl apply --server-side --field-manager=natskube --validate=strict`), it is built from
// the same Kubernetes release as the API server, and it adds no dependency to the package.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before } from "node:test";
import { ROOT } from "./cli.js";
import { parse, stringify } from "yaml";
import { PINNED, TOOLS_DIR } from "./tools.js";

export const KUBE_DIR = process.env["NATSKUBE_KUBE_DIR"] ?? join(ROOT, ".kube");
export const KUBECONFIG = join(KUBE_DIR, "admin.kubeconfig");
export const KUBECTL = join(TOOLS_DIR, "kube", `k8s-${PINNED["KUBERNETES_VERSION"]}`, "kubectl");
const KUBE_SH = join(ROOT, "scripts", "kube.sh");

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: readonly string[], input: string | undefined, timeoutMs: number): Result {
  const r = spawnSync(cmd, args, { cwd: ROOT, input, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, NATSKUBE_TOOLS_DIR: TOOLS_DIR } });
  if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** kubectl against the local control plane; every call bounded (30 s request timeout, 60 s in all). */
export function kubectl(args: readonly string[], input?: string): Result {
  return run(KUBECTL, ["--kubeconfig", KUBECONFIG, "--request-timeout=30s", ...args], input, 60_000);
}

/** kubectl that must succeed; its stdout. */
export function kubectlOk(args: readonly string[], input?: string): string {
  const r = kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** `kubectl get ... -o json`, parsed. */
export function getJson<T>(args: readonly string[]): T {
  return JSON.parse(kubectlOk(["get", ...args, "-o", "json"])) as T;
}

/**
 * Brings the control plane up (scripts/kube.sh up: idempotent, bounded) and says whether this call
 * started it, so that the caller stops only what it started: a control plane started by hand or by
 * scripts/test.sh keeps running.
 */
export function controlPlaneUp(): { startedHere: boolean } {
  try {
    accessSync(KUBECTL, constants.X_OK);
  } catch {
    throw new Error(`kubectl ${PINNED["KUBERNETES_VERSION"]} is missing (${KUBECTL}): run bash scripts/ensure-kube-tools.sh`);
  }
  const before = run("bash", [KUBE_SH, "status"], undefined, 30_000);
  if (before.code === 0) return { startedHere: false };
  const up = run("bash", [KUBE_SH, "up"], undefined, 300_000);
  if (up.code !== 0) throw new Error(`scripts/kube.sh up failed (${up.code}):\n${up.stderr}`);
  return { startedHere: true };
}

export function controlPlaneDown(): void {
  const r = run("bash", [KUBE_SH, "down"], undefined, 120_000);
  if (r.code !== 0) throw new Error(`scripts/kube.sh down failed: ${r.stderr}`);
}

/** Released local volumes become Available again (scripts/kube.sh storage). */
export function recycleStorage(): void {
  const r = run("bash", [KUBE_SH, "storage"], undefined, 120_000);
  if (r.code !== 0) throw new Error(`scripts/kube.sh storage failed: ${r.stderr}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `probe` every 500 ms until it returns a value other than undefined; fails after
 * `timeoutMs` with `what` and the last state `describe` reports.
 */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined, describe?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `: ${describe()}` : ""}`);
    await sleep(500);
  }
}

/**
 * `kubectl get ARGS --watch --output-watch-events -o jsonpath=TEMPLATE` in the background: one line
 * per event. stop() ends it by its PID (also after `limitMs`, whatever happens).
 */
export function watchLines(args: readonly string[], template: string, limitMs: number): { lines: () => string[]; stop: () => void } {
  const child = spawn(KUBECTL, ["--kubeconfig", KUBECONFIG, "get", ...args, "--watch", "--output-watch-events", "-o", `jsonpath=${template}`], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.resume();
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, "SIGTERM");
  };
  setTimeout(stop, limitMs).unref();
  return { lines: () => out.split("\n").filter((l) => l !== ""), stop };
}

/** The kwok nodes of scripts/kube.sh. */
export const KWOK_NODES = 3;

/** The namespace, labelled so that the API server enforces (and warns about) Pod Security "restricted". */
export function createNamespace(ns: string): void {
  const namespace = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: ns,
      labels: {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": "latest",
      },
    },
  };
  kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], JSON.stringify(namespace));
}

/**
 * A storage class the render names and the cluster lacks (production.yaml's fast-ssd): created as
 * a platform team would, with local volumes on each node, so that its claims bind.
 */
export function ensureStorageClasses(objects: readonly { kind: string; spec?: any }[]): void {
  const classes = new Set<string>();
  for (const o of objects)
    if (o.kind === "StatefulSet") for (const t of o.spec.volumeClaimTemplates ?? []) if (t.spec.storageClassName) classes.add(t.spec.storageClassName as string);
  for (const sc of classes) {
    if (kubectl(["get", "storageclass", sc]).code === 0) continue;
    const docs: object[] = [
      { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: sc }, provisioner: "kubernetes.io/no-provisioner", volumeBindingMode: "WaitForFirstConsumer", reclaimPolicy: "Retain" },
    ];
    for (let n = 1; n <= KWOK_NODES; n++)
      for (let j = 1; j <= 4; j++)
        docs.push({
          apiVersion: "v1",
          kind: "PersistentVolume",
          metadata: { name: `${sc}-kwok-node-${n}-${j}`, labels: { "natskube.local/storage": "true" } },
          spec: {
            capacity: { storage: "100Gi" },
            accessModes: ["ReadWriteOnce"],
            persistentVolumeReclaimPolicy: "Retain",
            storageClassName: sc,
            local: { path: `/mnt/${sc}/vol${j}` },
            nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [`kwok-node-${n}`] }] }] } },
          },
        });
    kubectlOk(["apply", "--server-side", "--field-manager=natskube-test", "-f", "-"], docs.map((d) => stringify(d)).join("---\n"));
  }
}

export async function deleteNamespace(ns: string): Promise<void> {
  kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]);
  await waitFor(`namespace ${ns} to be gone`, 120_000, () => (kubectl(["get", "namespace", ns]).code !== 0 ? true : undefined), () => kubectl(["get", "namespace", ns, "-o", "jsonpath={.status}"]).stdout);
  recycleStorage();
}

/**
 * A kubeconfig in `dir` for `user`: a client certificate signed by the control plane's CA (so RBAC alone
 * decides what it may do), as the admin kubeconfig's cluster and a context named `context`.
 */
export function userKubeconfig(user: string, context: string, dir: string): string {
  const pki = join(KUBE_DIR, "pki");
  const key = join(dir, `${user}.key`);
  const crt = join(dir, `${user}.crt`);
  execFileSync("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", `${crt}.csr`, "-subj", `/CN=${user}`], { stdio: "ignore" });
  execFileSync("openssl", ["x509", "-req", "-in", `${crt}.csr`, "-CA", join(pki, "ca.crt"), "-CAkey", join(pki, "ca.key"), "-CAcreateserial", "-out", crt, "-days", "1"], { stdio: "ignore" });
  const kc = parse(readFileSync(KUBECONFIG, "utf8")) as { clusters: { name: string }[]; contexts: object[]; users: object[]; "current-context"?: string };
  kc.users = [{ name: user, user: { "client-certificate": crt, "client-key": key } }];
  kc.contexts = [...kc.contexts, { name: context, context: { cluster: kc.clusters[0]!.name, user } }];
  const path = join(dir, `${user}.kubeconfig`);
  writeFileSync(path, stringify(kc));
  return path;
}

/**
 * A suite's hooks around the control plane: up before it (controlPlaneUp), and after it `namespaces`
 * deleted, the control plane stopped if the suite started it, then `cleanup`.
 */
export function withControlPlane(namespaces: readonly string[], cleanup: () => void = () => {}): void {
  let startedHere = false;
  before(() => ({ startedHere } = controlPlaneUp()), { timeout: 330_000 });
  after(
    async () => {
      for (const ns of namespaces) await deleteNamespace(ns);
      if (startedHere) controlPlaneDown();
      cleanup();
    },
    { timeout: 200_000 },
  );
}

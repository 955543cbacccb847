/**
 * `natskube apply` of a lower replica count, the quorum-safe way (scale-down.ts): found in the plan,
 * checked, then run before the waves, with the system password read from its Secret through the API server.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { RenderedDocument } from "../pipeline.js";
import { keyOf } from "../plan/inputs.js";
import { maxSeverity, objectKey, type Plan } from "../plan/types.js";
import type { KubeObject } from "../render/object.js";
import type { Cluster, Ref } from "./client.js";
import { connectSystem, type SystemClient, type SystemTls } from "./nats-system.js";
import { lastingRefusals, passingRefusals, scaleDown } from "./scale-down.js";
import type { LiveState } from "./state.js";

export interface ScaleDown {
  doc: RenderedDocument;
  /** The desired StatefulSet (natskube's label on it). */
  sts: KubeObject;
  from: number;
  to: number;
  /** Server (= pod) names of the live replicas, ordinal order. */
  servers: string[];
}

/** StatefulSets of JetStream clusters whose live replica count is higher than the render's. */
export function scaleDownsOf(state: LiveState, docs: readonly RenderedDocument[]): ScaleDown[] {
  const out: ScaleDown[] = [];
  for (const doc of docs) {
    const m = doc.model;
    if (!m.jetstream.enabled) continue;
    const sts = state.desired.find((o) => o.kind === "StatefulSet" && o.metadata.name === m.names.statefulSet && o.metadata.namespace === m.namespace);
    const live = sts && state.live.get(keyOf(sts));
    const from = (live?.["spec"] as { replicas?: number } | undefined)?.replicas;
    if (!sts || from === undefined || from <= m.replicas) continue;
    out.push({ doc, sts, from, to: m.replicas, servers: Array.from({ length: from }, (_, i) => `${m.names.statefulSet}-${i}`) });
  }
  return out;
}

const isReplicaChange = (paths: readonly string[]) => paths.includes("spec.replicas");

/** The plan's severity without the replica changes the safe path takes over. */
export function severityWithout(plan: Plan): Plan["severity"] {
  return maxSeverity([
    ...plan.objects.flatMap((o) => o.changes.filter((c) => !isReplicaChange(c.paths)).map((c) => c.severity)),
    ...plan.clusters.flatMap((c) => c.changes.filter((x) => !isReplicaChange(x.paths)).map((x) => x.severity)),
  ]);
}

/** Why the safe path cannot run at all (before anything is read from NATS). */
export function structuralRefusals(plan: Plan, sd: ScaleDown, urls: readonly string[]): string[] {
  const out: string[] = [];
  if (sd.to < 2)
    out.push(`scale ${sd.from} -> ${sd.to}: one server drops the cluster block and restarts as standalone JetStream; natskube scales down to 2 or more servers only. Start a new cluster and migrate (natskube plan prints the procedure).`);
  if (urls.length !== sd.from)
    out.push(`--nats-url is given ${urls.length} time(s): give it once per server, in pod order (${sd.servers.join(", ")}), as natskube status takes --monitor-url.`);
  const stsPlan = plan.objects.find((o) => objectKey(o.ref) === keyOf(sd.sts));
  const other = (stsPlan?.fields ?? []).filter((f) => !/^spec\.(replicas|persistentVolumeClaimRetentionPolicy)(\.|$)/.test(f.path));
  if (other.length) out.push(`the StatefulSet changes in more than its replicas (${other.map((f) => f.path).join(", ")}): apply those changes at ${sd.from} replicas first, then the scale-down alone.`);
  return out;
}

export interface ScaleApplyOptions {
  urls: readonly string[];
  dryRun: boolean;
  timeoutMs: number;
  progress: (line: string) => void;
  resume: string;
  /** Tests give a client; otherwise connectSystem. */
  connect?: (urls: readonly string[], user: string, pass: string, timeoutMs: number, tls?: SystemTls) => Promise<SystemClient>;
}

/** How long a refusal of a moment (passingRefusals) may take to pass. */
const SETTLE_MS = 20_000;

const fail = (code: Diagnostic["code"], message: string, hint: string): Diagnostic => ({ code, severity: "error", path: "", message, hint });

/** Reads the password, checks, runs. Diagnostics when refused or stopped; none when done (or, dry, when it would run). */
export async function runScaleDown(cluster: Cluster, sd: ScaleDown, options: ScaleApplyOptions): Promise<Diagnostic[]> {
  const m = sd.doc.model;
  const sys = m.auth.systemAccount;
  const where = `${m.namespace}/${m.names.statefulSet}`;
  if (!sys) return [fail("scale-down-refused", `scale-down of ${where} ${sd.from} -> ${sd.to} refused: ${lastingRefusals({ meta: { peers: [] }, streams: [] }, [], sd.to, false)[0]}`, "Nothing was written.")];
  const b64 = await secretKey(cluster, m.namespace, sys.secret, sys.passwordKey);
  if (b64 === undefined)
    return [fail("scale-down-refused", `scale-down of ${where} refused: Secret ${m.namespace}/${sys.secret} has no key ${sys.passwordKey} (the system account's password)`, "The servers read the system password from it: apply at the current replicas first (--generate-secrets creates it), then scale.")];
  const tls = await clientTls(cluster, sd);
  if (typeof tls === "string") return [fail("scale-down-refused", `scale-down of ${where} refused: ${tls}`, "Nothing was written.")];
  const connectTo = options.connect ?? connectSystem;
  let client: SystemClient;
  try {
    client = await connectTo(options.urls, sys.user, Buffer.from(b64, "base64").toString("utf8"), 5000, tls);
  } catch (e) {
    return [fail("scale-down-refused", `scale-down of ${where} refused: cannot sign in as ${sys.user} at ${options.urls.join(", ")}${tls ? ` over TLS (certificate checked for ${tls.servername}${tls.ca ? `, against ${m.tls?.caKey} of Secret ${m.namespace}/${m.names.tlsSecret}` : ", against the system's CAs"})` : ""}: ${e instanceof Error ? e.message : String(e)}`, "Check --nats-url (one per server, reachable from here: kubectl port-forward) and that the servers run a configuration with the system account.")];
  }
  try {
    let view = await client.view();
    const lasting = lastingRefusals(view, sd.servers, sd.to, true);
    // A replica behind under load, a leader being elected: looked at again for a while before refusing.
    const settleBy = Date.now() + Math.min(SETTLE_MS, options.timeoutMs);
    while (lasting.length === 0 && passingRefusals(view, sd.servers).length && Date.now() < settleBy) {
      await new Promise((r) => setTimeout(r, 500));
      view = await client.view();
    }
    const refusals = [...lasting, ...passingRefusals(view, sd.servers)];
    if (refusals.length) return refusals.map((r) => fail("scale-down-refused", `scale-down of ${where} ${sd.from} -> ${sd.to} refused: ${r}`, "Nothing was written."));
    const departing = sd.servers.slice(sd.to).reverse();
    if (options.dryRun) {
      options.progress(`would scale ${where} ${sd.from} -> ${sd.to}, one server at a time: ${departing.join(", ")} (each: shrink by one, wait until its pod is gone, peer-remove it, wait until its streams are current elsewhere)`);
      return [];
    }
    const outcome = await scaleDown(
      {
        view: () => client.view(),
        shrink: async (n) => {
          const sts = sd.sts as KubeObject & { spec: Record<string, unknown> };
          await cluster.apply({ ...sts, spec: { ...sts.spec, replicas: n } }, { dryRun: false, force: false });
        },
        podGone: async (pod) => (await cluster.get({ apiVersion: "v1", kind: "Pod", metadata: { name: pod, namespace: m.namespace } })) === undefined,
        removePeer: (s) => client.removePeer(s),
      },
      { servers: sd.servers, to: sd.to, timeoutMs: options.timeoutMs, progress: options.progress, resume: options.resume },
    );
    if (!outcome.ok) return [fail("scale-down-stopped", outcome.failure!.message, outcome.failure!.hint)];
    return [];
  } finally {
    await client.close();
  }
}

/** A key of a Secret, base64 as the API server holds it; undefined when the Secret or the key is missing. */
async function secretKey(cluster: Cluster, namespace: string, name: string, key: string): Promise<string | undefined> {
  const ref: Ref = { apiVersion: "v1", kind: "Secret", metadata: { name, namespace } };
  return ((await cluster.get(ref))?.["data"] as Record<string, string> | undefined)?.[key];
}

/**
 * How natskube's system client checks the servers when clients must use TLS: the CA from the cluster's TLS
 * Secret (kept in memory), the client Service's name; undefined without TLS; a reason when it cannot.
 */
async function clientTls(cluster: Cluster, sd: ScaleDown): Promise<SystemTls | undefined | string> {
  const m = sd.doc.model;
  if (!m.tls) return undefined;
  if (m.tls.verifyClients) return "the servers require a client certificate (tls.verifyClients), and natskube holds none: scale down by hand (natskube plan prints the procedure)";
  const servername = m.dns.clientFqdn;
  if (!m.tls.caKey) return { servername };
  const ca = await secretKey(cluster, m.namespace, m.names.tlsSecret, m.tls.caKey);
  if (ca === undefined) return `Secret ${m.namespace}/${m.names.tlsSecret} has no key ${m.tls.caKey} (the CA natskube checks the servers' certificate against)`;
  return { servername, ca: Buffer.from(ca, "base64").toString("utf8") };
}

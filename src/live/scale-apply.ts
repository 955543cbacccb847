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
import type { LocalForward } from "./port-forward.js";
import { PORTS, type Model } from "../model/model.js";
import { nodeCrypto } from "../node-crypto.js";
import { connectSystem, type ServerTrust, type SystemClient } from "./nats-system.js";
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

/**
 * Why the safe path cannot run at all (before anything is read from NATS). `urls`: those --nats-url gave, if any;
 * `tlsClientSecret`: the Secret --tls-client-secret names, if any.
 */
export function structuralRefusals(plan: Plan, sd: ScaleDown, urls?: readonly string[], tlsClientSecret?: string): string[] {
  const out: string[] = [];
  if (sd.to < 2)
    out.push(`scale ${sd.from} -> ${sd.to}: one server drops the cluster block and restarts as standalone JetStream; natskube scales down to 2 or more servers only. Start a new cluster and migrate (natskube plan prints the procedure).`);
  if (urls && urls.length !== sd.from)
    out.push(`--nats-url is given ${urls.length} time(s): give it once per server, in pod order (${sd.servers.join(", ")}), as natskube status takes --monitor-url.`);
  const stsPlan = plan.objects.find((o) => objectKey(o.ref) === keyOf(sd.sts));
  const other = (stsPlan?.fields ?? []).filter((f) => !/^spec\.(replicas|persistentVolumeClaimRetentionPolicy)(\.|$)/.test(f.path));
  if (sd.doc.model.tls?.verifyClients && !clientSecretOf(sd.doc.model, tlsClientSecret))
    out.push(`tls.verifyClients: the servers require a client certificate on 4222, and none was given. Pass --tls-client-secret NAME (or set tls.clientSecretName): a kubernetes.io/tls Secret in ${sd.doc.model.namespace} with a certificate the servers' CA signed.`);
  if (other.length) out.push(`the StatefulSet changes in more than its replicas (${other.map((f) => f.path).join(", ")}): apply those changes at ${sd.from} replicas first, then the scale-down alone.`);
  return out;
}

/** How natskube reaches the servers: their URLs, and (through the API server) what went wrong on the way. */
export interface ServerReach {
  urls: readonly string[];
  /** Set when the URLs are port-forwards through the API server. */
  forwarded?: { errors(): string[] };
}

/**
 * Runs `f` with the servers' URLs: those given (--nats-url), or one port-forward per pod of the live
 * StatefulSet through the API server, closed afterwards.
 */
export async function withServers<T>(cluster: Cluster, sd: ScaleDown, given: readonly string[] | undefined, f: (reach: ServerReach) => Promise<T>): Promise<T> {
  if (given) return f({ urls: given });
  const forwards: LocalForward[] = [];
  try {
    for (const pod of sd.servers) forwards.push(await cluster.forward(sd.doc.model.namespace, pod, PORTS.client));
    return await f({ urls: forwards.map((fw) => `nats://${fw.host}:${fw.port}`), forwarded: { errors: () => forwards.flatMap((fw) => fw.errors()) } });
  } finally {
    await Promise.all(forwards.map((fw) => fw.close()));
  }
}

export interface ScaleApplyOptions extends ServerReach {
  dryRun: boolean;
  timeoutMs: number;
  progress: (line: string) => void;
  resume: string;
  /** The kubernetes.io/tls Secret whose certificate the client presents (--tls-client-secret). */
  tlsClientSecret?: string;
  /** Tests give a client; otherwise connectSystem. */
  connect?: (urls: readonly string[], user: string, pass: string, timeoutMs: number, trust?: ServerTrust) => Promise<SystemClient>;
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
  const [password] = await secretValues(cluster, m.namespace, sys.secret, [sys.passwordKey]);
  if (password === undefined)
    return [fail("scale-down-refused", `scale-down of ${where} refused: Secret ${m.namespace}/${sys.secret} has no key ${sys.passwordKey} (the system account's password)`, "The servers read the system password from it: apply at the current replicas first (--generate-secrets creates it), then scale.")];
  const clientSecret = clientSecretOf(m, options.tlsClientSecret);
  const trust = await serverTrust(cluster, m, clientSecret);
  if (typeof trust === "string") return [fail("scale-down-refused", `scale-down of ${where} refused: ${trust}`, "Nothing was written.")];
  const connectTo = options.connect ?? connectSystem;
  let client: SystemClient;
  try {
    client = await connectTo(options.urls, sys.user, password, 5000, trust);
  } catch (e) {
    const through = options.forwarded ? ` (port-forwards through the API server${options.forwarded.errors().length ? `: ${options.forwarded.errors().join("; ")}` : ""})` : "";
    const presented = trust?.cert ? `; presenting the certificate of Secret ${m.namespace}/${clientSecret?.name}${trust.ca && !signedBy(trust.cert, trust.ca) ? `, which the CA in ${m.tls?.caKey} did not sign (servers that verify clients against that CA refuse it without a reason)` : ""}` : "";
    const over = trust ? ` over TLS (certificate checked for ${trust.servername}, ${trust.ca ? `against ${m.tls?.caKey} of Secret ${m.namespace}/${m.names.tlsSecret}` : "against the system's CAs"}${presented})` : "";
    return [fail("scale-down-refused", `scale-down of ${where} refused: cannot sign in as ${sys.user} at ${options.urls.join(", ")}${through}${over}: ${e instanceof Error ? e.message : String(e)}`, options.forwarded ? "natskube reaches each server through the API server (it needs create on pods/portforward in the namespace); or pass --nats-url once per server. Check also that the servers run a configuration with the system account." : "Check --nats-url (one per server, reachable from here: kubectl port-forward) and that the servers run a configuration with the system account.")];
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

/** The Secret whose certificate the client presents: --tls-client-secret, else the manifest's (tls.clientSecretName, or natskube's issued one). */
function clientSecretOf(m: Model, flag?: string): { name: string; from: string } | undefined {
  if (flag !== undefined) return { name: flag, from: "--tls-client-secret" };
  const client = m.tls?.client;
  return client ? { name: client.secretName, from: client.issued ? "issued by natskube's client Certificate" : "tls.clientSecretName" } : undefined;
}

/**
 * With TLS on the client port: the CA of the TLS Secret, read through the API server and kept in memory
 * (none when the manifest names no CA: the certificate is then trusted by this system's CAs), and the
 * client Service's name, which the server certificate holds whatever address reaches the server (a
 * port-forward's 127.0.0.1); with `clientSecret`, the certificate and key the client presents, also kept
 * in memory. A string says why natskube cannot connect.
 */
async function serverTrust(cluster: Cluster, m: Model, clientSecret?: { name: string; from: string }): Promise<ServerTrust | undefined | string> {
  if (!m.tls) return undefined;
  const trust: ServerTrust = { servername: m.dns.clientFqdn };
  if (m.tls.caKey) {
    const [ca] = await secretValues(cluster, m.namespace, m.names.tlsSecret, [m.tls.caKey]);
    if (ca === undefined) return `Secret ${m.namespace}/${m.names.tlsSecret} has no key ${m.tls.caKey} (the CA the servers' certificate is verified against)`;
    trust.ca = ca;
  }
  if (clientSecret !== undefined) {
    const [cert, key] = await secretValues(cluster, m.namespace, clientSecret.name, ["tls.crt", "tls.key"]);
    if (cert === undefined || key === undefined) return `Secret ${m.namespace}/${clientSecret.name} (${clientSecret.from}) has no ${cert === undefined ? "tls.crt" : "tls.key"}: it should be a kubernetes.io/tls Secret with the client certificate and its key`;
    trust.cert = cert;
    trust.key = key;
  }
  return trust;
}

/**
 * Whether the first certificate of `certPem` was issued and signed by the first of `caPem`: a server that refuses
 * a client certificate closes the connection without a reason, so the error says it. Only an explanation, never a
 * refusal of its own (an intermediate between the two would make it false for a certificate the servers accept).
 */
function signedBy(certPem: string, caPem: string): boolean {
  try {
    const { X509Certificate } = nodeCrypto();
    const [cert, ca] = [new X509Certificate(certPem), new X509Certificate(caPem)];
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return true; // unreadable PEM: the servers judge
  }
}

/**
 * Keys of one Secret, decoded, from one read through the API server and kept in memory; each undefined
 * when the Secret or that key is missing.
 */
async function secretValues(cluster: Cluster, namespace: string, name: string, keys: readonly string[]): Promise<(string | undefined)[]> {
  const ref: Ref = { apiVersion: "v1", kind: "Secret", metadata: { name, namespace } };
  const data = (await cluster.get(ref))?.["data"] as Record<string, string> | undefined;
  return keys.map((k) => (data?.[k] === undefined ? undefined : Buffer.from(data[k], "base64").toString("utf8")));
}

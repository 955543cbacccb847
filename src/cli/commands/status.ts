import { hasErrors } from "../../diagnostics/diagnostic.js";
import { jsClaimName, type Model } from "../../model/model.js";
import { renderParsed, type RenderedDocument } from "../../pipeline.js";
import type { KubeObject } from "../../render/object.js";
import { expectationOf, natsFindings, sortFindings, type Finding } from "../../status/findings.js";
import { kubeFindings, podLine, zoneOf, type KubeView, type PodLine } from "../../status/kube-findings.js";
import { podSources, type PodProxy } from "../../status/pod-sources.js";
import { MonitorForbidden, readSnapshots, urlSource, type MonitorSource, type ServerSnapshot } from "../../status/snapshot.js";
import { str, type Command, type Values } from "../command.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, UsageError, type Io } from "../io.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, liveInput, printLiveDiagnostics, type LiveInput } from "../live-command.js";
import { loadFiles } from "../load-files.js";

const DEFAULT_TIMEOUT_S = 5;

function urlsOf(values: Values): string[] {
  const raw = values["monitor-url"];
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => String(v).split(","));
  const urls = list.map((u) => u.trim()).filter(Boolean);
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new UsageError(`--monitor-url ${JSON.stringify(u)} is not a URL (expected e.g. http://127.0.0.1:8222)`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new UsageError(`--monitor-url ${u}: only http and https monitoring endpoints`);
  }
  return urls;
}

/** The Kubernetes half: the render planned over the live objects, the pods, their claims and nodes. */
async function readKube(values: Values, files: string[], io: Io): Promise<{ doc: RenderedDocument; view: KubeView; proxy: PodProxy } | number> {
  const input = await liveInput(values, files, io, "status");
  if (typeof input === "number") return input;
  const { live, cluster, file, docs } = input;
  if (docs.length !== 1) throw new UsageError(`status reads one KubernetesNats; ${file} holds ${docs.length}`);
  const doc = docs[0]!;
  const m = doc.model;
  try {
    const state = await live.readState(cluster, file, docs, {});
    const selector = Object.entries(m.selectorLabels).map(([k, v]) => `${k}=${v}`).join(",");
    const pods = await cluster.list("v1", "Pod", m.namespace, selector);
    const nodes = new Map<string, string>();
    for (const name of new Set(pods.map((p) => (p as { spec?: { nodeName?: string } }).spec?.nodeName).filter((n): n is string => !!n))) {
      const node = await cluster.get({ apiVersion: "v1", kind: "Node", metadata: { name } });
      const zone = node && zoneOf(node);
      if (zone) nodes.set(name, zone);
    }
    const claims: KubeObject[] = [];
    if (m.jetstream.enabled && m.jetstream.mode === "FILE")
      for (const pod of m.pods) {
        const c = await cluster.get({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: jsClaimName(pod), namespace: m.namespace } });
        if (c) claims.push(c);
      }
    return { doc, view: { objects: state.plan.objects, pods, claims, zones: nodes }, proxy: podProxy(live, cluster, m.namespace) };
  } catch (e) {
    printLiveDiagnostics(io, [live.asDiagnostic(e)], "status");
    return EXIT.invalid;
  }
}

/** The pods' monitoring ports through the API server; its refusal for want of rights marked as such. */
function podProxy(live: LiveInput["live"], cluster: LiveInput["cluster"], namespace: string): PodProxy {
  const target = (pod: string, port: number, scheme: "http") => ({ namespace, pod, port, scheme });
  return {
    url: (pod, port, scheme) => live.proxyPath(target(pod, port, scheme)),
    get: (pod, port, scheme, path, timeoutMs) =>
      cluster.proxyGet(target(pod, port, scheme), path, timeoutMs).catch((e: unknown) => {
        throw e instanceof live.ClusterError && e.diagnostic.code === "cluster-forbidden" ? new MonitorForbidden(e.message) : e;
      }),
  };
}

function loadOne(files: string[], io: Io): RenderedDocument | number {
  const loaded = loadFiles(files);
  printDiagnostics(io, loaded.diagnostics, loaded.sources, 1, hasErrors(loaded.diagnostics));
  if (hasErrors(loaded.diagnostics)) return EXIT.invalid;
  const rendered = loaded.parsed.map((p) => renderParsed(p)).filter((r) => r !== undefined);
  if (rendered.length !== 1) throw new UsageError(`status reads one KubernetesNats; ${files[0]} holds ${rendered.length}`);
  return rendered[0]!;
}

function serverLines(snapshots: ServerSnapshot[]): string[] {
  return snapshots.map((s) => {
    if (!s.varz) return `  ${s.pod ?? s.url}  ${s.forbidden ? "not read (forbidden)" : "unreachable"}${s.pod ? `  (${s.url})` : ""}`;
    const v = s.varz;
    const js = s.jsz?.meta_cluster ? `, meta leader ${s.jsz.meta_cluster.leader || "(none)"}, meta group ${s.jsz.meta_cluster.cluster_size}` : s.jsz && !s.jsz.disabled ? ", JetStream" : "";
    return `  ${v.server_name}  ${v.version}  ${s.unhealthy ? "unhealthy" : "healthy"}${js}  (${s.url})`;
  });
}

function printText(io: Io, m: Model, pods: PodLine[] | undefined, snapshots: ServerSnapshot[], findings: Finding[]): void {
  io.out(`${m.namespace}/${m.name}\n`);
  if (pods) io.out(`pods (${pods.length} of ${m.pods.length}):\n${pods.map((p) => `  ${p.name}  ${p.ready ? "Ready" : "not Ready"}  ${p.node ?? "not scheduled"}${p.zone ? ` (${p.zone})` : ""}`).join("\n")}\n`);
  io.out(`servers (${snapshots.length}):\n${serverLines(snapshots).join("\n")}\n`);
  if (findings.length === 0) {
    io.out("no findings: every server healthy, one meta leader agreed by all, every stream led and current\n");
    return;
  }
  for (const f of findings) io.out(`\n${f.severity} ${f.code} (${f.subject}): ${f.message}\n  fix: ${f.fix}\n`);
  const errors = findings.filter((f) => f.severity === "error").length;
  io.out(`\n${errors} error${errors === 1 ? "" : "s"}, ${findings.length - errors} warning${findings.length - errors === 1 ? "" : "s"}\n`);
}

export const statusCommand: Command = {
  name: "status",
  summary: "The live cluster against the manifest: objects, pods, claims; each server's meta leader, peers, streams, stores",
  usage: "natskube status FILE [--monitor-url URL ...] [-o text|json] [--timeout SECONDS] [--kubeconfig FILE] [--context NAME]",
  help: [
    "The Kubernetes view (read when no --monitor-url is given, or with --kubeconfig or --context): the render's",
    "objects missing, drifted (as natskube diff sees them) or left over; NATS pods missing or not Ready, OOM kills,",
    "pods sharing a node or a zone; volume claims missing, not bound or smaller than the render's.",
    "The NATS view: /varz, /jsz and /healthz of every server, read through the API server's pod proxy (the",
    "user needs get on pods/proxy), or with one --monitor-url per server (or a comma-separated list; e.g. after",
    "`kubectl -n NS port-forward pod/NAME-0 8222`), which then wins: unreachable or",
    "unhealthy servers, duplicate server names, version skew, a meta leader not agreed by all, a meta group larger",
    "or smaller than the StatefulSet, phantom and gone peers, streams and consumers without a leader, replicas",
    "behind, R1 streams, stores over 80% and 95%, limits that differ from the render.",
    "Each finding comes with the command that fixes it.",
    "  --monitor-url URL        a server's monitoring endpoint (repeat, or comma-separated), instead of the pod proxy",
    "  -o, --output text|json   output format (default text)",
    "  --timeout SECONDS        bound on each monitoring request (default 5)",
    ...CONNECTION_HELP,
    "Exit 0 with no error finding, 1 with one (or invalid input, or a cluster error), 2 on a usage error.",
  ].join("\n"),
  options: {
    "monitor-url": { type: "string", multiple: true },
    output: { type: "string", short: "o", default: "text" },
    timeout: { type: "string", default: String(DEFAULT_TIMEOUT_S) },
    ...CONNECTION_OPTIONS,
  },
  async run(values, files, io) {
    if (files.length !== 1) throw new UsageError("status takes exactly one FILE");
    const output = str(values, "output");
    if (output !== "text" && output !== "json") throw new UsageError(`-o ${output}: expected text or json`);
    const timeoutS = Number(str(values, "timeout"));
    if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 300) throw new UsageError(`--timeout ${str(values, "timeout")}: expected seconds, more than 0 and at most 300`);
    const urls = urlsOf(values);
    const withCluster = urls.length === 0 || str(values, "kubeconfig") !== undefined || str(values, "context") !== undefined;
    let doc: RenderedDocument;
    let kube: { view: KubeView; pods: PodLine[]; proxy: PodProxy } | undefined;
    if (withCluster) {
      const read = await readKube(values, files, io);
      if (typeof read === "number") return read;
      ({ doc } = read);
      const pods = read.view.pods.map((p) => podLine(p, read.view.zones)).sort((a, b) => a.name.localeCompare(b.name));
      kube = { view: read.view, pods, proxy: read.proxy };
    } else {
      const one = loadOne(files, io);
      if (typeof one === "number") return one;
      doc = one;
    }
    const model = doc.model;
    // --monitor-url wins; without it, every pod of the StatefulSet through the API server's pod proxy.
    const sources: MonitorSource[] = urls.length > 0 ? urls.map(urlSource) : kube ? podSources(model, kube.view.pods, kube.proxy) : [];
    const snapshots = await readSnapshots(sources, timeoutS * 1000);
    const findings = sortFindings([...(kube ? kubeFindings(model, files[0]!, kube.view) : []), ...natsFindings(expectationOf(model), snapshots)]);
    if (output === "json") {
      const servers = snapshots.map((s) => ({ url: s.url, ...(s.pod ? { pod: s.pod } : {}), ...(s.varz ? { name: s.varz.server_name, version: s.varz.version, healthy: !s.unhealthy, metaLeader: s.jsz?.meta_cluster?.leader ?? null } : { error: s.error }) }));
      io.out(`${JSON.stringify({ name: model.name, namespace: model.namespace, ...(kube ? { pods: kube.pods } : {}), servers, findings }, null, 2)}\n`);
    } else printText(io, model, kube?.pods, snapshots, findings);
    return findings.some((f) => f.severity === "error") ? EXIT.invalid : EXIT.ok;
  },
};

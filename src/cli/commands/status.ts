import { hasErrors } from "../../diagnostics/diagnostic.js";
import { renderParsed } from "../../pipeline.js";
import { expectationOf, natsFindings, type Finding } from "../../status/findings.js";
import { readSnapshots, type ServerSnapshot } from "../../status/snapshot.js";
import { str, type Command } from "../command.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, UsageError, type Io } from "../io.js";
import { loadFiles } from "../load-files.js";

const DEFAULT_TIMEOUT_S = 5;

function urlsOf(values: Record<string, unknown>): string[] {
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

function serversLine(snapshots: ServerSnapshot[]): string[] {
  return snapshots.map((s) => {
    if (!s.varz) return `  ${s.url}  unreachable`;
    const v = s.varz;
    const js = s.jsz?.meta_cluster ? `, meta leader ${s.jsz.meta_cluster.leader || "(none)"}, meta group ${s.jsz.meta_cluster.cluster_size}` : s.jsz && !s.jsz.disabled ? ", JetStream" : "";
    return `  ${v.server_name}  ${v.version}  ${s.unhealthy ? "unhealthy" : "healthy"}${js}  (${s.url})`;
  });
}

function printText(io: Io, name: string, snapshots: ServerSnapshot[], findings: Finding[]): void {
  io.out(`${name}: ${snapshots.length} server${snapshots.length === 1 ? "" : "s"}\n${serversLine(snapshots).join("\n")}\n`);
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
  summary: "Read the live servers' monitoring endpoints: health, meta leader and quorum, phantom peers, streams, store use",
  usage: "natskube status FILE --monitor-url URL [--monitor-url URL ...] [-o text|json] [--timeout SECONDS]",
  help: [
    "Reads /varz, /jsz and /healthz of every server (one --monitor-url per server, or a comma-separated list;",
    "e.g. after `kubectl -n NS port-forward pod/NAME-0 8222`) and judges them against what FILE renders:",
    "unreachable or unhealthy servers, duplicate server names, version skew, a meta leader not agreed by all,",
    "a meta group larger or smaller than the StatefulSet, phantom and offline peers, streams and consumers",
    "without a leader, replicas behind, R1 streams, stores over 80% and 95%, limits that differ from the",
    "render. Each finding comes with the command that fixes it.",
    "Exit 0 with no error finding, 1 with one (or invalid input), 2 on a usage error.",
  ].join("\n"),
  options: {
    "monitor-url": { type: "string", multiple: true },
    output: { type: "string", short: "o", default: "text" },
    timeout: { type: "string", default: String(DEFAULT_TIMEOUT_S) },
  },
  async run(values, files, io) {
    if (files.length !== 1) throw new UsageError("status takes exactly one FILE");
    const output = str(values, "output");
    if (output !== "text" && output !== "json") throw new UsageError(`-o ${output}: expected text or json`);
    const timeoutS = Number(str(values, "timeout"));
    if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 300) throw new UsageError(`--timeout ${str(values, "timeout")}: expected seconds, more than 0 and at most 300`);
    const urls = urlsOf(values);
    if (urls.length === 0) throw new UsageError("status needs the servers' monitoring endpoints: --monitor-url URL (one per server)");
    const loaded = loadFiles(files);
    printDiagnostics(io, loaded.diagnostics, loaded.sources, 1, hasErrors(loaded.diagnostics));
    if (hasErrors(loaded.diagnostics)) return EXIT.invalid;
    const rendered = loaded.parsed.map((p) => renderParsed(p)).filter((r) => r !== undefined);
    if (rendered.length !== 1) throw new UsageError(`status reads one KubernetesNats; ${files[0]} holds ${rendered.length}`);
    const model = rendered[0]!.model;
    const snapshots = await readSnapshots(urls, timeoutS * 1000);
    const findings = natsFindings(expectationOf(model), snapshots);
    if (output === "json") {
      const servers = snapshots.map((s) => ({ url: s.url, ...(s.varz ? { name: s.varz.server_name, version: s.varz.version, healthy: !s.unhealthy, metaLeader: s.jsz?.meta_cluster?.leader ?? null } : { error: s.error }) }));
      io.out(`${JSON.stringify({ name: model.name, namespace: model.namespace, servers, findings }, null, 2)}\n`);
    } else printText(io, `${model.namespace}/${model.name}`, snapshots, findings);
    return findings.some((f) => f.severity === "error") ? EXIT.invalid : EXIT.ok;
  },
};

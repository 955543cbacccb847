import type { ChaosReport, CheckResult, FaultResult, VerifyReport } from "../verify/report.js";
import type { RunningSession } from "../verify/verify.js";

const NAME_WIDTH = 44;
const DETAIL_LINES = 30;

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** First line beside the result, further lines (log tails of a failure) indented below, bounded. */
function detailLines(detail: string, ok: boolean): string[] {
  const [first = "", ...rest] = detail.split("\n");
  if (ok || rest.length === 0) return [first];
  const shown = rest.slice(-DETAIL_LINES);
  return [first, ...(rest.length > shown.length ? [`      ... ${rest.length - shown.length} more lines`] : []), ...shown.map((l) => `      ${l}`)];
}

export function formatCheck(c: CheckResult): string {
  const [first, ...more] = detailLines(c.detail, c.ok);
  const head = `  ${c.ok ? "✓" : "✗"} ${c.name.padEnd(NAME_WIDTH)} ${seconds(c.durationMs).padStart(8)}  ${first}`;
  return [head, ...more].join("\n") + "\n";
}

export function formatFault(f: FaultResult): string {
  const lines = [`  ${f.ok ? "✓" : "✗"} ${f.name}`, `      recovered in ${seconds(f.recoverMs)}, longest publish stall ${seconds(f.longestStallMs)}`];
  lines.push(...detailLines(f.detail, f.ok).map((l, i) => (i === 0 ? `      ${l}` : l)));
  for (const w of f.warnings) lines.push(`      ! ${w}`);
  return lines.join("\n") + "\n";
}

export function formatHeader(r: VerifyReport): string {
  const lines: string[] = [];
  if (r.target && r.natsServer) {
    const t = r.target;
    lines.push(`natskube verify ${r.file}: ${t.namespace}/${t.name}, ${t.replicas} server${t.replicas > 1 ? "s" : ""} (${t.image}) on nats-server ${r.natsServer.version} (${r.natsServer.path})`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.length ? lines.join("\n") + "\n" : "";
}

export function chaosSummary(c: ChaosReport): string {
  const parts = [
    `${c.acknowledged} messages acknowledged`,
    ...(c.readBack ? [`${c.lost} lost`, `${c.duplicates} duplicate${c.duplicates === 1 ? "" : "s"}`] : ["stream not read back"]),
    `${c.retries} retried publish${c.retries === 1 ? "" : "es"} (${c.dedupedRetries} recognised by the server as already stored)`,
    `longest publish stall ${seconds(c.longestStallMs)}`,
  ];
  return `  ${c.ok ? "✓" : "✗"} ${parts.join(", ")}${c.error ? `\n  ✗ ${c.error}` : ""}\n`;
}

export function formatSummary(r: VerifyReport): string {
  const passed = r.checks.filter((c) => c.ok).length;
  const lines: string[] = [];
  if (r.error) lines.push(`✗ ${r.error}`);
  let text = `${r.ok ? "✓" : "✗"} ${passed}/${r.checks.length} checks passed`;
  if (r.chaos?.readBack)
    text += `; chaos: ${r.chaos.lost} of ${r.chaos.acknowledged} acknowledged messages lost, ${r.chaos.duplicates} duplicate${r.chaos.duplicates === 1 ? "" : "s"}`;
  else if (r.chaos) text += "; chaos: did not complete";
  if (r.checks.length > 0 || r.chaos) lines.push(`${text} (${seconds(r.durationMs)})`);
  if (r.workDir) lines.push(`files kept in ${r.workDir}`);
  return lines.join("\n") + "\n";
}

/** The one place credentials are printed: the user asked to keep the cluster to try it themselves. */
export function formatSession(s: RunningSession): string {
  const lines = ["", "The cluster is running; press Ctrl-C to stop it. These credentials are throwaway values for this run:"];
  for (const srv of s.servers) lines.push(`  ${srv.pod.padEnd(16)} ${srv.clientUrl.padEnd(24)} monitoring ${srv.monitorUrl}`);
  const flags: string[] = [`--server ${s.servers.map((x) => x.clientUrl).join(",")}`];
  if (s.auth.mode === "token") {
    lines.push(`  token:    ${s.auth.token}`);
    flags.push(`--token ${s.auth.token}`);
  } else if (s.auth.mode === "user") {
    lines.push(`  user:     ${s.auth.user}`, `  password: ${s.auth.pass}`);
    flags.push(`--user ${s.auth.user} --password ${s.auth.pass}`);
  } else lines.push("  no credentials needed");
  if (s.caFile) {
    lines.push(`  CA:       ${s.caFile}`);
    flags.push(`--tlsca ${s.caFile}`);
  }
  lines.push(`  files:    ${s.workDir}`, `  try:      nats ${flags.join(" ")} pub test hello`, "");
  return lines.join("\n") + "\n";
}

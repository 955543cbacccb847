// What the live commands (apply, diff, delete) share: the manifest, rendered as `render` does, and
// the connection, taken as kubectl takes it. src/live is loaded here, on use, and with it the
// Kubernetes client: no other command pays for it.
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { printable } from "../diagnostics/printable.js";
import type { Cluster } from "../live/client.js";
import type * as Live from "../live/index.js";
import { renderParsed, type RenderedDocument } from "../pipeline.js";
import { withGeneratedSecrets } from "../render/secrets.js";
import { str, type Options, type Values } from "./command.js";
import { printDiagnostics } from "./diagnostics-out.js";
import { EXIT, UsageError, type Io } from "./io.js";
import { loadFiles } from "./load-files.js";

export const CONNECTION_OPTIONS: Options = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  "request-timeout": { type: "string" },
};

export const CONNECTION_HELP = [
  "  --kubeconfig FILE        the kubeconfig (default: KUBECONFIG, a list of files as kubectl merges them,",
  "                           else ~/.kube/config)",
  "  --context NAME           the kubeconfig context (default: its current context)",
  "  --request-timeout DUR    bound on each request to the API server (default 30s)",
];

/** `90s`, `5m`, `1m30s`, `120` (seconds) -> ms. */
export function duration(value: string | undefined, flag: string, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!m || value === "") throw new UsageError(`${flag} must be a duration such as 90s, 5m or 1m30s, got "${value}"`);
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

export interface LiveInput {
  file: string;
  docs: RenderedDocument[];
  live: typeof Live;
  cluster: Cluster;
}

/**
 * Renders FILE (validating it first; --generate-secrets as `render` takes it) and connects. Prints the
 * manifest's diagnostics and a connection failure; returns the exit code instead of an input then.
 */
export async function liveInput(values: Values, files: string[], io: Io, command: string): Promise<LiveInput | number> {
  if (files.length !== 1) throw new UsageError(`${command} takes exactly one FILE`);
  const file = files[0]!;
  const requestTimeoutMs = duration(str(values, "request-timeout"), "--request-timeout", 30_000);
  const loaded = loadFiles([file]);
  printDiagnostics(io, loaded.diagnostics, loaded.sources, loaded.files.length, hasErrors(loaded.diagnostics));
  if (hasErrors(loaded.diagnostics)) return EXIT.invalid;
  const generate = values["generate-secrets"] === true;
  const docs = loaded.parsed
    .map((p) => renderParsed(p))
    .filter((r): r is RenderedDocument => r !== undefined)
    .map((r) => (generate ? { ...r, objects: withGeneratedSecrets(r.model, r.objects) } : r));
  const live = await import("../live/index.js");
  try {
    const kubeconfig = str(values, "kubeconfig");
    const context = str(values, "context");
    const cluster = await live.connect({ ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}), requestTimeoutMs });
    return { file, docs, live, cluster };
  } catch (e) {
    printLiveDiagnostics(io, [live.asDiagnostic(e)], command);
    return EXIT.invalid;
  }
}

/** A cluster's diagnostics have no source line: one line each, then the hint. */
export function printLiveDiagnostics(io: Io, diagnostics: readonly Diagnostic[], command: string): void {
  for (const d of diagnostics.map(printable)) io.err(`natskube ${command}: ${d.severity} ${d.code}: ${d.message}\n${d.hint ? `  hint: ${d.hint}\n` : ""}`);
}

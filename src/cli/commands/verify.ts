import { hasErrors } from "../../diagnostics/diagnostic.js";
import { CHAOS_STREAM, DEFAULT_CHAOS_MESSAGES, DEFAULT_TIMEOUT_SECONDS } from "../../verify/defaults.js";
import type { RunningSession } from "../../verify/verify.js";
import { str, type Command, type Values } from "../command.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, readSource, UsageError, type Io } from "../io.js";
import { chaosSummary, formatCheck, formatFault, formatHeader, formatSession, formatSummary } from "../verify-report.js";

const EXIT_INTERRUPTED = 130;

function positiveInt(values: Values, key: string, fallback: number, max: number): number {
  const raw = str(values, key);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) throw new UsageError(`--${key} must be a whole number from 1 to ${max}, got "${raw}"`);
  return n;
}

/**
 * Resolves on the first Ctrl-C (the harness kills the servers at once; verify then cleans up and
 * reports); a second one exits immediately. Registered with `on`, not `once`: while this listener
 * is there, the harness's own handler leaves the exit to us.
 */
function interruption(): { promise: Promise<void>; dispose: () => void; controller: AbortController } {
  const controller = new AbortController();
  let onSignal = () => {};
  const promise = new Promise<void>((resolve) => {
    onSignal = () => {
      if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
      controller.abort();
      resolve();
    };
  });
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    promise,
    controller,
    dispose: () => {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    },
  };
}

export const verifyCommand: Command = {
  name: "verify",
  summary: "Boot the rendered cluster locally with the real nats-server and prove it works",
  usage: "natskube verify FILE [--nats-server PATH] [--keep] [-o text|json] [--chaos] [--messages N] [--timeout SECONDS]",
  help: [
    "Renders FILE, runs one nats-server per replica on its own loopback address (127.0.0.2, .3, ...) with the",
    "pods' nats.conf, environment and certificates, then checks routes, the JetStream meta leader, publish/subscribe",
    "and request/reply across servers, every declared stream, consumer and bucket, auth and TLS.",
    "Exit 0 when every check passes, 1 when one fails or the input is invalid.",
    "  --nats-server PATH     the nats-server binary (default: $NATS_SERVER_BIN, PATH, /usr/sbin/nats-server)",
    "  --keep                 leave the cluster running and print its URLs and throwaway credentials until Ctrl-C",
    "  -o, --output text|json report format (default text)",
    "  --chaos                then, under load: kill -9 the stream leader, and a rolling restart with lame duck mode;",
    "                         fails if any acknowledged message is lost (needs JetStream and 3+ replicas)",
    `  --messages N           chaos: acknowledged messages to reach at least (default ${DEFAULT_CHAOS_MESSAGES})`,
    `  --timeout SECONDS      bound of each wait: routes, leader, health, catch-up (default ${DEFAULT_TIMEOUT_SECONDS});`,
    "                         chaos: a restarted server's startup probe and catch-up get up to 4x",
  ].join("\n"),
  options: {
    "nats-server": { type: "string" },
    keep: { type: "boolean" },
    output: { type: "string", short: "o" },
    chaos: { type: "boolean" },
    messages: { type: "string" },
    timeout: { type: "string" },
  },
  async run(values, files, io) {
    if (files.length !== 1) throw new UsageError("verify takes exactly one FILE");
    const format = str(values, "output") ?? "text";
    if (format !== "text" && format !== "json") throw new UsageError(`--output must be text or json, got "${format}"`);
    const messages = positiveInt(values, "messages", DEFAULT_CHAOS_MESSAGES, 1_000_000);
    const timeoutSeconds = positiveInt(values, "timeout", DEFAULT_TIMEOUT_SECONDS, 3600);
    if (values["messages"] !== undefined && !values["chaos"]) throw new UsageError("--messages is only used with --chaos");
    const file = files[0]!;
    const text = format === "text";
    const keep = values["keep"] === true;

    const stop = interruption();
    let header = false;
    const printHeader = (r: Parameters<typeof formatHeader>[0]) => {
      if (text && !header) io.out(formatHeader(r));
      header = true;
    };
    let chaosHeader = false;
    const printChaosHeader = () => {
      if (text && !chaosHeader) io.out(`chaos: publishing to ${CHAOS_STREAM} with acknowledgements and message IDs while faults are injected\n`);
      chaosHeader = true;
    };
    try {
      // Loaded on demand: the NATS clients would slow down every other command's start.
      const { verify } = await import("../../verify/verify.js");
      const report = await verify(file, {
        ...(str(values, "nats-server") ? { natsServer: str(values, "nats-server")! } : {}),
        timeoutSeconds,
        keep,
        ...(values["chaos"] ? { chaos: { messages } } : {}),
        signal: stop.controller.signal,
        ...(text
          ? {
              onStart: printHeader,
              onCheck: (c) => io.out(formatCheck(c)),
              // Long waits say what they wait for, on stderr so stdout stays the report.
              onProgress: (message: string) => io.err(`  … ${message}\n`),
              onFault: (f) => {
                printChaosHeader();
                io.out(formatFault(f));
              },
            }
          : {}),
        ...(keep ? { onReady: (s: RunningSession) => keepRunning(s, io, text, stop.promise) } : {}),
      });
      if (report.diagnostics) {
        const source = readSource(file).text;
        printDiagnostics(io, report.diagnostics, new Map(source === undefined ? [] : [[file, source]]), 1, hasErrors(report.diagnostics));
      }
      if (format === "json") io.out(JSON.stringify(report, null, 2) + "\n");
      else if (!report.diagnostics) {
        printHeader(report);
        if (report.chaos) {
          printChaosHeader();
          io.out(chaosSummary(report.chaos));
        }
        io.out(formatSummary(report));
      }
      if (stop.controller.signal.aborted && !keep) return EXIT_INTERRUPTED;
      return report.ok ? EXIT.ok : EXIT.invalid;
    } finally {
      stop.dispose();
    }
  },
};

async function keepRunning(session: RunningSession, io: Io, text: boolean, interrupted: Promise<void>): Promise<void> {
  // With -o json, stdout carries only the final report.
  (text ? io.out : io.err)(formatSession(session));
  await interrupted;
  (text ? io.out : io.err)("stopping...\n");
}

import { formatJson, formatText, type PlanMeta } from "../../plan/format.js";
import { str, type Command } from "../command.js";
import { EXIT, UsageError } from "../io.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, liveInput, printLiveDiagnostics } from "../live-command.js";
import { PLAN_EXIT } from "./plan.js";

export const diffCommand: Command = {
  name: "diff",
  summary: "Show what apply would change in the live cluster, per object and field (exit codes as plan)",
  usage: "natskube diff FILE [-o text|json] [--overwrite-secrets] [--kubeconfig FILE] [--context NAME]",
  help: [
    "Renders FILE, reads the objects it holds from the cluster and plans the render over them, as `natskube plan`",
    "does over a previous render: only the fields natskube renders or owns are compared, so fields the API server",
    "adds or defaults never show. Objects natskube applied earlier that the render no longer holds show as deleted",
    "(apply prunes them). Secrets that exist are kept by apply, and left out here, unless --overwrite-secrets.",
    "  -o, --output text|json   output format (default text; json follows schema/plan.schema.json)",
    "  --overwrite-secrets      compare Secrets that exist too (apply replaces them)",
    ...CONNECTION_HELP,
    "Exit codes: 0 no change or safe, 3 needs attention (rolling restart), 4 disruptive, 1 invalid input or a",
    "cluster error (unreachable, forbidden), 2 usage.",
  ].join("\n"),
  options: { output: { type: "string", short: "o" }, "overwrite-secrets": { type: "boolean" }, ...CONNECTION_OPTIONS },
  async run(values, files, io) {
    const format = str(values, "output") ?? "text";
    if (format !== "text" && format !== "json") throw new UsageError(`--output must be text or json, got "${format}"`);
    const input = await liveInput(values, files, io, "diff");
    if (typeof input === "number") return input;
    const { live, cluster, file, docs } = input;
    let state;
    try {
      state = await live.readState(cluster, file, docs, { overwriteSecrets: values["overwrite-secrets"] === true });
    } catch (e) {
      printLiveDiagnostics(io, [live.asDiagnostic(e)], "diff");
      return EXIT.invalid;
    }
    const exitCode = PLAN_EXIT[state.plan.severity];
    const meta: PlanMeta = { command: "diff", old: { file: `context ${cluster.context}`, input: "live" }, new: { file, input: "manifest" }, exitCode, allowDisruptive: false };
    const plan = { ...state.plan, notes: [...state.plan.notes, ...keptNotes(state.keptSecrets), ...foreignNotes(state.foreign)] };
    io.out(format === "json" ? formatJson(plan, meta) : formatText(plan, meta));
    return exitCode;
  },
};

export function keptNotes(kept: readonly { ref: string; changed: boolean }[]): string[] {
  return kept.filter((k) => k.changed).map((k) => `${k.ref} exists and differs from the render: apply keeps it (--overwrite-secrets replaces it)`);
}

export function foreignNotes(foreign: readonly { kind: string; metadata: { name: string; namespace?: string } }[]): string[] {
  return foreign.map((o) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name} exists and is not natskube's: apply refuses to take it over without --take-ownership`);
}

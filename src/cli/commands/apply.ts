import { formatText, type PlanMeta } from "../../plan/format.js";
import { str, type Command } from "../command.js";
import { EXIT } from "../io.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, duration, liveInput, printLiveDiagnostics } from "../live-command.js";
import { foreignNotes, keptNotes } from "./diff.js";
import { PLAN_EXIT } from "./plan.js";

export const applyCommand: Command = {
  name: "apply",
  summary: "Apply the render to the live cluster in waves, wait for the rollout, prune what it no longer holds",
  usage: "natskube apply FILE [--dry-run] [--allow-disruptive] [--nats-url URL]... [--tls-client-secret NAME] [--timeout DUR] [--generate-secrets] [--kubeconfig FILE] [--context NAME]",
  help: [
    "Plans the render over the live objects first (as `natskube diff`) and refuses a disruptive change, printing the",
    "plan and its procedure, unless --allow-disruptive. Then server-side applies (field manager natskube, strict field",
    "validation) only the objects that change, in waves: the namespace; Secrets and config; the workloads, waiting until",
    "every pod is updated and Ready; NACK's JetStream resources. Last, it deletes the objects it applied earlier that the",
    "render no longer holds (prune): only objects labelled natskube.io/part-of=NAME.NAMESPACE are ever touched.",
    "A re-apply of an unchanged render writes nothing. Secrets that exist are kept unless --overwrite-secrets.",
    "  --dry-run                the API server checks every write (server-side dry run); nothing is persisted",
    "  --allow-disruptive       apply a plan that is disruptive (forbidden update, data loss, quorum loss)",
    "  --nats-url URL           a server's client URL, once per server in pod order, for the quorum-safe scale-down",
    "                           (default: each server through the API server's port-forward). A lower replica count of",
    "                           a JetStream cluster is applied one server at a time: shrink, peer-remove as the system",
    "                           account, wait until its streams are current elsewhere (docs/live.md)",
    "  --tls-client-secret NAME a kubernetes.io/tls Secret in the cluster's namespace: the scale-down's client presents",
    "                           its tls.crt and tls.key, read through the API server and kept in memory, with",
    "                           tls.verifyClients (default: the manifest's client Secret, tls.clientSecretName or the",
    "                           <name>-client-tls natskube's Certificate writes; one the servers' CA signed)",
    "  --timeout DUR            bound on the wait for the rollout, and on the whole scale-down (default 5m)",
    "  --generate-secrets       create natskube's <name>-auth Secret with random credentials if it does not exist",
    "  --overwrite-secrets      replace Secrets that exist with the render's",
    "  --take-ownership         adopt objects with natskube's names that are someone else's (default: refuse)",
    "  --force-conflicts        take over fields another field manager owns (as kubectl --force-conflicts)",
    ...CONNECTION_HELP,
    "Exit codes: 0 applied (or nothing to change), 1 invalid input, a cluster error, a rollout not done within",
    "--timeout or a scale-down stopped part-way, 2 usage, 4 refused: the plan is disruptive or the scale-down cannot",
    "start (nothing was written).",
  ].join("\n"),
  options: {
    "dry-run": { type: "boolean" },
    "allow-disruptive": { type: "boolean" },
    timeout: { type: "string" },
    "nats-url": { type: "string", multiple: true },
    "tls-client-secret": { type: "string" },
    "generate-secrets": { type: "boolean" },
    "overwrite-secrets": { type: "boolean" },
    "take-ownership": { type: "boolean" },
    "force-conflicts": { type: "boolean" },
    ...CONNECTION_OPTIONS,
  },
  async run(values, files, io) {
    const timeoutMs = duration(str(values, "timeout"), "--timeout", 300_000);
    const input = await liveInput(values, files, io, "apply");
    if (typeof input === "number") return input;
    const { live, cluster, file, docs } = input;
    const dryRun = values["dry-run"] === true;
    const allowDisruptive = values["allow-disruptive"] === true;
    const natsUrls = (values["nats-url"] as string[] | undefined) ?? [];
    const tlsClientSecret = str(values, "tls-client-secret");
    const result = await live.applyLive(cluster, file, docs, {
      dryRun,
      allowDisruptive,
      timeoutMs,
      overwriteSecrets: values["overwrite-secrets"] === true,
      takeOwnership: values["take-ownership"] === true,
      forceConflicts: values["force-conflicts"] === true,
      progress: (line) => io.err(`${line}\n`),
      natsUrls,
      ...(tlsClientSecret ? { tlsClientSecret } : {}),
      resume: `natskube apply ${file}${natsUrls.map((u) => ` --nats-url ${u}`).join("")}${tlsClientSecret ? ` --tls-client-secret ${tlsClientSecret}` : ""}`,
    });
    const state = result.state;
    if (state && (state.plan.objects.length > 0 || result.refused)) {
      const meta: PlanMeta = {
        command: "apply",
        old: { file: `context ${cluster.context}`, input: "live" },
        new: { file, input: "manifest" },
        exitCode: result.refused === "disruptive" ? PLAN_EXIT.disruptive : EXIT.ok,
        allowDisruptive,
      };
      const notes = [...state.plan.notes, ...keptNotes(state.keptSecrets.filter(() => values["generate-secrets"] !== true)), ...foreignNotes(state.foreign)];
      io.out(formatText({ ...state.plan, notes }, meta));
    }
    printLiveDiagnostics(io, result.diagnostics, "apply");
    if (result.refused === "disruptive") {
      io.err("natskube apply: refused: the plan is disruptive; nothing was written. Follow its procedure, or pass --allow-disruptive.\n");
      return PLAN_EXIT.disruptive;
    }
    if (result.refused === "scale-down") {
      io.err("natskube apply: refused: the scale-down cannot start; nothing was written.\n");
      return PLAN_EXIT.disruptive;
    }
    if (result.refused === "not-owned") {
      io.err("natskube apply: refused: nothing was written.\n");
      return EXIT.invalid;
    }
    for (const s of result.scaledDown ?? []) io.out(`scaled down quorum-safe: ${s}\n`);
    const counts = `${result.created.length} created, ${result.updated.length} updated, ${result.pruned.length} pruned, ${state ? state.plan.unchanged : 0} unchanged`;
    if (result.diagnostics.length) {
      // What was written before the failure, so that nothing is half-applied without saying so.
      const written = result.created.length + result.updated.length + result.pruned.length;
      if (written) io.err(`natskube apply: stopped after ${counts}${dryRun ? " (dry run)" : ""}\n`);
      return EXIT.invalid;
    }
    const unchecked = dryRun && state !== undefined && state.missingNamespaces.length > 0;
    const dry = `dry run (${unchecked ? "namespaces still to be created: their objects unchecked" : "the API server accepted every write"}; nothing persisted): `;
    io.out(`${dryRun ? dry : "applied: "}${counts}\n`);
    return EXIT.ok;
  },
};

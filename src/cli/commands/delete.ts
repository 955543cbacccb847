import { str, type Command } from "../command.js";
import { EXIT } from "../io.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, duration, liveInput, printLiveDiagnostics } from "../live-command.js";

export const deleteCommand: Command = {
  name: "delete",
  summary: "Delete natskube's objects of the render from the live cluster in the safe order; volumes kept unless asked",
  usage: "natskube delete FILE [--delete-volumes] [--dry-run] [--timeout DUR] [--kubeconfig FILE] [--context NAME]",
  help: [
    "Deletes the objects natskube applied for the clusters in FILE (labelled natskube.io/part-of=NAME.NAMESPACE, nothing",
    "else): NACK's JetStream resources first, while the NACK controller still runs to release their finalizers; then the",
    "workloads; then config and Secrets. Each wave is gone before the next starts. The namespace is kept.",
    "The StatefulSets' PersistentVolumeClaims (the JetStream data) are kept and listed unless --delete-volumes.",
    "  --delete-volumes         delete those claims too: their data is gone for good (with a Delete reclaim policy)",
    "  --dry-run                the API server checks every delete (server-side dry run); nothing is deleted",
    "  --timeout DUR            bound on the wait for each wave to be gone (default 2m)",
    ...CONNECTION_HELP,
    "Exit codes: 0 deleted (or nothing there), 1 invalid input, a cluster error or objects still there after --timeout,",
    "2 usage.",
  ].join("\n"),
  options: { "delete-volumes": { type: "boolean" }, "dry-run": { type: "boolean" }, timeout: { type: "string" }, ...CONNECTION_OPTIONS },
  async run(values, files, io) {
    const timeoutMs = duration(str(values, "timeout"), "--timeout", 120_000);
    const input = await liveInput(values, files, io, "delete");
    if (typeof input === "number") return input;
    const { live, cluster, docs } = input;
    const dryRun = values["dry-run"] === true;
    const deleteVolumes = values["delete-volumes"] === true;
    const result = await live.deleteLive(cluster, docs, { dryRun, deleteVolumes, timeoutMs, progress: (line) => io.err(`${line}\n`) });
    printLiveDiagnostics(io, result.diagnostics, "delete");
    if (result.stuck.length) io.err(`natskube delete: still there after ${Math.round(timeoutMs / 1000)} s (a finalizer nobody releases?): ${result.stuck.join(", ")}\n`);
    if (result.diagnostics.length || result.stuck.length) return EXIT.invalid;
    const claims = result.claims.map((c) => `  ${c.namespace}/${c.name} (${c.size}, volume ${c.volume})`);
    if (result.claims.length && deleteVolumes) io.out(`${dryRun ? "would delete" : "deleted"} ${result.claims.length} PersistentVolumeClaims and the JetStream data on them:\n${claims.join("\n")}\n`);
    else if (result.claims.length) io.out(`kept ${result.claims.length} PersistentVolumeClaims (the JetStream data; --delete-volumes deletes them):\n${claims.join("\n")}\n`);
    io.out(`${dryRun ? "dry run: would delete" : "deleted"} ${result.deleted.length} objects\n`);
    return EXIT.ok;
  },
};

import { hasErrors } from "../../diagnostics/diagnostic.js";
import { buildModel } from "../../model/model.js";
import { requiredSecrets } from "../../render/secrets.js";
import type { Command } from "../command.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, UsageError } from "../io.js";
import { loadFiles } from "../load-files.js";

export const validateCommand: Command = {
  name: "validate",
  summary: "Check manifests; print every problem with file:line:col",
  usage: "natskube validate FILE...",
  help: "Validates every KubernetesNats document in each FILE (use - for stdin). Exit 0 when valid, 1 when not.",
  options: {},
  run(_values, files, io) {
    if (files.length === 0) throw new UsageError("validate needs at least one FILE");
    const loaded = loadFiles(files);
    printDiagnostics(io, loaded.diagnostics, loaded.sources, loaded.files.length);
    if (hasErrors(loaded.diagnostics)) return EXIT.invalid;
    for (const p of loaded.parsed) {
      if (!p.resource) continue;
      io.out(`${p.file}: ${p.resource.kind} ${p.resource.spec.namespace}/${p.resource.metadata.name} is valid\n`);
      const m = p.model ?? buildModel(p.resource);
      for (const s of requiredSecrets(m)) {
        // NACK's user name is no secret, but it must be in the Secret: say what it holds.
        const nack = s.name === m.names.authSecret ? m.auth.nack : undefined;
        const keys = s.keys.map((k) => (k === nack?.userKey ? `${k} (holding the user name ${nack.user.name})` : k));
        const how = s.generated ? "natskube render --generate-secrets creates it" : "you create and manage it";
        io.out(`  note: Secret ${p.resource.spec.namespace}/${s.name} (${s.purpose}; keys ${keys.join(", ")}) must exist before the pods start; ${how}\n`);
      }
    }
    return EXIT.ok;
  },
};

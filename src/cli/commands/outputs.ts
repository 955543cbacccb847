import { hasErrors } from "../../diagnostics/diagnostic.js";
import { toYaml } from "../../emit/yaml.js";
import { redesignOutputs, stackOutputs } from "../../outputs.js";
import { renderParsed } from "../../pipeline.js";
import type { Command } from "../command.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, UsageError } from "../io.js";
import { loadFiles } from "../load-files.js";

export const outputsCommand: Command = {
  name: "outputs",
  summary: "Print the stack outputs (URLs, secret references, metrics endpoint)",
  usage: "natskube outputs FILE",
  help: "Prints, as YAML, where clients connect and which Secrets hold what. Only outputs that point at something rendered or configured.",
  options: {},
  run(_values, files, io) {
    if (files.length !== 1) throw new UsageError("outputs takes exactly one FILE");
    const loaded = loadFiles(files);
    printDiagnostics(io, loaded.diagnostics, loaded.sources, 1, hasErrors(loaded.diagnostics));
    if (hasErrors(loaded.diagnostics)) return EXIT.invalid;
    const all = loaded.parsed.flatMap((p) => {
      const r = renderParsed(p);
      // Each generation of Planton's API names its outputs its own way; a manifest gets the names it was written for.
      const outputs = (m: NonNullable<typeof r>["model"]) => (m.resource.planton.redesign ? redesignOutputs(m) : stackOutputs(m));
      return r ? [{ name: r.model.name, ...outputs(r.model) }] : [];
    });
    io.out(all.map((o) => toYaml(o)).join("---\n"));
    return EXIT.ok;
  },
};

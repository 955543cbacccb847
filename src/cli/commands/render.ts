import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { directoryFiles } from "../../emit/directory.js";
import { jsonList, yamlStream } from "../../emit/yaml.js";
import { renderParsed } from "../../pipeline.js";
import type { KubeObject } from "../../render/object.js";
import { str, type Command } from "../command.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, UsageError } from "../io.js";
import { loadFiles } from "../load-files.js";

export const renderCommand: Command = {
  name: "render",
  summary: "Render Kubernetes objects (YAML stream, JSON, or a kustomize directory)",
  usage: "natskube render FILE [-o yaml|json] [--out DIR]",
  help: [
    "Renders every KubernetesNats document in FILE. Nothing is printed when the input is invalid.",
    "  -o, --output yaml|json   output format on stdout (default yaml)",
    "  --out DIR                write one file per object and a kustomization.yaml into DIR",
  ].join("\n"),
  options: { output: { type: "string", short: "o" }, out: { type: "string" } },
  run(values, files, io) {
    if (files.length !== 1) throw new UsageError("render takes exactly one FILE");
    const format = str(values, "output") ?? "yaml";
    if (format !== "yaml" && format !== "json") throw new UsageError(`--output must be yaml or json, got "${format}"`);
    const loaded = loadFiles(files);
    printDiagnostics(io, loaded.diagnostics, loaded.sources, files.length, hasErrors(loaded.diagnostics));
    if (hasErrors(loaded.diagnostics)) return EXIT.invalid;
    const objects: KubeObject[] = loaded.parsed.flatMap((p) => renderParsed(p)?.objects ?? []);
    const dir = str(values, "out");
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const [name, text] of directoryFiles(objects)) writeFileSync(join(dir, name), text);
      io.err(`wrote ${objects.length} objects and kustomization.yaml to ${dir}\n`);
      return EXIT.ok;
    }
    io.out(format === "json" ? jsonList(objects) : yamlStream(objects));
    return EXIT.ok;
  },
};

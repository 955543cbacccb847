import { hasErrors } from "../../diagnostics/diagnostic.js";
import { directoryFiles, objectFileNames } from "../../emit/directory.js";
import { jsonList, yamlStream } from "../../emit/yaml.js";
import { missingKinds, readCrdFile } from "../../nack/crd-file.js";
import { renderParsed } from "../../pipeline.js";
import type { KubeObject } from "../../render/object.js";
import { withGeneratedSecrets } from "../../render/secrets.js";
import { str, type Command } from "../command.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, readSource, UsageError } from "../io.js";
import { loadFiles } from "../load-files.js";
import { writeOutDir } from "../out-dir.js";
import { secretWarnings } from "../secret-notes.js";

export const renderCommand: Command = {
  name: "render",
  summary: "Render Kubernetes objects (YAML stream, JSON, or a kustomize directory)",
  usage: "natskube render FILE [-o yaml|json] [--out DIR] [--generate-secrets] [--crds CRDFILE]",
  help: [
    "Renders every KubernetesNats document in FILE. Nothing is printed when the input is invalid.",
    "  -o, --output yaml|json   output format on stdout (default yaml)",
    "  --out DIR                write one file per object and a kustomization.yaml into DIR; files an",
    "                           earlier render wrote there and this one does not are removed (DIR/.natskube-files)",
    "  --generate-secrets       include natskube's <name>-auth Secret with new random credentials: new on",
    "                           every run to stdout (apply it once, do not commit it); with --out, a Secret",
    "                           generated into DIR earlier is kept, so its credentials stay the same",
    "  --crds CRDFILE           put the NACK CustomResourceDefinitions from CRDFILE first (natskube does not",
    "                           bundle them; use the crds.yml of the NACK release, see docs/nack.md)",
  ].join("\n"),
  options: { output: { type: "string", short: "o" }, out: { type: "string" }, "generate-secrets": { type: "boolean" }, crds: { type: "string" } },
  run(values, files, io) {
    if (files.length !== 1) throw new UsageError("render takes exactly one FILE");
    const format = str(values, "output") ?? "yaml";
    if (format !== "yaml" && format !== "json") throw new UsageError(`--output must be yaml or json, got "${format}"`);
    const loaded = loadFiles(files);
    printDiagnostics(io, loaded.diagnostics, loaded.sources, files.length, hasErrors(loaded.diagnostics));
    if (hasErrors(loaded.diagnostics)) return EXIT.invalid;
    const crdPath = str(values, "crds");
    let crds: KubeObject[] = [];
    if (crdPath !== undefined) {
      const { text, diagnostic } = readSource(crdPath);
      const crdFile = text === undefined ? { crds: [], diagnostics: diagnostic ? [diagnostic] : [] } : readCrdFile(text, crdPath);
      printDiagnostics(io, crdFile.diagnostics, new Map(text === undefined ? [] : [[crdPath, text]]), 1);
      if (hasErrors(crdFile.diagnostics)) return EXIT.invalid;
      crds = crdFile.crds;
    }
    const generate = values["generate-secrets"] === true;
    const generated = new Set<KubeObject>();
    const objects: KubeObject[] = loaded.parsed.flatMap((p) => {
      const r = renderParsed(p);
      if (!r) return [];
      if (!generate) return r.objects;
      const withSecrets = withGeneratedSecrets(r.model, r.objects);
      for (const o of withSecrets) if (!r.objects.includes(o)) generated.add(o);
      return withSecrets;
    });
    if (generate && generated.size === 0) io.err("note: --generate-secrets generated nothing: auth is off, or auth.secretName names a Secret you manage\n");
    if (crdPath !== undefined) {
      const missing = missingKinds(crds, objects);
      if (missing.length) io.err(`warning: ${crdPath} defines no CRD for ${missing.join(", ")}; applying those resources will fail\n`);
      objects.unshift(...crds);
    }
    const dir = str(values, "out");
    if (dir) {
      const names = objectFileNames(objects);
      const generatedFiles = new Set(objects.flatMap((o, i) => (generated.has(o) ? [names[i]!] : [])));
      const written = writeOutDir(dir, directoryFiles(objects), generatedFiles);
      io.err(`wrote ${objects.length} objects and kustomization.yaml to ${dir}\n`);
      if (written.removed.length) io.err(`removed ${written.removed.length} files an earlier render wrote and this one does not: ${written.removed.join(", ")}\n`);
      warn(io, secretWarnings({ dir, ...written }));
      return EXIT.ok;
    }
    warn(io, secretWarnings({ stdout: [...generated].map((o) => `${o.metadata.namespace}/${o.metadata.name}`) }));
    io.out(format === "json" ? jsonList(objects) : yamlStream(objects));
    return EXIT.ok;
  },
};

/** Writes a warning block to stderr only when there is one: an empty write is still a write to a caller's stream. */
function warn(io: { err(text: string): void }, text: string): void {
  if (text) io.err(text);
}

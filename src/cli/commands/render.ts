import { hasErrors } from "../../diagnostics/diagnostic.js";
import { directoryFiles, objectFileNames } from "../../emit/directory.js";
import { jsonList, yamlStream } from "../../emit/yaml.js";
import { renderParsed, type Renderable } from "../../pipeline.js";
import type { KubeObject } from "../../render/object.js";
import { withGeneratedSecrets } from "../../render/secrets.js";
import { str, type Command } from "../command.js";
import { missingKinds, readCrdFile } from "../crd-file.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, readSource, UsageError, type Io } from "../io.js";
import { loadFiles } from "../load-files.js";
import { writeOutDir } from "../out-dir.js";
import { secretWarnings } from "../secret-notes.js";

function notes(io: Io, generatedNothing: boolean, crdPath: string | undefined, missing: readonly string[]): void {
  if (generatedNothing) io.err("note: --generate-secrets generated nothing: auth is off, or auth.secretName names a Secret you manage\n");
  if (missing.length) io.err(`warning: ${crdPath} defines no CRD for ${missing.join(", ")}; applying those resources will fail\n`);
}

export const renderCommand: Command = {
  name: "render",
  summary: "Render Kubernetes objects (YAML stream, JSON, or a kustomize directory)",
  usage: "natskube render FILE... [-o yaml|json] [--out DIR] [--generate-secrets] [--crds CRDFILE]",
  help: [
    "Renders every KubernetesNats document in each FILE, in order; a directory stands for its *.yaml and *.yml",
    "files (sorted, not recursive). Every file is validated first: nothing is printed when any input is invalid.",
    "One process renders a fleet of manifests far faster than one process per manifest.",
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
    if (files.length === 0) throw new UsageError("render takes at least one FILE");
    const format = str(values, "output") ?? "yaml";
    if (format !== "yaml" && format !== "json") throw new UsageError(`--output must be yaml or json, got "${format}"`);
    // Every file is parsed before the first is rendered (nothing is printed when one is invalid). Keeping
    // only what rendering reads leaves the rest of each document (positions, what was written, the check
    // context) to the collector at once, rather than copying a whole fleet's of it until the end.
    const loaded = loadFiles(files, (p): Renderable => ({ resource: p.resource, model: p.model }));
    printDiagnostics(io, loaded.diagnostics, loaded.sources, loaded.files.length, hasErrors(loaded.diagnostics));
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
    const render = (p: Renderable): KubeObject[] => {
      const r = renderParsed(p);
      if (!r) return [];
      if (!generate) return r.objects;
      const withSecrets = withGeneratedSecrets(r.model, r.objects);
      for (const o of withSecrets) if (!r.objects.includes(o)) generated.add(o);
      return withSecrets;
    };
    const dir = str(values, "out");
    const missing = new Set<string>();
    if (!dir && format === "yaml") {
      // A YAML stream is written one manifest at a time: a fleet of files never sits in memory as one string.
      if (crds.length) io.out(yamlStream(crds));
      for (const p of loaded.parsed) {
        const objects = render(p);
        if (crdPath !== undefined) for (const k of missingKinds(crds, objects)) missing.add(k);
        if (objects.length) io.out(yamlStream(objects));
      }
      notes(io, generate && generated.size === 0, crdPath, [...missing].sort());
      warn(io, secretWarnings({ stdout: stdoutSecrets(generated) }));
      return EXIT.ok;
    }
    const objects = loaded.parsed.flatMap(render);
    notes(io, generate && generated.size === 0, crdPath, crdPath === undefined ? [] : missingKinds(crds, objects));
    objects.unshift(...crds);
    if (dir) {
      const names = objectFileNames(objects);
      const generatedFiles = new Set(objects.flatMap((o, i) => (generated.has(o) ? [names[i]!] : [])));
      const written = writeOutDir(dir, directoryFiles(objects), generatedFiles);
      io.err(`wrote ${objects.length} objects and kustomization.yaml to ${dir}\n`);
      if (written.removed.length) io.err(`removed ${written.removed.length} files an earlier render wrote and this one does not: ${written.removed.join(", ")}\n`);
      warn(io, secretWarnings({ dir, ...written }));
      return EXIT.ok;
    }
    warn(io, secretWarnings({ stdout: stdoutSecrets(generated) }));
    io.out(jsonList(objects));
    return EXIT.ok;
  },
};

function stdoutSecrets(generated: ReadonlySet<KubeObject>): string[] {
  return [...generated].map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
}

/** Writes a warning block to stderr only when there is one: an empty write is still a write to a caller's stream. */
function warn(io: Io, text: string): void {
  if (text) io.err(text);
}

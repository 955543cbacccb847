import { readFileSync } from "node:fs";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { runKrmFunction } from "../../krm/function.js";
import { isPresetName, PRESETS } from "../../lint/presets.js";
import { lintText } from "../../lint/text.js";
import { str, type Command } from "../command.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, readSource, UsageError } from "../io.js";

export const krmCommand: Command = {
  name: "krm",
  summary: "Run as a kustomize KRM function: ResourceList on stdin, natskube's objects and results on stdout",
  usage: "natskube krm [--preset recommended|strict] [--strict]",
  help: [
    "kustomize runs it for a KubernetesNats listed under generators: in a kustomization.yaml, with the annotation",
    "  config.kubernetes.io/function: |",
    "    exec: {path: natskube, args: [krm]}",
    "and `kustomize build --enable-alpha-plugins --enable-exec`. The objects are those `natskube render` prints;",
    "validation diagnostics and lint findings are the ResourceList's results and are printed on stderr. With",
    "`buildMetadata: [originAnnotations]` in the kustomization, diagnostics point at FILE:LINE:COL. Never generates Secrets.",
    "  --preset recommended|strict  lint rule set (default recommended)",
    "  --strict                     lint warnings fail the function too",
    "Exit 0 with the objects; 1 (results say why, no objects) on invalid input or a failing lint; 2 on usage errors.",
    "See docs/gitops.md.",
  ].join("\n"),
  options: { preset: { type: "string" }, strict: { type: "boolean" } },
  run(values, positionals, io) {
    if (positionals.length > 0) throw new UsageError("krm takes no FILE: it reads a ResourceList on stdin");
    const preset = str(values, "preset") ?? "recommended";
    if (!isPresetName(preset)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(", ")}, got "${preset}"`);
    if (process.stdin.isTTY) throw new UsageError("krm reads a ResourceList on stdin; kustomize runs it (see docs/gitops.md)");
    const { text, diagnostic } = readSource("-");
    if (text === undefined) {
      printDiagnostics(io, diagnostic ? [diagnostic] : [], new Map(), 1);
      return EXIT.invalid;
    }
    // Relative to the working directory, which kustomize sets to the kustomization's folder.
    const readFile = (path: string) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    };
    const run = runKrmFunction(text, { preset, strict: values["strict"] === true, readFile });
    io.out(run.output);
    // kustomize shows a function's stderr, not its results: the same report as validate and lint.
    printDiagnostics(io, run.diagnostics, run.sources, 1, hasErrors(run.diagnostics));
    if (run.lint && run.lint.findings.some((f) => !f.suppressed)) io.err(lintText([run.lint], 1));
    return run.failed ? EXIT.invalid : EXIT.ok;
  },
};

import { LINT_RULES } from "../../check/risk/index.js";
import { hasErrors } from "../../diagnostics/diagnostic.js";
import { lintJson } from "../../lint/json.js";
import { isPresetName, PRESETS } from "../../lint/presets.js";
import { type DocumentLint, failed, lintDocument, totals } from "../../lint/run.js";
import { lintSarif } from "../../lint/sarif.js";
import { lintText } from "../../lint/text.js";
import { natskubeVersion } from "../../version.js";
import { str, type Command } from "../command.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, UsageError } from "../io.js";
import { loadFiles } from "../load-files.js";

const FORMATS = ["text", "json", "sarif"] as const;

export const lintCommand: Command = {
  name: "lint",
  summary: "Check manifests against production best practices (risk, not correctness)",
  usage: "natskube lint FILE... [--preset recommended|strict] [--strict] [-o text|json|sarif]",
  help: [
    "Runs the lint rules over every valid KubernetesNats document (validation errors are printed as `validate` does).",
    "  --preset recommended|strict  rule set: recommended (default) or strict (more rules, warnings raised to errors)",
    "  --strict                     warnings fail the run too",
    "  -o, --output text|json|sarif output format on stdout (default text; sarif is SARIF 2.1.0 for code scanning,",
    "                               a valid log with validation errors as results even when the input is invalid)",
    `Opt out per resource: metadata.annotations["natskube.dev/lint-ignore"]: "rule-a,rule-b".`,
    "Exit 0 when no error remains (with --strict: no warning either), 1 when one does or the input is invalid, 2 on usage errors.",
    "",
    "Rules (recommended/strict severity):",
    ...LINT_RULES.map((r) => `  ${r.id.padEnd(32)} ${PRESETS.recommended.severity(r) ?? "off"}/${PRESETS.strict.severity(r) ?? "off"}`),
  ].join("\n"),
  options: { preset: { type: "string" }, strict: { type: "boolean" }, output: { type: "string", short: "o" } },
  run(values, files, io) {
    if (files.length === 0) throw new UsageError("lint needs at least one FILE");
    const preset = str(values, "preset") ?? "recommended";
    if (!isPresetName(preset)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(", ")}, got "${preset}"`);
    const format = str(values, "output") ?? "text";
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--output must be one of ${FORMATS.join(", ")}, got "${format}"`);
    const strict = values["strict"] === true;

    const loaded = loadFiles(files);
    const invalid = hasErrors(loaded.diagnostics);
    // Validation warnings are shown as validate shows them; lint findings never mix with them.
    printDiagnostics(io, loaded.diagnostics, loaded.sources, loaded.files.length, invalid);
    const lintAll = () => loaded.parsed.map((p) => lintDocument(p, { preset })).filter((d): d is DocumentLint => d !== undefined);
    const meta = { version: natskubeVersion(), preset, strict };
    // Code scanning replaces its alerts with what one upload holds: an empty or missing log on a typo would
    // close every alert. So SARIF is always a valid log, the validation errors being results beside the
    // findings of the documents that did validate.
    if (format === "sarif") {
      const docs = lintAll();
      io.out(JSON.stringify(lintSarif(docs, { ...meta, diagnostics: loaded.diagnostics }), null, 2) + "\n");
      return invalid || failed(totals(docs), strict) ? EXIT.invalid : EXIT.ok;
    }
    if (invalid) return EXIT.invalid;

    const docs = lintAll();
    if (format === "json") io.out(JSON.stringify(lintJson(docs, { ...meta, files: loaded.files.length }), null, 2) + "\n");
    else io.out(lintText(docs, loaded.files.length));
    return failed(totals(docs), strict) ? EXIT.invalid : EXIT.ok;
  },
};

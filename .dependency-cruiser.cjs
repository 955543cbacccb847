// The folder map of CONTRIBUTING.md as rules over the import graph of src/ (type-only imports count:
// a type is a dependency too). test/unit/import-graph.test.ts runs them; a forbidden import fails it.
// Each rule names the folders a stage must not reach; a folder not named here (a new one) is bound only
// by the rules for every file (no cycles, the library never imports the CLI).

/** `^src/(a|b|c)/` */
const folders = (...names) => `^src/(${names.join("|")})/`;
/** The library's entry points and the CLI: nothing inside a stage may depend on them. */
const ENTRY = "^src/(index|pipeline|outputs)\\.ts$";

const forbid = (name, comment, from, to) => ({ name, comment, severity: "error", from, to });

module.exports = {
  forbidden: [
    forbid("no-circular", "No file imports itself through others: stages stay separable.", {}, { circular: true }),
    forbid(
      "library-never-imports-cli",
      "src/cli/ is the only place that prints or exits; the library never depends on it.",
      { path: "^src/", pathNot: "^src/cli/" },
      { path: "^src/cli/" },
    ),
    forbid("diagnostics-is-a-leaf", "Diagnostics are data every stage makes; they depend on no stage.", { path: folders("diagnostics") }, { path: "^src/", pathNot: folders("diagnostics") }),
    forbid(
      "nats-knowledge-stands-alone",
      "src/nats/ is knowledge of nats-server itself (subjects, durations, names, versions): it depends on nothing of natskube's.",
      { path: folders("nats") },
      { path: "^src/", pathNot: folders("nats", "diagnostics") },
    ),
    forbid(
      "nack-knowledge-stands-alone",
      "src/nack/ is knowledge of the NACK controller: it may use src/nats/, not the pipeline (reading --crds is the CLI's, cli/crd-file.ts).",
      { path: folders("nack") },
      { path: "^src/", pathNot: folders("nack", "nats", "diagnostics") },
    ),
    forbid("load-reads-yaml-only", "load turns YAML into data with positions; it knows no schema and no later stage.", { path: folders("load") }, { path: "^src/", pathNot: folders("load", "diagnostics") }),
    forbid(
      "spec-precedes-the-rest",
      "spec checks and types the manifest: it never reaches the stages after it.",
      { path: folders("spec") },
      { path: [folders("lint", "conf", "render", "emit", "plan", "krm", "verify", "presets"), ENTRY] },
    ),
    forbid(
      "spec-reaches-model-only-from-its-rules",
      "Cross-field validation (spec/rules/) asks the Model's derivations (JetStream limits and assets) until it runs over the built Model (issue 14); the rest of spec/ never depends on model/.",
      { path: "^src/spec/", pathNot: "^src/spec/rules/" },
      { path: folders("model") },
    ),
    forbid(
      "model-derives-from-spec-only",
      "The Model is built from the typed spec (and the servers' knowledge); it knows nothing of how it is rendered, linted or checked.",
      { path: folders("model") },
      { path: [folders("load", "lint", "conf", "render", "emit", "plan", "krm", "verify", "presets"), ENTRY] },
    ),
    forbid(
      "lint-reads-spec-and-model",
      "Lint rules judge the spec and the Model; they never look at rendered objects or run anything.",
      { path: folders("lint") },
      { path: [folders("load", "conf", "render", "emit", "plan", "krm", "verify", "presets"), ENTRY] },
    ),
    forbid(
      "conf-is-built-from-the-model",
      "nats.conf is data built from the Model, serialized by one serializer.",
      { path: folders("conf") },
      { path: [folders("load", "lint", "render", "emit", "plan", "krm", "verify", "presets"), ENTRY] },
    ),
    forbid(
      "render-is-pure",
      "render/ is pure functions of the Model: it never imports load/ or cli/, lint, emitters, plan, verify or the entry points.",
      { path: folders("render") },
      { path: [folders("load", "lint", "emit", "plan", "krm", "verify", "presets"), ENTRY] },
    ),
    forbid(
      "render-does-no-io",
      "Rendering is deterministic: no files, processes, network or clients (node:crypto only for --generate-secrets).",
      { path: folders("model", "conf", "render", "spec", "lint") },
      { path: "^(node:)?(fs|fs/promises|child_process|net|http|https|dns|os)$|^@nats-io/", dependencyTypesNot: ["type-only"] },
    ),
    forbid(
      "emit-writes-objects",
      "Emitters turn rendered objects into YAML, JSON or a directory; they do not know how the objects were made.",
      { path: folders("emit") },
      { path: [folders("load", "spec", "lint", "model", "conf", "plan", "krm", "verify", "presets"), ENTRY] },
    ),
    forbid(
      "features-stay-apart",
      "plan, verify and krm each build on the pipeline; none depends on another.",
      { path: "^src/(plan|verify|krm)/" },
      { path: "^src/(plan|verify|krm)/", pathNot: "^src/$1/" },
    ),
    forbid("plan-is-no-linter", "plan compares renders; lint is not its business.", { path: folders("plan", "verify") }, { path: folders("lint", "presets") }),
    forbid("presets-are-text", "The manifests init prints are text; they import nothing of natskube's.", { path: folders("presets") }, { path: "^src/", pathNot: folders("presets") }),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules)/" },
    includeOnly: { path: ["^src/", "^test/fixtures/import-graph/", "^(node:)?(fs|fs/promises|child_process|net|http|https|dns|os)$", "^@nats-io/"] },
  },
};

// The folder map of CONTRIBUTING.md as rules over the import graph of src/ (type-only imports count:
// a type is a dependency too). test/unit/import-graph.test.ts runs them; a forbidden import fails it.
// Each rule names the folders a stage must not reach; a folder not named here (a new one) is bound only
// by the rules for every file (no cycles, the library never imports the CLI).

/** `^src/(a|b|c)/` */
const folders = (...names) => `^src/(${names.join("|")})/`;
/** The library's entry points: nothing inside a stage depends on them. */
const ENTRY = "^src/(index|pipeline|outputs)\\.ts$";
/** Modules that do I/O or talk to servers, which the pure stages never load at run time. */
const IO = "^(node:)?(fs|fs/promises|child_process|net|http|https|dns|os)$|(^|node_modules/)@nats-io/";
const KUBE_CLIENT = "(^|node_modules/)@kubernetes/client-node(/|$)";

/**
 * [name, why, the folders it binds, and either the only folders they may import or the folders they must
 * not import (nor the entry points, unless entry is false)].
 */
const MAP = [
  ["diagnostics-is-a-leaf", "Diagnostics are data every stage makes; they depend on no stage.", ["diagnostics"], { only: [] }],
  ["nats-knowledge-stands-alone", "src/nats/ is knowledge of nats-server itself (subjects, durations, names, versions).", ["nats"], { only: ["diagnostics"] }],
  ["nack-knowledge-stands-alone", "src/nack/ is knowledge of the NACK controller; reading --crds is the CLI's (cli/crd-file.ts).", ["nack"], { only: ["nats", "diagnostics"] }],
  ["load-reads-yaml-only", "load turns YAML into data with positions; it knows no schema and no later stage.", ["load"], { only: ["diagnostics"] }],
  ["presets-are-text", "The manifests init prints are text.", ["presets"], { only: [] }],
  ["spec-precedes-the-rest", "spec types the manifest (the schema pass): it never reaches the Model, the checks over it, or the stages after them.", ["spec"], { not: ["model", "check", "lint", "conf", "render", "emit", "plan", "krm", "verify", "presets"] }],
  ["model-derives-from-spec-only", "The Model is built from the typed spec and the servers' knowledge, not from its uses.", ["model"], { not: ["load", "check", "lint", "conf", "render", "emit", "plan", "krm", "verify", "presets"] }],
  ["check-runs-over-the-model", "The rule engine (correctness and risk rules) judges the typed spec and its Model, and nats.conf as data where a rule is about it (configMerge): never lint's presets and reports, rendered objects, or what runs them.", ["check"], { not: ["lint", "render", "emit", "plan", "krm", "verify", "presets", "live", "status"] }],
  ["lint-reads-spec-and-model", "Lint runs the risk rules (check/) and reports them; it never looks at rendered objects or runs anything.", ["lint"], { not: ["load", "conf", "render", "emit", "plan", "krm", "verify", "presets"] }],
  ["conf-is-built-from-the-model", "nats.conf is data built from the Model, serialized by one serializer.", ["conf"], { not: ["load", "check", "lint", "render", "emit", "plan", "krm", "verify", "presets"] }],
  ["render-is-pure", "render/ is pure functions of the Model: never load/, cli/, the checks, lint, emitters, plan, verify or the entry points.", ["render"], { not: ["load", "check", "lint", "emit", "plan", "krm", "verify", "presets"] }],
  ["emit-writes-objects", "Emitters turn rendered objects into YAML, JSON or a directory; they do not know how they were made.", ["emit"], { not: ["load", "spec", "model", "check", "lint", "conf", "plan", "krm", "verify", "presets"] }],
  ["plan-is-no-linter", "plan compares renders and verify runs them; lint and presets are not their business.", ["plan", "verify"], { not: ["lint", "presets"], entry: false }],
  ["status-judges-snapshots", "status judges what the servers and the API server report against the Model (plan's and render's types); it reads nothing itself but the monitoring endpoints.", ["status"], { only: ["model", "spec", "nats", "diagnostics", "plan", "render"] }],
  ["live-plans-then-applies", "live reads and writes a cluster through plan's comparison; it never boots servers, lints or runs as a KRM function.", ["live"], { not: ["lint", "presets", "verify", "krm", "status"], entry: false }],
];

const rule = (name, comment, from, to) => ({ name, comment, severity: "error", from, to });

const mapped = MAP.map(([name, why, from, { only, not, entry = true }]) =>
  rule(
    name,
    why,
    { path: folders(...from) },
    only ? { path: "^src/", pathNot: folders(...from, ...only) } : { path: entry ? [folders(...not), ENTRY] : folders(...not) },
  ),
);

module.exports = {
  forbidden: [
    rule("no-circular", "No file imports itself through others: stages stay separable.", {}, { circular: true }),
    rule("library-never-imports-cli", "src/cli/ is the only place that prints or exits; the library never depends on it.", { path: "^src/", pathNot: "^src/cli/" }, { path: "^src/cli/" }),
    ...mapped,
    rule(
      "render-does-no-io",
      "Parsing, the Model, the checks, nats.conf, rendering and lint are deterministic: no files, processes, network or clients (node:crypto only, for --generate-secrets).",
      { path: folders("model", "conf", "render", "spec", "check", "lint") },
      { path: IO, dependencyTypesNot: ["type-only"] },
    ),
    rule(
      "only-live-talks-to-kubernetes",
      "One file imports the Kubernetes client, loaded on use, so render and --version never pay for it (docs/performance.md).",
      { path: "^src/", pathNot: "^src/live/client\\.ts$" },
      { path: KUBE_CLIENT },
    ),
    rule("features-stay-apart", "plan, verify and krm each build on the pipeline; none depends on another.", { path: "^src/(plan|verify|krm)/" }, { path: "^src/(plan|verify|krm)/", pathNot: "^src/$1/" }),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^dist/" },
    includeOnly: { path: ["^src/", IO, KUBE_CLIENT] },
  },
};

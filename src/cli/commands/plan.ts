import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { renderParsed, type RenderedDocument } from "../../pipeline.js";
import { formatJson, formatText, type PlanMeta } from "../../plan/format.js";
import { buildPlan, loadRenderedObjects, sideFromObjects, sideFromRendered, type PlanSide } from "../../plan/index.js";
import type { Severity } from "../../plan/types.js";
import { againstLive, generatedSecretKeys } from "../../live/side.js";
import { KINDS } from "../../spec/schema/resource.js";
import { str, type Command } from "../command.js";
import { printDiagnostics } from "../diagnostics-out.js";
import { EXIT, readSource, UsageError } from "../io.js";
import { loadFiles } from "../load-files.js";

/** Exit codes of `plan`; 1 (invalid input) and 2 (usage) are shared with every command. */
export const PLAN_EXIT: Record<Severity, number> = { safe: 0, attention: 3, disruptive: 4 };

interface Loaded {
  side?: PlanSide;
  docs?: RenderedDocument[];
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

function fromManifest(file: string): Loaded {
  const loaded = loadFiles([file]);
  if (hasErrors(loaded.diagnostics)) return { diagnostics: loaded.diagnostics, sources: loaded.sources };
  const rendered = loaded.parsed.map((p) => renderParsed(p)).filter((r): r is RenderedDocument => r !== undefined);
  return { side: sideFromRendered(file, rendered), docs: rendered, diagnostics: loaded.diagnostics, sources: loaded.sources };
}

function fromRendered(file: string, defaultNamespace: string | undefined): Loaded {
  const { text, diagnostic } = readSource(file);
  if (diagnostic) return { diagnostics: [diagnostic], sources: new Map() };
  const sources = new Map([[file, text!]]);
  const { objects, diagnostics } = loadRenderedObjects(text!, file);
  const manifest = objects.find((o) => (KINDS as readonly string[]).includes(o.kind));
  if (manifest)
    diagnostics.push({
      code: "kind",
      severity: "error",
      path: "kind",
      message: `${manifest.kind} is a manifest, not a rendered object`,
      hint: "Without --rendered, OLD is read as a manifest.",
      source: { file, line: 1, col: 1 },
    });
  if (hasErrors(diagnostics)) return { diagnostics, sources };
  return { side: sideFromObjects(file, objects, defaultNamespace), diagnostics, sources };
}

export const planCommand: Command = {
  name: "plan",
  summary: "Show what applying NEW over OLD does: in place, rolling restart, forbidden, data loss, NATS topology risks",
  usage: "natskube plan OLD NEW [--rendered] [-o text|json] [--allow-disruptive]",
  help: [
    "OLD and NEW are KubernetesNats manifests; with --rendered, OLD is a previous `natskube render` output",
    "(YAML stream or JSON List) or the objects read from a cluster (`kubectl get -o yaml`; compared on the",
    "fields natskube renders, so fields the API server adds never show). Prints every changed object and",
    "field, how it is applied, and the procedure for changes that cannot simply be applied.",
    "`natskube diff FILE` compares with the live cluster directly.",
    "  --rendered               OLD is rendered Kubernetes objects, not a manifest",
    "  -o, --output text|json   output format (default text; json follows schema/plan.schema.json)",
    "  --allow-disruptive       accept the plan: exit 0 even when it needs attention or is disruptive",
    "Exit codes: 0 safe (in place or no change), 3 needs attention (rolling restart with quorum, topology",
    "notes), 4 disruptive (forbidden update, data loss, outage, quorum loss), 1 invalid input, 2 usage.",
  ].join("\n"),
  options: { rendered: { type: "boolean" }, output: { type: "string", short: "o" }, "allow-disruptive": { type: "boolean" } },
  run(values, files, io) {
    if (files.length !== 2) throw new UsageError("plan takes exactly two files: OLD NEW");
    const format = str(values, "output") ?? "text";
    if (format !== "text" && format !== "json") throw new UsageError(`--output must be text or json, got "${format}"`);
    const [oldFile, newFile] = files as [string, string];
    const rendered = values.rendered === true;
    const neu = fromManifest(newFile);
    // A render without namespaces (helm template) was applied into NEW's namespace, if NEW has just one.
    const namespaces = new Set(neu.side?.objects.map((o) => o.metadata.namespace).filter((n) => n !== undefined));
    const old = rendered ? fromRendered(oldFile, namespaces.size === 1 ? [...namespaces][0] : undefined) : fromManifest(oldFile);
    const diagnostics = [...old.diagnostics, ...neu.diagnostics];
    const sources = new Map([...old.sources, ...neu.sources]);
    printDiagnostics(io, diagnostics, sources, 2, hasErrors(diagnostics));
    if (!old.side || !neu.side) {
      if (!rendered && old.diagnostics.some((d) => d.code === "api-version" || d.code === "kind"))
        io.err(`hint: if ${oldFile} is the output of \`natskube render\`, add --rendered\n`);
      return EXIT.invalid;
    }
    // OLD read from a cluster (`kubectl get -o yaml`) is compared on natskube's fields only.
    const sides = againstLive(old.side, neu.side, generatedSecretKeys(neu.docs ?? []));
    const plan = buildPlan(sides.old, sides.new);
    const allowDisruptive = values["allow-disruptive"] === true;
    const exitCode = allowDisruptive ? EXIT.ok : PLAN_EXIT[plan.severity];
    const meta: PlanMeta = {
      old: { file: oldFile, input: rendered ? "rendered" : "manifest" },
      new: { file: newFile, input: "manifest" },
      exitCode,
      allowDisruptive,
    };
    io.out(format === "json" ? formatJson(plan, meta) : formatText(plan, meta));
    return exitCode;
  },
};

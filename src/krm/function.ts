import { parseDocument } from "../check/document.js";
import { hasErrors, type Diagnostic, type SourcePosition } from "../diagnostics/diagnostic.js";
import { printable } from "../diagnostics/printable.js";
import type { PresetName } from "../lint/presets.js";
import { failed as lintFailed, lintDocument, totals, type DocumentLint, type LintFinding } from "../lint/run.js";
import { renderParsed } from "../pipeline.js";
import type { KubeObject } from "../render/object.js";
import { isPlainObject } from "../spec/paths.js";
import { configSource } from "./origin.js";
import { readResourceList, RESOURCE_LIST_VERSIONS, writeResourceList, type KrmResult } from "./resource-list.js";

export interface KrmOptions {
  /** Lint preset whose findings become results (default recommended). */
  preset?: PresetName;
  /** Lint warnings fail the function too, as `natskube lint --strict`. */
  strict?: boolean;
  /** Reads a file the functionConfig came from, relative to the working directory; undefined when it cannot. */
  readFile?: (path: string) => string | undefined;
}

export interface KrmRun {
  /** The ResourceList for stdout: the input items plus the rendered objects (none when failed), and the results. */
  output: string;
  failed: boolean;
  /** Validation diagnostics and lint findings, for the CLI's human-readable report on stderr. */
  diagnostics: Diagnostic[];
  lint?: DocumentLint;
  /** Source texts by file name (only the user's own file: excerpts from re-serialized input would mislead). */
  sources: Map<string, string>;
  objects: KubeObject[];
}

type Ref = NonNullable<KrmResult["resourceRef"]>;

/**
 * A KRM function (kustomize generator): the KubernetesNats in functionConfig becomes natskube's objects, the
 * same objects `natskube render` prints for that manifest; validation diagnostics and lint findings become
 * results, and any error (or, with `strict`, any warning) fails the function with no objects.
 */
export function runKrmFunction(input: string, options: KrmOptions = {}): KrmRun {
  const read = readResourceList(input);
  const list = read.list ?? { apiVersion: RESOURCE_LIST_VERSIONS[0], kind: "ResourceList" as const, items: [] };
  const none = { lint: undefined, sources: new Map<string, string>(), objects: [] };
  const config = list.functionConfig;
  if (!read.list || !isPlainObject(config)) {
    const diagnostics = read.list ? [missingConfig(config)] : read.diagnostics;
    const results = diagnostics.map((d) => diagnosticResult(printable(d), undefined, undefined));
    return { output: writeResourceList({ ...list, results }), failed: true, diagnostics, ...none };
  }

  const source = configSource(config, options.readFile ?? (() => undefined));
  const parsed = parseDocument(source.document);
  const unlocated = <T extends { source?: SourcePosition }>(x: T): T => {
    if (source.located) return x;
    const { source: _, ...rest } = x;
    return rest as T;
  };
  const diagnostics = byPosition(parsed.diagnostics.map(printable)).map(unlocated);
  const rendered = hasErrors(diagnostics) ? undefined : renderParsed(parsed);
  const lint = rendered && lintDocument(parsed, { preset: options.preset ?? "recommended", model: rendered.model });
  if (lint) lint.findings = lint.findings.map(unlocated);
  const failed = !rendered || (lint !== undefined && lintFailed(totals([lint]), options.strict === true));

  const ref = resourceRef(config);
  const file = source.file === undefined ? undefined : { path: source.file, ...(source.located ? { index: source.document.index } : {}) };
  const results = [
    ...diagnostics.map((d) => diagnosticResult(d, ref, file)),
    ...(lint?.findings ?? []).filter((f) => !f.suppressed).map((f) => findingResult(f, ref, file)),
  ];
  const objects = rendered && !failed ? rendered.objects : [];
  return {
    output: writeResourceList({ ...list, items: [...list.items, ...objects], results }),
    failed,
    diagnostics,
    lint,
    sources: source.located && source.file !== undefined ? new Map([[source.file, source.text]]) : new Map(),
    objects,
  };
}

/** In file order, as the CLI prints them; a stable sort keeps the parser's order where positions tie or are absent. */
function byPosition(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => (a.source?.line ?? 0) - (b.source?.line ?? 0) || (a.source?.col ?? 0) - (b.source?.col ?? 0));
}

function missingConfig(config: unknown): Diagnostic {
  return {
    code: "krm-input",
    severity: "error",
    path: "functionConfig",
    message: config === undefined ? "the ResourceList has no functionConfig" : "functionConfig is not a mapping",
    hint: "List the KubernetesNats file under generators: in kustomization.yaml, with the config.kubernetes.io/function annotation (docs/gitops.md).",
  };
}

function resourceRef(config: Record<string, unknown>): Ref | undefined {
  const metadata = isPlainObject(config["metadata"]) ? config["metadata"] : {};
  const [apiVersion, kind, name, namespace] = [config["apiVersion"], config["kind"], metadata["name"], metadata["namespace"]];
  if (typeof apiVersion !== "string" || typeof kind !== "string" || typeof name !== "string") return undefined;
  return { apiVersion, kind, name, ...(typeof namespace === "string" ? { namespace } : {}) };
}

/** Fields of a result that are there only when known: a result never carries `undefined`. */
function located(ref: Ref | undefined, path: string, file: KrmResult["file"], at: Diagnostic["source"], tag: [string, string]): Partial<KrmResult> {
  return {
    ...(ref ? { resourceRef: ref } : {}),
    ...(path ? { field: { path } } : {}),
    ...(file ? { file } : {}),
    tags: { [tag[0]]: tag[1], ...(at ? { "natskube.dev/position": `${at.line}:${at.col}` } : {}) },
  };
}

function diagnosticResult(d: Diagnostic, ref: Ref | undefined, file: KrmResult["file"]): KrmResult {
  const message = d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
  return { message, severity: d.severity, ...located(ref, d.path, file, d.source, ["natskube.dev/code", d.code]) };
}

function findingResult(f: LintFinding, ref: Ref | undefined, file: KrmResult["file"]): KrmResult {
  return { message: `${f.message} (fix: ${f.fix})`, severity: f.severity, ...located(ref, f.path, file, f.source, ["natskube.dev/lint-rule", f.ruleId]) };
}

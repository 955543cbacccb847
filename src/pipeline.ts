import { parseDocument, type ParsedDocument } from "./check/document.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { printable } from "./diagnostics/printable.js";
import { loadDocuments, type LoadedDocument } from "./load/load.js";
import { nonPlainValues } from "./load/plain.js";
import { buildModel, type Model, type ModelOptions } from "./model/model.js";
import { renderObjects, type KubeObject } from "./render/index.js";
import type { ResourceInput } from "./spec/schema/resource.js";

/** What a user writes (camelCase; Project Planton fields and defaults allowed): the type to author a manifest with. */
export type KubernetesNatsInput = ResourceInput;

/** What rendering reads of a parsed document. */
export type Renderable = Pick<ParsedDocument, "resource" | "model">;

export interface RenderedDocument<P extends Renderable = ParsedDocument> {
  parsed: P;
  model: Model;
  objects: KubeObject[];
}

export interface PipelineResult {
  diagnostics: Diagnostic[];
  parsed: ParsedDocument[];
}

/** load + parse every document of a file; diagnostics of all documents together. */
export function parseText(text: string, file: string): PipelineResult {
  const loaded = loadDocuments(text, file);
  const parsed = loaded.documents.map(parseDocument);
  const diagnostics = [...loaded.diagnostics, ...parsed.flatMap((p) => p.diagnostics)].map(printable);
  if (loaded.documents.length === 0 && loaded.diagnostics.length === 0)
    diagnostics.push({ code: "not-a-mapping", severity: "error", path: "", message: "the file holds no document", source: { file, line: 1, col: 1 } });
  return { diagnostics, parsed };
}

/** The objects of a valid document, from the Model its checks ran over; options that change the Model (a topology) build another. */
export function renderParsed<P extends Renderable>(parsed: P, options: ModelOptions = {}): RenderedDocument<P> | undefined {
  if (!parsed.resource) return undefined;
  const model = options.topology === undefined && parsed.model ? parsed.model : buildModel(parsed.resource, options);
  return { parsed, model, objects: renderObjects(model) };
}

/** A value that holds itself is no manifest; found before anything walks it recursively. */
function selfContaining(value: unknown, open = new Set<unknown>()): boolean {
  if (value === null || typeof value !== "object") return false;
  if (open.has(value)) return true;
  open.add(value);
  const found = Object.values(value).some((v) => selfContaining(v, open));
  open.delete(value);
  return found;
}

/**
 * parseText for a manifest that is already data (an object built in code, or parsed from JSON): the same
 * checks and diagnostics, without line:column (`source` names only the file given).
 */
export function parseObject(manifest: unknown, file = "<object>"): PipelineResult {
  const at = { file, line: 1, col: 1 };
  if (selfContaining(manifest))
    return { parsed: [], diagnostics: [{ code: "type", severity: "error", path: "", message: "the manifest contains itself (a cyclic object)", source: at }] };
  const odd = nonPlainValues(manifest);
  if (odd.length > 0) return { parsed: [], diagnostics: odd.map((o) => printable({ ...o.diagnostic, source: at })) };
  const doc: LoadedDocument = { file, index: 0, value: structuredClone(manifest), positionOf: () => undefined };
  const parsed = parseDocument(doc);
  return { diagnostics: parsed.diagnostics.map(printable), parsed: [parsed] };
}

/** The whole pipeline in one call, from YAML text (every document) or from an object: diagnostics, and the objects of each valid document. */
export function renderManifest(manifest: string | KubernetesNatsInput, options: ModelOptions & { file?: string } = {}): { diagnostics: Diagnostic[]; documents: RenderedDocument[] } {
  const { file, ...modelOptions } = options;
  const result = typeof manifest === "string" ? parseText(manifest, file ?? "<text>") : parseObject(manifest, file);
  const documents = result.parsed.flatMap((p) => renderParsed(p, modelOptions) ?? []);
  return { diagnostics: result.diagnostics, documents };
}

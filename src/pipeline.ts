import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { printable } from "./diagnostics/printable.js";
import { loadDocuments } from "./load/load.js";
import { buildModel, type Model, type ModelOptions } from "./model/model.js";
import { renderObjects, type KubeObject } from "./render/index.js";
import { parseDocument, type ParsedDocument } from "./spec/parse.js";

export interface RenderedDocument {
  parsed: ParsedDocument;
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

export function renderParsed(parsed: ParsedDocument, options: ModelOptions = {}): RenderedDocument | undefined {
  if (!parsed.resource) return undefined;
  const model = buildModel(parsed.resource, options);
  return { parsed, model, objects: renderObjects(model) };
}

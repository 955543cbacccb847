import type { Diagnostic, PathSegment } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { LoadedDocument } from "../load/load.js";
import { buildModel, type Model } from "../model/model.js";
import { parseSpec } from "../spec/parse.js";
import type { KubernetesNats } from "../spec/types.js";
import type { CheckContext } from "./context.js";
import { checkContext, runChecks } from "./run.js";

export interface ParsedDocument {
  file: string;
  index: number;
  /** Present when the document has no errors (warnings allowed). */
  resource?: KubernetesNats;
  /** The Model of `resource`, built once by the resolve step: the checks, lint and render all read this one. */
  model?: Model;
  /** What the rules saw (`resource`, `model`, what was written): lint runs its risk rules over the same context. */
  context?: CheckContext;
  diagnostics: Diagnostic[];
  /** Source position of a path of the resolved resource (for lint and plan findings). */
  locate(path: readonly PathSegment[]): Diagnostic["source"];
  /** Display form of a resolved path, in the spelling the user wrote. */
  display(path: readonly PathSegment[]): string;
}

/**
 * load -> parse -> resolve -> check: the schema pass types the document, `buildModel` resolves it (every
 * derived value, once), and the correctness rules run over that Model. The Model is built even when the
 * schema pass found errors (rejected fields removed), so every problem shows in one run; it is kept only
 * with a valid document.
 */
export function parseDocument(doc: LoadedDocument): ParsedDocument {
  const { typed, ...parsed } = parseSpec(doc);
  if (!typed) return parsed;
  const model = buildModel(typed.resource);
  const context = checkContext(model, typed.written);
  for (const f of runChecks(context).correctness) typed.report(f);
  if (hasErrors(parsed.diagnostics)) return parsed;
  return { ...parsed, resource: typed.resource, model, context };
}

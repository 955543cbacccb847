import type { Diagnostic, PathSegment } from "../diagnostics/diagnostic.js";
import { formatPath, hasErrors } from "../diagnostics/diagnostic.js";
import type { LoadedDocument } from "../load/load.js";
import { camelize } from "./camelize.js";
import { issuesToDiagnostics } from "./issues.js";
import { isPlainObject, PathTrail, valueAt } from "./paths.js";
import { resolvePlanton } from "./planton.js";
import { overlaps, repairUntilValid } from "./repair.js";
import { VALIDATION_RULES } from "./rules/index.js";
import { resourceSchema } from "./schema/resource.js";
import type { KubernetesNats, Spec } from "./types.js";

export interface ParsedDocument {
  file: string;
  index: number;
  /** Present when the document has no errors (warnings allowed). */
  resource?: KubernetesNats;
  diagnostics: Diagnostic[];
  /** Source position of a path of the resolved resource (for lint and plan findings). */
  locate(path: readonly PathSegment[]): Diagnostic["source"];
  /** Display form of a resolved path, in the spelling the user wrote. */
  display(path: readonly PathSegment[]): string;
}

/** load -> parse: schema check, Project Planton translation, defaults and cross-field rules. */
export function parseDocument(doc: LoadedDocument): ParsedDocument {
  const trail = new PathTrail();
  const locate = (path: readonly PathSegment[]) => doc.positionOf(trail.written(path));
  const display = (path: readonly PathSegment[]) => formatPath(trail.written(path));
  const result: ParsedDocument = { file: doc.file, index: doc.index, diagnostics: [], locate, display };
  const writtenKey = (parent: PathSegment[], key: string) => String(trail.written([...parent, key]).at(-1) ?? key);
  const add = (d: Diagnostic, path: readonly PathSegment[]) =>
    result.diagnostics.push({ ...d, path: display(path), source: d.source ?? locate(path) });

  if (!isPlainObject(doc.value)) {
    result.diagnostics.push({
      code: "not-a-mapping",
      severity: "error",
      path: "",
      message: "the document is not a mapping; expected apiVersion, kind, metadata and spec",
      hint: "Start from `natskube init --preset dev`.",
      source: doc.positionOf([]),
    });
    return result;
  }

  const camelized = camelize(doc.value, trail, result.diagnostics, (w) => doc.positionOf(w)) as Record<string, unknown>;
  const reported = new Set<string>();
  const report = (located: readonly { diagnostic: Diagnostic; path: PathSegment[] }[]) => {
    for (const l of located) {
      const key = `${display(l.path)}\u0000${l.diagnostic.code}`;
      if (reported.has(key)) continue;
      reported.add(key);
      add(l.diagnostic, l.path);
    }
  };
  // Two passes: type errors are reported against what the user wrote (Planton fields included);
  // defaults are applied only after Planton fields are translated, so they cannot look like conflicts.
  const checked = resourceSchema.safeParse(structuredClone(camelized));
  if (!checked.success) report(issuesToDiagnostics(checked.error.issues, camelized, resourceSchema, writtenKey));

  // Every independent check runs in this one run, whatever the others found: Planton conflicts compare what
  // was written (a mistyped value contradicts too), and the cross-field rules run on the fields the schema
  // accepts, with the rejected ones removed; their findings on or inside a removed field are left out.
  const written = structuredClone(camelized);
  const planton = isPlainObject(written["spec"]) ? resolvePlanton(written, trail, (p) => doc.positionOf(trail.written(p))) : undefined;
  result.diagnostics.push(...(planton?.diagnostics ?? []));

  const second = resourceSchema.safeParse(structuredClone(written));
  if (!second.success) report(issuesToDiagnostics(second.error.issues, written, resourceSchema, writtenKey));
  // A valid document needs no repair: its first round would parse the same clone again.
  const repaired = second.success ? { data: second.data, touched: [] } : repairUntilValid(written, (d) => resourceSchema.safeParse(d));
  const resolved = repaired.data;
  if (!resolved) return result;
  const { spec: parsedSpec, ...rest } = resolved;
  const { scheme: _scheme, mode, ...auth } = parsedSpec.auth;
  const spec = { ...parsedSpec, namespace: parsedSpec.namespace as string, auth: { ...auth, mode: mode ?? "TOKEN" } } as Spec;
  const resource: KubernetesNats = { apiVersion: rest.apiVersion, kind: rest.kind, metadata: rest.metadata, spec, planton: planton?.record ?? {} };

  const ctx = { resource, written, isSet: (p: PathSegment[]) => valueAt(written, p) !== undefined };
  for (const rule of VALIDATION_RULES)
    for (const f of rule(ctx))
      if (!repaired.touched.some((t) => overlaps(t, f.path)))
        add({ code: f.code, severity: f.severity ?? "error", path: "", message: f.message, ...(f.hint ? { hint: f.hint } : {}) }, f.path);
  if (!hasErrors(result.diagnostics)) result.resource = resource;
  return result;
}

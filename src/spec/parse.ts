import type { Diagnostic, PathSegment } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import type { LoadedDocument } from "../load/load.js";
import { camelize } from "./camelize.js";
import type { RuleFinding } from "./finding.js";
import { issuesToDiagnostics } from "./issues.js";
import { isPlainObject, PathTrail } from "./paths.js";
import { generationAFindings, plantonGeneration } from "./planton-generation.js";
import { checkRedesign } from "./planton-redesign-check.js";
import { resolvePlanton } from "./planton.js";
import { clearPlantonUnset } from "./planton-unset.js";
import { overlaps, repairUntilValid } from "./repair.js";
import { cloneData, sameData } from "./plain-data.js";
import { resourceSchema } from "./schema/resource.js";
import type { KubernetesNats, Spec } from "./types.js";

/** The schema pass of one document: its diagnostics so far, and the typed resource the checks run on. */
export interface SpecDocument {
  file: string;
  index: number;
  diagnostics: Diagnostic[];
  /** Source position of a path of the resolved resource (for lint and plan findings). */
  locate(path: readonly PathSegment[]): Diagnostic["source"];
  /** Display form of a resolved path, in the spelling the user wrote. */
  display(path: readonly PathSegment[]): string;
  /**
   * The typed resource (defaults applied, Planton fields translated), present whenever the schema pass could
   * type the document, errors or not: fields the schema rejected are removed, so resolve and the cross-field
   * checks still run and a user sees every problem in one run.
   */
  typed?: {
    resource: KubernetesNats;
    /** The manifest as written (camelized, Planton fields translated, no defaults): what the user set. */
    written: Record<string, unknown>;
    /** Adds a check's finding as a located diagnostic, unless it is on or inside a field already reported. */
    report(finding: RuleFinding): void;
  };
}

type ParsedResource = ReturnType<typeof resourceSchema.safeParse> & { success: true };

/**
 * The first pass's result, when the Planton translation changed nothing: parsing the same document again
 * gives the same result (and was 1-2 ms of a cold `natskube render`, docs/performance.md). Its input was a
 * clone, so the result shares nothing with `written`.
 */
function reusable(first: ParsedResource | undefined, camelized: Record<string, unknown>, written: Record<string, unknown>): ParsedResource | undefined {
  return first !== undefined && sameData(written, camelized) ? first : undefined;
}

/** load -> parse: schema check, Project Planton translation and defaults (src/check/ resolves and checks the result). */
export function parseSpec(doc: LoadedDocument): SpecDocument {
  const trail = new PathTrail();
  const locate = (path: readonly PathSegment[]) => doc.positionOf(trail.written(path));
  const display = (path: readonly PathSegment[]) => formatPath(trail.written(path));
  const result: SpecDocument = { file: doc.file, index: doc.index, diagnostics: [], locate, display };
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
  // Fields the redesign's own checks reported: natskube's checks of what they became would say it twice.
  const redesignReported: string[] = [];
  const covered = (shown: string) => redesignReported.some((r) => shown === r || shown.startsWith(`${r}.`) || shown.startsWith(`${r}[`));
  const report = (located: readonly { diagnostic: Diagnostic; path: PathSegment[] }[], own = false) => {
    for (const l of located) {
      const shown = display(l.path);
      const key = `${shown}\u0000${l.diagnostic.code}`;
      // One redesign error per field: a value the schema rejects is not also reported as unsupported.
      if (reported.has(key) || covered(shown)) continue;
      reported.add(key);
      if (own && l.diagnostic.severity === "error") redesignReported.push(shown);
      add(l.diagnostic, l.path);
    }
  };

  const { generation, diagnostics: mixed } = plantonGeneration(camelized, display, locate);
  if (mixed.length > 0) {
    // Neither schema fits a manifest of both shapes: anything else reported would be noise.
    result.diagnostics.push(...mixed);
    return result;
  }
  const unset = generation !== "B" ? clearPlantonUnset(camelized) : { schemeUnspecified: false };
  const writtenAuth = isPlainObject(camelized["spec"]) ? camelized["spec"]["auth"] : undefined;
  if (unset.schemeUnspecified && isPlainObject(writtenAuth) && writtenAuth["enabled"] === true)
    result.diagnostics.push({
      code: "cross-field",
      severity: "warning",
      path: display(["spec", "auth", "scheme"]),
      message: "auth.scheme is unspecified: Project Planton then deploys no authentication at all; natskube renders its default, TOKEN",
      hint: "Write scheme: bearer_token (or basic_auth) to say which, or auth.enabled: false for no authentication.",
      source: locate(["spec", "auth", "scheme"]),
    });
  const written = cloneData(camelized);
  let chartVersion: string | undefined;
  let first: ParsedResource | undefined;
  if (generation === "B") {
    // Checked in its own terms, then translated; a `10 Gi` diskSize passes Planton's pattern and fails natskube's quantity.
    const redesign = checkRedesign(camelized, written, trail, writtenKey);
    report(redesign.located, true);
    chartVersion = redesign.chartVersion;
  } else {
    // Two passes: type errors are reported against what the user wrote (Planton fields included);
    // defaults are applied only after Planton fields are translated, so they cannot look like conflicts.
    const checked = resourceSchema.safeParse(cloneData(camelized));
    if (checked.success) first = checked;
    else report(issuesToDiagnostics(checked.error.issues, camelized, resourceSchema, writtenKey));
    if (generation === "A" && isPlainObject(camelized["spec"])) result.diagnostics.push(...generationAFindings(camelized["spec"], display, locate));
  }

  // Every independent check runs in this one run, whatever the others found: Planton conflicts compare what
  // was written (a mistyped value contradicts too), and the cross-field rules run on the fields the schema
  // accepts, with the rejected ones removed; their findings on or inside a removed field are left out.
  const planton = isPlainObject(written["spec"]) ? resolvePlanton(written, trail, (p) => doc.positionOf(trail.written(p)), generation !== "B") : undefined;
  result.diagnostics.push(...(planton?.diagnostics ?? []).filter((d) => !covered(d.path)));
  if (planton && chartVersion) planton.record.chartVersion = chartVersion;
  if (planton && generation === "B") planton.record.redesign = true;

  const second = reusable(first, camelized, written) ?? resourceSchema.safeParse(cloneData(written));
  if (!second.success) report(issuesToDiagnostics(second.error.issues, written, resourceSchema, writtenKey));
  // A valid document needs no repair: its first round would parse the same clone again.
  const repaired = second.success ? { data: second.data, touched: [] } : repairUntilValid(written, (d) => resourceSchema.safeParse(d));
  const resolved = repaired.data;
  if (!resolved) return result;
  const { spec: parsedSpec, ...rest } = resolved;
  const { scheme: _scheme, mode, ...auth } = parsedSpec.auth;
  const spec = { ...parsedSpec, namespace: parsedSpec.namespace as string, auth: { ...auth, mode: mode ?? (auth.users.length + auth.accounts.length > 0 ? "BASIC" : "TOKEN") } } as Spec;
  const resource: KubernetesNats = { apiVersion: rest.apiVersion, kind: rest.kind, metadata: rest.metadata, spec, planton: planton?.record ?? {} };

  const reportFinding = (f: RuleFinding) => {
    if (!repaired.touched.some((t) => overlaps(t, f.path)) && !covered(display(f.path)))
      add({ code: f.code, severity: f.severity ?? "error", path: "", message: f.message, ...(f.hint ? { hint: f.hint } : {}) }, f.path);
  };
  result.typed = { resource, written, report: reportFinding };
  return result;
}

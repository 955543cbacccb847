import { isDeepStrictEqual } from "node:util";
import type { Diagnostic, PathSegment, SourcePosition } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import { isPlainObject, valueAt, type PathTrail } from "./paths.js";

/** What a Project Planton manifest said that has no effect on rendering, kept for `outputs` and docs. */
export interface PlantonRecord {
  natsHelmChartVersion?: string;
  /** The redesign's chartVersion (it selects the image tag too). */
  chartVersion?: string;
  /** Written in Planton's redesign (B): its stack outputs have other names. */
  redesign?: true;
  /** Written in Planton's first API (its fields or apiVersions): Planton's defaults are in force. */
  dialect?: true;
  nackHelmChartVersion?: string;
  targetCluster?: { clusterKind?: string | number; clusterName?: string };
}

type Obj = Record<string, unknown>;

/** Project Planton's default natsHelmChartVersion (options.default), which is also the server version. */
export const PLANTON_CHART_VERSION = "2.12.3";

/** Sets `value` at `path`, making the mappings on the way. */
function setAt(doc: Obj, path: readonly string[], value: unknown): void {
  let cur: Obj = doc;
  for (const seg of path.slice(0, -1)) {
    if (!isPlainObject(cur[seg])) cur[seg] = {};
    cur = cur[seg] as Obj;
  }
  cur[path[path.length - 1]!] = value;
}

/**
 * Rewrites Project Planton's fields into the native ones, in place, on a camelized
 * and type-checked manifest. A field set both ways with different values is a conflict.
 */
export function resolvePlanton(
  doc: Obj,
  trail: PathTrail,
  locate: (path: PathSegment[]) => SourcePosition | undefined,
  /** Written in Planton's first API (not the redesign, whose defaults its translation applied). */
  firstApi = true,
): { record: PlantonRecord; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const record: PlantonRecord = {};
  const spec = doc["spec"] as Obj;

  const put = (to: PathSegment[], value: unknown, from: PathSegment[], what = formatPath(from)) => {
    const existing = valueAt(doc, to);
    if (existing !== undefined && !isDeepStrictEqual(existing, value)) {
      diagnostics.push({
        code: "conflict",
        severity: "error",
        path: formatPath(from),
        message: `${what} contradicts ${formatPath(to)} (${JSON.stringify(existing)})`,
        hint: `Set it once: keep either ${formatPath(to)} or the Project Planton field ${formatPath(from)}.`,
        source: locate(from),
      });
      return;
    }
    setAt(doc, to as string[], value);
    trail.move(to, from);
  };
  const take = (key: string): unknown => {
    const v = spec[key];
    delete spec[key];
    return v;
  };

  const ns = spec["namespace"];
  if (isPlainObject(ns)) {
    if (ns["valueFrom"] !== undefined) {
      diagnostics.push({
        code: "unsupported",
        severity: "error",
        path: "spec.namespace.valueFrom",
        message: "namespace.valueFrom refers to another resource, which natskube cannot resolve when rendering",
        hint: "Write the namespace name: `namespace: messaging` (or `namespace: {value: messaging}`).",
        source: locate(["spec", "namespace", "valueFrom"]),
      });
    } else if (typeof ns["value"] === "string") {
      spec["namespace"] = ns["value"];
      trail.move(["spec", "namespace"], ["spec", "namespace", "value"]);
    } else {
      diagnostics.push({
        code: "required",
        severity: "error",
        path: "spec.namespace.value",
        message: "namespace.value is required",
        hint: "Write `namespace: messaging`.",
        source: locate(["spec", "namespace"]),
      });
    }
  }

  const sc = take("serverContainer");
  if (isPlainObject(sc)) {
    if (sc["replicas"] !== undefined) put(["spec", "replicas"], sc["replicas"], ["spec", "serverContainer", "replicas"]);
    if (sc["resources"] !== undefined) put(["spec", "resources"], sc["resources"], ["spec", "serverContainer", "resources"]);
    if (sc["diskSize"] !== undefined)
      put(["spec", "jetstream", "persistence", "size"], sc["diskSize"], ["spec", "serverContainer", "diskSize"]);
  }
  const disableJs = take("disableJetStream");
  if (typeof disableJs === "boolean") put(["spec", "jetstream", "enabled"], !disableJs, ["spec", "disableJetStream"]);

  const auth = spec["auth"];
  const schemeGiven = isPlainObject(auth) && auth["scheme"] !== undefined;
  if (isPlainObject(auth) && auth["scheme"] !== undefined) {
    const scheme = auth["scheme"];
    delete auth["scheme"];
    put(["spec", "auth", "mode"], scheme === "basic_auth" ? "BASIC" : "TOKEN", ["spec", "auth", "scheme"]);
  }
  const tlsEnabled = take("tlsEnabled");
  if (typeof tlsEnabled === "boolean") put(["spec", "tls", "enabled"], tlsEnabled, ["spec", "tlsEnabled"]);

  const ingress = take("ingress");
  if (isPlainObject(ingress) && ingress["enabled"] === true) {
    put(["spec", "externalAccess", "type"], "LOADBALANCER", ["spec", "ingress", "enabled"], "spec.ingress (a LoadBalancer)");
    if (ingress["hostname"] !== undefined)
      put(["spec", "externalAccess", "hostname"], ingress["hostname"], ["spec", "ingress", "hostname"]);
  }
  const disableBox = take("disableNatsBox");
  if (typeof disableBox === "boolean") put(["spec", "natsBox", "enabled"], !disableBox, ["spec", "disableNatsBox"]);

  const nack = take("nackController");
  if (isPlainObject(nack)) {
    const from = (k: string): PathSegment[] => ["spec", "nackController", k];
    if (nack["enabled"] !== undefined) put(["spec", "nack", "enabled"], nack["enabled"], from("enabled"));
    if (nack["enableControlLoop"] !== undefined) put(["spec", "nack", "controlLoop"], nack["enableControlLoop"], from("enableControlLoop"));
    if (typeof nack["appVersion"] === "string")
      put(["spec", "nack", "image", "tag"], nack["appVersion"].replace(/^v/, ""), from("appVersion"));
    if (typeof nack["helmChartVersion"] === "string") record.nackHelmChartVersion = nack["helmChartVersion"];
  }

  const chart = take("natsHelmChartVersion");
  if (typeof chart === "string") {
    record.natsHelmChartVersion = chart;
    // Since chart 2.12 the chart version is the server version, so it selects the image.
    const m = /^v?(2\.(\d+)\.\d+)$/.exec(chart);
    if (m && Number(m[2]) >= 12 && valueAt(doc, ["spec", "image", "tag"]) === undefined)
      put(["spec", "image", "tag"], `${m[1]}-alpine`, ["spec", "natsHelmChartVersion"]);
  }
  const target = take("targetCluster");
  if (isPlainObject(target)) record.targetCluster = target as PlantonRecord["targetCluster"];

  // Written in Planton's dialect: Planton's own defaults apply where natskube's differ and are no less safe.
  const dialect =
    firstApi && (doc["apiVersion"] !== "kubernetes.project-planton.org/v1" || schemeGiven || [sc, disableJs, tlsEnabled, ingress, disableBox, nack, chart, target].some((v) => v !== undefined));
  if (dialect) {
    record.dialect = true;
    // Planton's options.default for natsHelmChartVersion; the chart version is the server version.
    if (chart === undefined && valueAt(doc, ["spec", "image", "tag"]) === undefined) {
      setAt(doc, ["spec", "image", "tag"], `${PLANTON_CHART_VERSION}-alpine`);
      record.natsHelmChartVersion = PLANTON_CHART_VERSION;
    }
    // Planton keeps the no-auth user's password in its own Secret, `<name>-no-auth-user`, key password.
    const nau = isPlainObject(auth) ? auth["noAuthUser"] : undefined;
    if (isPlainObject(nau) && nau["secretName"] === undefined && nau["passwordKey"] === undefined) {
      const name = isPlainObject(doc["metadata"]) ? doc["metadata"]["name"] : undefined;
      if (typeof name === "string") {
        nau["secretName"] = `${name}-no-auth-user`;
        nau["passwordKey"] = "password";
      }
    }
  }

  return { record, diagnostics };
}

import { parseDocument } from "yaml";
import type { PathSegment } from "../diagnostics/diagnostic.js";
import type { RuleFinding } from "./finding.js";
import { isPlainObject, valueAt } from "./paths.js";

type Obj = Record<string, unknown>;
type Put = (to: PathSegment[], value: unknown, from?: PathSegment[]) => void;

/** Chart values with a natskube meaning: the chart's path, and the natskube field it sets. */
const MAPPED: { chart: string[]; to: PathSegment[] }[] = [
  { chart: ["config", "cluster", "replicas"], to: ["replicas"] },
  { chart: ["config", "jetstream", "enabled"], to: ["jetstream", "enabled"] },
  { chart: ["config", "jetstream", "fileStore", "pvc", "size"], to: ["jetstream", "persistence", "size"] },
  { chart: ["config", "jetstream", "fileStore", "pvc", "storageClassName"], to: ["jetstream", "persistence", "storageClass"] },
  { chart: ["config", "jetstream", "fileStore", "maxSize"], to: ["jetstream", "persistence", "maxFileStore"] },
  { chart: ["config", "jetstream", "memoryStore", "maxSize"], to: ["jetstream", "persistence", "maxMemoryStore"] },
  { chart: ["config", "merge"], to: ["configMerge"] },
  { chart: ["container", "image", "repository"], to: ["image", "repository"] },
  { chart: ["container", "image", "tag"], to: ["image", "tag"] },
  { chart: ["container", "resources"], to: ["resources"] },
  { chart: ["natsBox", "enabled"], to: ["natsBox", "enabled"] },
  { chart: ["global", "image", "registry"], to: ["imageRegistry"] },
  { chart: ["global", "image", "pullSecretNames"], to: ["imagePullSecrets"] },
];

/** What to use instead of chart values natskube has no field for, by top-level key. */
const INSTEAD: Record<string, string> = {
  podTemplate: "patch the rendered StatefulSet with kustomize (render --out DIR writes a kustomization; docs/kustomize.md)",
  container: "patch the rendered StatefulSet with kustomize (docs/kustomize.md)",
  statefulSet: "patch the rendered StatefulSet with kustomize (docs/kustomize.md)",
  service: "spec.service (type, annotations, nodePort), or a kustomize patch",
  natsBox: "spec.natsBox, or a kustomize patch of the rendered Deployment",
  promExporter: "spec.monitoring",
  config: "spec.configMerge for nats.conf keys natskube has no field for",
  reloader: "spec.reloader",
  fullnameOverride: "nothing: Planton re-pins fullnameOverride to metadata.name after helmValues, as natskube names every object",
};

/** Every leaf path of a values tree (a list is a leaf, as Helm replaces lists whole). */
function leaves(v: unknown, at: string[] = []): string[][] {
  if (!isPlainObject(v) || Object.keys(v).length === 0) return at.length > 0 ? [at] : [];
  return Object.entries(v).flatMap(([k, x]) => leaves(x, [...at, k]));
}

const startsWith = (path: string[], prefix: string[]) => prefix.every((p, i) => path[i] === p);

/**
 * The redesign's `helmValues`, a YAML document Planton deep-merges over the chart values its typed fields
 * produce (Helm -f semantics: it wins). Values with a natskube meaning set that field (and win over the typed
 * field, as in Planton); every other value is an `unsupported` finding at helmValues naming the chart path and
 * what to use instead. Never silently dropped.
 */
export function translateHelmValues(text: string, put: Put, findings: RuleFinding[]): void {
  const at: PathSegment[] = ["spec", "helmValues"];
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    findings.push({
      code: "yaml-syntax",
      path: at,
      message: `helmValues is not a YAML document (Planton fails the deploy: "failed to parse helm_values"): ${doc.errors[0]!.message.split("\n")[0]}`,
      hint: "Write helmValues as a YAML mapping of chart values, or remove it.",
    });
    return;
  }
  const values = doc.toJS() as unknown;
  if (values === null || values === undefined) return;
  if (!isPlainObject(values)) {
    findings.push({ code: "type", path: at, message: "helmValues must hold a YAML mapping of chart values", hint: "For example: config: {merge: {max_payload: 4194304}}" });
    return;
  }
  const pod = podTemplateMetadata(values["podTemplate"]);
  for (const [kind, to] of [["annotations", "podAnnotations"], ["labels", "podLabels"]] as const)
    if (Object.keys(pod[kind]).length > 0) put([to], pod[kind], at);
  const left: string[][] = [];
  for (const path of leaves(values))
    if (!MAPPED.some((m) => startsWith(path, m.chart)) && !(path[0] === "podTemplate" && pod.understood.some((u) => startsWith(path, u)))) left.push(path);
  for (const m of MAPPED) {
    const v = valueAt(values, m.chart);
    if (v !== undefined) put(m.to, v, at);
  }
  // One finding, at helmValues, naming each chart subtree natskube cannot honour (podTemplate.patch, not each list item).
  const shown = [...new Set(left.map((path) => path.slice(0, 2).join(".")))];
  if (shown.length === 0) return;
  const tops = [...new Set(left.map((path) => path[0]!))];
  findings.push({
    code: "unsupported",
    path: at,
    message: `helmValues ${shown.join(", ")} (chart value${shown.length > 1 ? "s" : ""} without a natskube field; natskube renders the objects itself): natskube does not support it yet`,
    hint: tops.map((t) => `${t}: use ${INSTEAD[t] ?? "natskube's own fields (docs/reference.md) or a kustomize patch of the rendered objects (docs/kustomize.md)"}.`).join(" "),
  });
}

/**
 * The pod template's labels and annotations, from the chart's `podTemplate.merge.metadata` and from
 * `podTemplate.patch` operations that add or replace them (JSON Patch, as the chart applies it); the
 * value paths it understood, so only the rest is reported.
 */
function podTemplateMetadata(v: unknown): { annotations: Record<string, string>; labels: Record<string, string>; understood: string[][] } {
  const out = { annotations: {} as Record<string, string>, labels: {} as Record<string, string>, understood: [] as string[][] };
  if (!isPlainObject(v)) return out;
  const meta = isPlainObject(v["merge"]) && isPlainObject(v["merge"]["metadata"]) ? v["merge"]["metadata"] : undefined;
  for (const kind of ["annotations", "labels"] as const) {
    const m = meta?.[kind];
    if (isPlainObject(m) && Object.values(m).every((x) => typeof x === "string")) {
      Object.assign(out[kind], m);
      out.understood.push(["podTemplate", "merge", "metadata", kind]);
    }
  }
  const ops = v["patch"];
  if (Array.isArray(ops)) {
    const taken = ops.map((op) => {
      if (!isPlainObject(op) || (op["op"] !== "add" && op["op"] !== "replace") || typeof op["path"] !== "string") return false;
      const m = /^\/metadata\/(annotations|labels)(?:\/(.+))?$/.exec(op["path"]);
      if (!m) return false;
      const kind = m[1] as "annotations" | "labels";
      const value = op["value"];
      if (m[2] !== undefined && typeof value === "string") out[kind][m[2].replace(/~1/g, "/").replace(/~0/g, "~")] = value;
      else if (m[2] === undefined && isPlainObject(value) && Object.values(value).every((x) => typeof x === "string")) Object.assign(out[kind], value);
      else return false;
      return true;
    });
    if (taken.every(Boolean)) out.understood.push(["podTemplate", "patch"]);
  }
  return out;
}

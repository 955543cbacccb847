import { buildConf } from "../conf/index.js";
import type { ConfBlock } from "../conf/value.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { loadDocuments } from "../load/load.js";
import type { RenderedDocument } from "../pipeline.js";
import type { KubeObject } from "../render/object.js";
import { ConfParseError, parseConf, withoutUndefined } from "./conf-parse.js";
import { isPlainObject } from "./diff.js";
import { objectKey } from "./types.js";

export const CONF_KEY = "nats.conf";

/** One side of a plan: the objects, and the nats.conf of each ConfigMap that carries one, as data. */
export interface PlanSide {
  /** The file it came from, for messages and for `natskube render FILE` in procedures. */
  file: string;
  objects: KubeObject[];
  confs: Map<string, ConfBlock>;
  notes: string[];
}

export const keyOf = (o: KubeObject): string => objectKey({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });

/** From manifests: the conf is taken as built, before serialization. */
export function sideFromRendered(file: string, rendered: readonly RenderedDocument[]): PlanSide {
  const objects = rendered.flatMap((r) => r.objects);
  const confs = new Map<string, ConfBlock>();
  for (const r of rendered) {
    const key = objectKey({ kind: "ConfigMap", namespace: r.model.namespace, name: r.model.names.config });
    confs.set(key, withoutUndefined(buildConf(r.model)) as ConfBlock);
  }
  return { file, objects, confs, notes: [] };
}

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "StorageClass",
  "PersistentVolume",
  "PriorityClass",
  "IngressClass",
  "ClusterIssuer",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
]);

/**
 * From a previous render: nats.conf text is parsed back into data. Objects without a namespace
 * (`helm template` output, applied with `-n`) are taken to be in `defaultNamespace`, when given.
 */
export function sideFromObjects(file: string, input: readonly KubeObject[], defaultNamespace?: string): PlanSide {
  const confs = new Map<string, ConfBlock>();
  const notes: string[] = [];
  const missing = input.filter((o) => o.metadata.namespace === undefined && !CLUSTER_SCOPED.has(o.kind));
  const objects =
    defaultNamespace === undefined || missing.length === 0
      ? [...input]
      : input.map((o) => (missing.includes(o) ? { ...o, metadata: { ...o.metadata, namespace: defaultNamespace } } : o));
  if (defaultNamespace !== undefined && missing.length > 0)
    notes.push(`${file}: ${missing.length} objects have no metadata.namespace; taken to be in ${defaultNamespace}, NEW's namespace`);
  for (const o of objects) {
    const data = o.kind === "ConfigMap" ? (o as { data?: Record<string, unknown> }).data : undefined;
    const text = data?.[CONF_KEY];
    if (typeof text !== "string") continue;
    try {
      confs.set(keyOf(o), parseConf(text));
    } catch (e) {
      if (!(e instanceof ConfParseError)) throw e;
      notes.push(`${file}: ConfigMap ${o.metadata.namespace ?? ""}/${o.metadata.name}: nats.conf ${e.message}; compared as text and treated as needing a restart`);
    }
  }
  return { file, objects, confs, notes };
}

/**
 * Kubernetes objects from a YAML stream or a JSON `List` (what `natskube render` prints).
 * Every document must have apiVersion, kind and metadata.name; problems are collected, not thrown.
 */
export function loadRenderedObjects(text: string, file: string): { objects: KubeObject[]; diagnostics: Diagnostic[] } {
  const loaded = loadDocuments(text, file);
  const diagnostics = [...loaded.diagnostics];
  const objects: KubeObject[] = [];
  for (const doc of loaded.documents) {
    const at = (path: (string | number)[]) => doc.positionOf(path) ?? { file, line: 1, col: 1 };
    const items: [unknown, (string | number)[]][] =
      isPlainObject(doc.value) && doc.value.kind === "List" && Array.isArray(doc.value.items)
        ? doc.value.items.map((v, i) => [v, ["items", i]])
        : [[doc.value, []]];
    for (const [value, base] of items) {
      if (!isPlainObject(value)) {
        diagnostics.push({ code: "not-a-mapping", severity: "error", path: "", message: "a document is not a Kubernetes object", source: at(base) });
        continue;
      }
      const meta = value.metadata;
      const missing = [
        typeof value.apiVersion === "string" ? undefined : "apiVersion",
        typeof value.kind === "string" ? undefined : "kind",
        isPlainObject(meta) && typeof meta.name === "string" ? undefined : "metadata.name",
      ].filter((m): m is string => m !== undefined);
      for (const m of missing)
        diagnostics.push({
          code: "required",
          severity: "error",
          path: m,
          message: `a Kubernetes object needs ${m}`,
          hint: "With --rendered, OLD is the output of `natskube render` (a YAML stream or a JSON List), not a KubernetesNats manifest.",
          source: at(base),
        });
      if (missing.length === 0) objects.push(value as unknown as KubeObject);
    }
  }
  if (loaded.documents.length === 0 && loaded.diagnostics.length === 0)
    diagnostics.push({ code: "not-a-mapping", severity: "error", path: "", message: "the file holds no document", source: { file, line: 1, col: 1 } });
  return { objects, diagnostics };
}

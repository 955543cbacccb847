// The KRM functions specification's wire format (kubernetes-sigs/kustomize, cmd/config/docs/api-conventions/
// functions-spec.md): a function reads one ResourceList on stdin and writes one on stdout.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { isPlainObject } from "../spec/paths.js";
import { loadDocuments } from "../load/load.js";
import { toYaml } from "../emit/yaml.js";

/** kustomize and kpt send v1; v1alpha1 is what older orchestrators send, with the same fields. */
export const RESOURCE_LIST_VERSIONS = ["config.kubernetes.io/v1", "config.kubernetes.io/v1alpha1"] as const;

export interface KrmResult {
  message: string;
  severity: "error" | "warning" | "info";
  resourceRef?: { apiVersion: string; kind: string; name: string; namespace?: string };
  field?: { path: string };
  file?: { path: string; index?: number };
  tags?: Record<string, string>;
}

export interface ResourceList {
  apiVersion: string;
  kind: "ResourceList";
  items: unknown[];
  functionConfig?: unknown;
  results?: KrmResult[];
}

export const STDIN = "<stdin>";

/** Reads the ResourceList; what is wrong with it is a `krm-input` (or yaml-syntax) diagnostic, never an exception. */
export function readResourceList(text: string): { list?: ResourceList; diagnostics: Diagnostic[] } {
  const loaded = loadDocuments(text, STDIN);
  if (loaded.diagnostics.some((d) => d.severity === "error")) return { diagnostics: loaded.diagnostics };
  const problem = (message: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [{ code: "krm-input", severity: "error", path: "", message, hint: "natskube krm is a KRM function: kustomize runs it with a ResourceList on stdin (see docs/gitops.md)." }],
  });
  if (loaded.documents.length !== 1) return problem(`expected one ResourceList document on stdin, got ${loaded.documents.length}`);
  const value = loaded.documents[0]!.value;
  if (!isPlainObject(value) || value["kind"] !== "ResourceList") return problem("stdin is not a ResourceList (kind: ResourceList)");
  const apiVersion = value["apiVersion"];
  if (typeof apiVersion !== "string" || !(RESOURCE_LIST_VERSIONS as readonly string[]).includes(apiVersion))
    return problem(`ResourceList apiVersion must be ${RESOURCE_LIST_VERSIONS.join(" or ")}, got ${JSON.stringify(apiVersion)}`);
  const items = value["items"] ?? [];
  if (!Array.isArray(items)) return problem("ResourceList items must be a list");
  return { list: { apiVersion, kind: "ResourceList", items, functionConfig: value["functionConfig"] }, diagnostics: [] };
}

/** The output list: the same wire format, with results only when there are some. */
export function writeResourceList(list: ResourceList): string {
  const { apiVersion, kind, items, results } = list;
  return toYaml({ apiVersion, kind, items, ...(results && results.length > 0 ? { results } : {}) });
}

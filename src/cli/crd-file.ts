// `render --crds FILE`: the NACK CRDs a user supplies (natskube does not bundle them), checked
// to be CustomResourceDefinitions of jetstream.nats.io before they go first into the output.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { loadDocuments } from "../load/load.js";
import { JETSTREAM_GROUP } from "../nack/crd-types.js";
import type { KubeObject } from "../render/object.js";
import { isPlainObject } from "../spec/paths.js";

export interface CrdFile {
  crds: KubeObject[];
  diagnostics: Diagnostic[];
}

/** Every document must be an apiextensions.k8s.io/v1 CustomResourceDefinition of group jetstream.nats.io. */
export function readCrdFile(text: string, file: string): CrdFile {
  const loaded = loadDocuments(text, file);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const crds: KubeObject[] = [];
  for (const doc of loaded.documents) {
    const v = doc.value;
    const n = doc.index + 1;
    const error = (code: Diagnostic["code"], path: string[], message: string, hint?: string) =>
      diagnostics.push({ code, severity: "error", path: path.join("."), message, ...(hint ? { hint } : {}), source: doc.positionOf(path) ?? { file, line: 1, col: 1 } });
    if (!isPlainObject(v)) {
      error("not-a-mapping", [], `--crds: document ${n} is not a Kubernetes object`);
      continue;
    }
    const meta = v["metadata"];
    const spec = v["spec"];
    const name = isPlainObject(meta) && typeof meta["name"] === "string" ? meta["name"] : undefined;
    if (v["kind"] !== "CustomResourceDefinition" || v["apiVersion"] !== "apiextensions.k8s.io/v1") {
      error("kind", ["kind"], `--crds: document ${n} is ${String(v["apiVersion"])} ${String(v["kind"])}, not an apiextensions.k8s.io/v1 CustomResourceDefinition`, "Pass the crds.yml of a NACK release, e.g. https://github.com/nats-io/nack/releases/download/v0.23.0/crds.yml.");
      continue;
    }
    const group = isPlainObject(spec) ? spec["group"] : undefined;
    if (group !== JETSTREAM_GROUP) {
      error("enum", ["spec", "group"], `--crds: CustomResourceDefinition ${name ?? `(document ${n})`} ${group === undefined ? "has no spec.group" : `is of group ${typeof group === "string" ? group : JSON.stringify(group)}`}, not ${JETSTREAM_GROUP}`, "Only the NACK CRDs belong in this file.");
      continue;
    }
    if (!name) {
      error("required", ["metadata", "name"], `--crds: CustomResourceDefinition in document ${n} has no metadata.name`);
      continue;
    }
    crds.push(v as unknown as KubeObject);
  }
  if (loaded.documents.length === 0 && loaded.diagnostics.length === 0)
    diagnostics.push({ code: "not-a-mapping", severity: "error", path: "", message: "--crds: the file holds no document", source: { file, line: 1, col: 1 } });
  return { crds, diagnostics };
}

/** Kinds the render uses that the supplied CRDs do not define (applying them would fail). */
export function missingKinds(crds: readonly KubeObject[], objects: readonly KubeObject[]): string[] {
  const defined = new Set(crds.map((c) => ((c["spec"] as { names?: { kind?: string } } | undefined)?.names?.kind ?? "")));
  const used = new Set(objects.filter((o) => o.apiVersion.startsWith(`${JETSTREAM_GROUP}/`)).map((o) => o.kind));
  return [...used].filter((k) => !defined.has(k)).sort();
}

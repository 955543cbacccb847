import { isDeepStrictEqual } from "node:util";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { stringify } from "yaml";
import type { ParsedDocument } from "../../src/check/document.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { ModelOptions } from "../../src/model/model.js";
import { parseText, renderParsed, type RenderedDocument } from "../../src/pipeline.js";

/** A spec every recommended lint rule passes: the base of the lint tests' findings (add one risk at a time). */
export const LINT_CLEAN_SPEC = {
  replicas: 3,
  resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "2", memory: "8Gi" } },
  jetstream: { persistence: { mode: "FILE", size: "50Gi", storageClass: "fast-ssd" } },
  auth: { enabled: true },
  tls: { enabled: true, certManager: { issuerRef: { name: "ca", kind: "ClusterIssuer" } } },
  monitoring: { enabled: true },
  scheduling: { antiAffinity: "REQUIRED" },
} as const;

/** A minimal valid manifest, with `spec` merged over a base (for feature tests: defaults + delta). */
export function manifest(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: "kubernetes.project-planton.org/v1",
    kind: "KubernetesNats",
    metadata: { name: "nats", ...metadata },
    spec: { namespace: "nats", ...spec },
  });
}

export function diagnosticsOf(text: string, file = "test.yaml"): Diagnostic[] {
  return parseText(text, file).diagnostics;
}

/** The first document, parsed; throws with every diagnostic if it is invalid. */
export function parseValid(text: string, file = "test.yaml"): ParsedDocument {
  const result = parseText(text, file);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const first = result.parsed[0];
  if (errors.length > 0 || !first) throw new Error(`invalid manifest:\n${errors.map((d) => `${d.path}: ${d.message}`).join("\n")}`);
  return first;
}

/** Renders the first document; throws with every diagnostic if it is invalid. */
export function render(text: string, options: ModelOptions = {}, file = "test.yaml"): RenderedDocument {
  const rendered = renderParsed(parseValid(text, file), options);
  if (!rendered) throw new Error("not rendered");
  return rendered;
}

export function findObject(r: RenderedDocument, kind: string, name?: string) {
  const o = r.objects.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!o) throw new Error(`no ${kind}${name ? ` ${name}` : ""} in ${r.objects.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`);
  return o;
}

/** Every pod template the render holds (StatefulSet, Deployments, Jobs, ...), by kind/name. */
export function podSpecsOf(r: RenderedDocument): { key: string; spec: IPodSpec }[] {
  return r.objects.flatMap((o) => {
    const spec = (o as unknown as { spec?: { template?: { spec?: IPodSpec } } }).spec?.template?.spec;
    return spec ? [{ key: `${o.kind}/${o.metadata.name}`, spec }] : [];
  });
}

export function natsConfOf(r: RenderedDocument): string {
  const cm = findObject(r, "ConfigMap", r.model.names.config) as unknown as { data: Record<string, string> };
  const conf = cm.data["nats.conf"];
  if (conf === undefined) throw new Error("no nats.conf");
  return conf;
}

type Named = { kind: string; metadata: { name: string } };
export const objectKey = (o: Named) => `${o.kind}/${o.metadata.name}`;

/** Objects added, removed and changed between two renders, by kind/name (feature tests: defaults + delta). */
export function delta(base: readonly Named[], feature: readonly Named[]) {
  const a = new Map(base.map((o) => [objectKey(o), o]));
  const b = new Map(feature.map((o) => [objectKey(o), o]));
  return {
    added: [...b.keys()].filter((k) => !a.has(k)),
    removed: [...a.keys()].filter((k) => !b.has(k)),
    changed: [...a.keys()].filter((k) => b.has(k) && !isDeepStrictEqual(a.get(k), b.get(k))),
  };
}

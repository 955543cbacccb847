import type { Diagnostic, PathSegment, SourcePosition } from "../diagnostics/diagnostic.js";
import { isPlainObject } from "./paths.js";

/**
 * Which field set a manifest is written in (PLANTON-REDESIGN.md section 0):
 * - `native`: natskube's own fields and Project Planton's first generation (project-planton.org/v1, openmcf.org/v1);
 * - `A`: kubernetes.planton.dev/v1 with the NACK-based fields, the same API minus targetCluster;
 * - `B`: the redesign, under kubernetes.planton.dev/v1 or v1alpha1.
 */
export type Generation = "native" | "A" | "B";

// Spec keys (camelized) only generation A has. namespace, createNamespace and auth exist in both.
const A_KEYS = ["serverContainer", "disableJetStream", "tlsEnabled", "ingress", "disableNatsBox", "nackController", "streams", "natsHelmChartVersion", "targetCluster"];
// Spec keys only B has. resources and scheduling are left out: natskube's own fields have those names, and
// generation A manifests loaded here may use them.
const B_KEYS = ["chartVersion", "cluster", "jetStream", "websocket", "mqtt", "leafnodes", "metrics", "natsBoxEnabled", "service", "images", "helmValues"];

type Obj = Record<string, unknown>;

/** Paths (camelized) of the fields that only one generation has. */
function markers(spec: Obj): { a: PathSegment[][]; b: PathSegment[][] } {
  const a: PathSegment[][] = A_KEYS.filter((k) => spec[k] !== undefined).map((k) => ["spec", k]);
  const b: PathSegment[][] = B_KEYS.filter((k) => spec[k] !== undefined).map((k) => ["spec", k]);
  const auth = spec["auth"];
  if (isPlainObject(auth)) {
    for (const k of ["enabled", "scheme"]) if (auth[k] !== undefined) a.push(["spec", "auth", k]);
    for (const k of ["users", "accounts"]) if (auth[k] !== undefined) b.push(["spec", "auth", k]);
    const nau = auth["noAuthUser"];
    if (isPlainObject(nau)) a.push(["spec", "auth", "noAuthUser"]);
    else if (nau !== undefined) b.push(["spec", "auth", "noAuthUser"]);
  }
  // B's tls is {secretName: {value}, verifyClients}; natskube's own tls has enabled and a string secretName.
  const tls = spec["tls"];
  if (isPlainObject(tls) && (tls["verifyClients"] !== undefined || isPlainObject(tls["secretName"]))) b.push(["spec", "tls"]);
  return { a, b };
}

/**
 * The generation of a camelized manifest, or the located errors of one that mixes A and B fields
 * (each B field is reported, naming the A fields, so the user sees which half to remove).
 * A planton.dev/v1 manifest with neither (only namespace and createNamespace) is B: under A, Planton's
 * module crashes on it (PLANTON-NOTES B5), so only the B reading was ever deployed.
 */
export function plantonGeneration(
  doc: Obj,
  display: (path: PathSegment[]) => string,
  locate: (path: PathSegment[]) => SourcePosition | undefined,
): { generation: Generation; diagnostics: Diagnostic[] } {
  const apiVersion = doc["apiVersion"];
  if (apiVersion !== "kubernetes.planton.dev/v1" && apiVersion !== "kubernetes.planton.dev/v1alpha1") return { generation: "native", diagnostics: [] };
  const spec = doc["spec"];
  if (!isPlainObject(spec)) return { generation: "B", diagnostics: [] };
  const { a, b } = markers(spec);
  // v1alpha1 is the redesign only: A's fields there are unknown fields of B.
  if (apiVersion === "kubernetes.planton.dev/v1alpha1") return { generation: "B", diagnostics: [] };
  if (a.length === 0) return { generation: "B", diagnostics: [] };
  if (b.length === 0) return { generation: "A", diagnostics: [] };
  const aNames = a.map((p) => display(p)).join(", ");
  const diagnostics = b.map(
    (p): Diagnostic => ({
      code: "cross-field",
      severity: "error",
      path: display(p),
      message: `${display(p)} belongs to Project Planton's redesigned KubernetesNats, but this manifest also has generation A fields (${aNames}); a kubernetes.planton.dev/v1 manifest is written in one of the two`,
      hint: "Keep one shape: the redesign (cluster, jetStream, auth.users, tls.secretName, ...) or generation A (serverContainer, disableJetStream, auth.scheme, tlsEnabled, ...). docs/planton.md maps both.",
      source: locate(p),
    }),
  );
  return { generation: "A", diagnostics };
}

/** Generation A dropped targetCluster (PLANTON-REDESIGN.md section 1): Planton's loader rejects it as unknown. */
export function generationAFindings(spec: Obj, display: (path: PathSegment[]) => string, locate: (path: PathSegment[]) => SourcePosition | undefined): Diagnostic[] {
  if (spec["targetCluster"] === undefined) return [];
  const p: PathSegment[] = ["spec", "targetCluster"];
  return [
    {
      code: "unknown-field",
      severity: "error",
      path: display(p),
      message: `unknown field ${JSON.stringify(display(p).split(".").pop())}: kubernetes.planton.dev/v1 has no targetCluster (Project Planton removed it)`,
      hint: "Remove it; natskube renders for whatever cluster you apply to. kubernetes.project-planton.org/v1 still accepts it.",
      source: locate(p),
    },
  ];
}

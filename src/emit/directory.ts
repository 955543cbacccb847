import type { KubeObject } from "../render/object.js";
import { toYaml } from "./yaml.js";

const kebab = (kind: string) => kind.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/** One file per object, numbered in apply order, plus a kustomization.yaml listing them. */
export function directoryFiles(objects: readonly KubeObject[]): Map<string, string> {
  const files = new Map<string, string>();
  const width = String(objects.length).length;
  const names: string[] = [];
  objects.forEach((o, i) => {
    const file = `${String(i + 1).padStart(Math.max(2, width), "0")}-${kebab(o.kind)}-${o.metadata.name}.yaml`;
    names.push(file);
    files.set(file, toYaml(o));
  });
  files.set("kustomization.yaml", toYaml({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources: names }));
  return files;
}

import { stringify } from "yaml";
import type { KubeObject } from "../render/object.js";
import { fastYaml } from "./fast-yaml.js";

/** No line folding, no anchors: the same objects always give the same bytes. */
export function toYaml(value: unknown): string {
  return fastYaml(value) ?? stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

export function yamlDocument(object: KubeObject): string {
  return `---\n${toYaml(object)}`;
}

export function yamlStream(objects: readonly KubeObject[]): string {
  return objects.map(yamlDocument).join("");
}

export function jsonList(objects: readonly KubeObject[]): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, 2) + "\n";
}

import { stringify } from "yaml";
import type { KubeObject } from "../render/object.js";

/** No line folding, no anchors: the same objects always give the same bytes. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

export function yamlStream(objects: readonly KubeObject[]): string {
  return objects.map((o) => `---\n${toYaml(o)}`).join("");
}

export function jsonList(objects: readonly KubeObject[]): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, 2) + "\n";
}

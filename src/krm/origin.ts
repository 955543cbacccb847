import { isDeepStrictEqual } from "node:util";
import { parse } from "yaml";
import { toYaml } from "../emit/yaml.js";
import { loadDocuments, type LoadedDocument } from "../load/load.js";
import { isKrmAnnotation } from "../model/model.js";
import { isPlainObject } from "../spec/paths.js";

/** The document natskube parses for a functionConfig, and whether its positions are the user's file's. */
export interface ConfigSource {
  document: LoadedDocument;
  text: string;
  /** The file the resource came from, when the orchestrator said (relative to the function's working directory). */
  file?: string;
  /** True when `document` is the user's own file: its line:column positions can be shown. */
  located: boolean;
}

/**
 * Where the functionConfig was written. kustomize says so only with `buildMetadata: [originAnnotations]`
 * (config.kubernetes.io/origin, a YAML mapping with `path`); kpt uses the path annotations.
 */
export function originPath(config: Record<string, unknown>): string | undefined {
  const metadata = config["metadata"];
  const annotations = isPlainObject(metadata) && isPlainObject(metadata["annotations"]) ? metadata["annotations"] : {};
  const origin = annotations["config.kubernetes.io/origin"];
  if (typeof origin === "string") {
    try {
      const parsed: unknown = parse(origin);
      // An origin with `repo` is a file of a remote base: its path means nothing in the working directory.
      if (isPlainObject(parsed) && typeof parsed["path"] === "string" && parsed["repo"] === undefined) return parsed["path"];
    } catch {
      // Not YAML: no origin, as if the annotation were absent.
    }
  }
  for (const key of ["internal.config.kubernetes.io/path", "config.kubernetes.io/path"]) {
    const path = annotations[key];
    if (typeof path === "string" && path !== "") return path;
  }
  return undefined;
}

/**
 * The functionConfig as a document with positions. The orchestrator re-serializes the resource (comments and
 * layout gone), so line numbers in stdin mean nothing to the user; when the origin file is readable and holds a
 * document equal to the functionConfig (KRM annotations aside), that document is parsed instead, so that
 * diagnostics point into the user's file. Otherwise the functionConfig itself, without positions.
 */
export function configSource(config: Record<string, unknown>, readFile: (path: string) => string | undefined): ConfigSource {
  const file = originPath(config);
  if (file !== undefined) {
    const text = readFile(file);
    if (text !== undefined) {
      const wanted = withoutKrmAnnotations(config);
      const document = loadDocuments(text, file).documents.find((d) => isDeepStrictEqual(withoutKrmAnnotations(d.value), wanted));
      if (document) return { document, text, file, located: true };
    }
  }
  const text = toYaml(config);
  const document = loadDocuments(text, file ?? "functionConfig").documents[0]!;
  return { document, text, ...(file !== undefined ? { file } : {}), located: false };
}

/** The resource without the KRM annotations: orchestrators add some (local-config, origin) between file and stdin. */
function withoutKrmAnnotations(value: unknown): unknown {
  if (!isPlainObject(value) || !isPlainObject(value["metadata"])) return value;
  const metadata = value["metadata"];
  const annotations = isPlainObject(metadata["annotations"])
    ? Object.fromEntries(Object.entries(metadata["annotations"]).filter(([k]) => !isKrmAnnotation(k)))
    : undefined;
  const { annotations: _, ...rest } = metadata;
  return { ...value, metadata: annotations && Object.keys(annotations).length > 0 ? { ...rest, annotations } : rest };
}

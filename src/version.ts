import { readFileSync } from "node:fs";

// The bundled CLI (scripts/bundle.mjs) replaces this name with the version string: a bundle has no
// package.json at a fixed relative URL, and reading one costs a file read on every `--version`.
declare const NATSKUBE_BUNDLED_VERSION: string | undefined;

export function natskubeVersion(): string {
  if (typeof NATSKUBE_BUNDLED_VERSION === "string") return NATSKUBE_BUNDLED_VERSION;
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

import { join } from "node:path";
import { fileURLToPath } from "node:url";

// The bundled CLI (scripts/bundle.mjs) replaces this name with the version string; its presence is
// also how code knows it runs from the bundle, which has no import.meta.
declare const NATSKUBE_BUNDLED_VERSION: string | undefined;

/** The version inlined by the bundle, or undefined when running the tsc output. */
export const bundledVersion: string | undefined = typeof NATSKUBE_BUNDLED_VERSION === "string" ? NATSKUBE_BUNDLED_VERSION : undefined;

/**
 * The folder natskube is installed in (package.json, schema/, examples/). The tsc output lives in
 * dist/src/, the bundle in dist/cli/ (its __dirname, given by bin/natskube).
 */
export function packageRoot(): string {
  return bundledVersion !== undefined ? join(__dirname, "..", "..") : fileURLToPath(new URL("../..", import.meta.url));
}

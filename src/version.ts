import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundledVersion, packageRoot } from "./package-root.js";

// The bundle inlines the version: reading package.json would cost a file read on every `--version`.
export function natskubeVersion(): string {
  if (bundledVersion !== undefined) return bundledVersion;
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

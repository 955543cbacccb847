import { createRequire } from "node:module";
import { join } from "node:path";
import { packageRoot } from "./package-root.js";

// node:crypto, loaded on first use rather than at start-up: loading it costs 2-4 ms of every `natskube`
// process (docs/performance.md), and only --generate-secrets and SARIF fingerprints need it.
type NodeCrypto = typeof import("node:crypto");

let loaded: NodeCrypto | undefined;

/** node:crypto; `process.getBuiltinModule` from Node 20.16, a require on older 20.x (the bundle has no import.meta). */
export function nodeCrypto(): NodeCrypto {
  loaded ??= process.getBuiltinModule?.("node:crypto") ?? (createRequire(join(packageRoot(), "package.json"))("node:crypto") as NodeCrypto);
  return loaded;
}

// The real tools the tests run, as scripts/ensure-tools.sh installs them (versions pinned in
// scripts/tools.env). A missing tool is an error that says how to get it, never a skip.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isExecutable } from "../../src/verify/local-cluster.js";
import { NATS_IMAGE } from "../../src/spec/schema/resource.js";
import { ROOT } from "./cli.js";

export const TOOLS_DIR = process.env["NATSKUBE_TOOLS_DIR"] ?? join(ROOT, ".tools");

function pinned(): Record<string, string> {
  const text = readFileSync(join(ROOT, "scripts", "tools.env"), "utf8");
  return Object.fromEntries([...text.matchAll(/^([A-Z_]+)="([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The pinned versions of scripts/tools.env, e.g. `{ NATS_SERVER_VERSIONS: "2.11.17 2.14.2 2.15.3", ... }`. */
export const PINNED = pinned();

/** The nats-server matrix, oldest first. */
export const NATS_SERVER_VERSIONS = (PINNED["NATS_SERVER_VERSIONS"] ?? "").split(/\s+/).filter(Boolean);


function missing(what: string, path: string): Error {
  return new Error(`${what} is missing (looked for ${path}): run bash scripts/ensure-tools.sh, which builds the pinned tools into ${TOOLS_DIR}`);
}

/** .tools/bin/NAME: nats, prometheus-nats-exporter, prometheus, promtool, kustomize. */
export function toolPath(name: string): string {
  const path = join(TOOLS_DIR, "bin", name);
  if (!isExecutable(path)) throw missing(name, path);
  return path;
}

/** The nats-server of one version of the matrix. */
export function natsServerOf(version: string): string {
  const path = join(TOOLS_DIR, "nats-server", version, "nats-server");
  if (!isExecutable(path)) throw missing(`nats-server ${version}`, path);
  return path;
}

/** The NACK jetstream-controller natskube renders (NACK_CONTROLLER_VERSION), as ensure-tools.sh builds it. */
export function nackControllerBin(version = PINNED["NACK_CONTROLLER_VERSION"] ?? ""): string {
  const path = join(TOOLS_DIR, "nack", version, "jetstream-controller");
  if (!isExecutable(path)) throw missing(`jetstream-controller ${version}`, path);
  return path;
}

/**
 * The nats-server this run of the integration tier targets: $NATS_SERVER_BIN (scripts/test.sh sets
 * it once per version of the matrix), else the default image's version from .tools.
 */
export function natsServerBin(): string {
  const fromEnv = process.env["NATS_SERVER_BIN"];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw missing("nats-server", fromEnv);
    return resolve(fromEnv);
  }
  return natsServerOf(NATS_IMAGE.tag.replace(/-.*$/, ""));
}

/** A binary of the pinned Kubernetes release (.tools/kube/k8s-X.Y.Z/NAME): kubectl, kube-apiserver, ... */
export function kubeToolPath(name: string): string {
  const path = join(TOOLS_DIR, "kube", `k8s-${PINNED["KUBERNETES_VERSION"]}`, name);
  if (!isExecutable(path)) throw missing(`${name} ${PINNED["KUBERNETES_VERSION"]}`, path);
  return path;
}

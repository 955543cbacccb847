/**
 * How jetstream-controller (NACK) releases differ in what natskube renders for them. Go's flag
 * package exits with status 2 on a flag it does not define ("flag provided but not defined"), so a
 * flag an older controller lacks makes its pod crash-loop.
 *
 * Each entry is the first release whose cmd/jetstream-controller/main.go defines the flag, read in
 * NACK's source at its tags (v0.21.1 defines namespace, creds, nkey, tlscert, tlskey, tlsca,
 * tlsfirst, s, crd-connect, cleanup-period, read-only, cache-dir, control-loop, sync-interval;
 * v0.22.0 adds health-probe-bind-address). Flags every release since 0.21 defines are not listed.
 * The kube tier runs the binary of the default tag with the rendered arguments
 * (test/kube/nack.test.ts); older binaries cannot be built here (the Go module proxy refuses
 * github.com/nats-io/nack at v0.21.1 and v0.22.0).
 */
import { compareVersions } from "../nats/server-versions.js";

export const CONTROLLER_FLAGS = {
  /** The health endpoint of control-loop mode, which the rendered liveness and readiness probes call. */
  "health-probe-bind-address": "0.22.0",
} as const;
export type ControllerFlag = keyof typeof CONTROLLER_FLAGS;

/** Whether a jetstream-controller image tag defines `flag`; a tag that is not a version (`latest`) counts as newest. */
export function controllerHasFlag(tag: string, flag: ControllerFlag): boolean {
  return compareVersions(tag, CONTROLLER_FLAGS[flag]) >= 0;
}

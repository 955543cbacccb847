import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { Model } from "../../model/model.js";

/** The server certificate Secret, mounted where nats.conf's tls blocks point. */
export function tlsVolumes(m: Model): { volumes: IVolume[]; mounts: IVolumeMount[] } {
  if (!m.spec.tls.enabled) return { volumes: [], mounts: [] };
  return {
    volumes: [{ name: "nats-tls", secret: { secretName: m.names.tlsSecret } }],
    mounts: [{ name: "nats-tls", mountPath: m.topology.paths.certDir, readOnly: true }],
  };
}

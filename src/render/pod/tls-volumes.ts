import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { CERT_FILES } from "../../conf/tls.js";
import type { Model } from "../../model/model.js";

export const TLS_VOLUME = "nats-tls";

/** A certificate and its key, projected under their own names (fresh objects: renders never share a mutable item). */
export const keyPairItems = () => [CERT_FILES.cert, CERT_FILES.key].map((k) => ({ key: k, path: k }));

/**
 * The server certificate Secret, mounted where nats.conf's tls blocks point. A Secret you manage is
 * projected key by key, so its CA may live under any key and a missing key stops the pod at mount
 * time with a clear event instead of nats-server failing on a missing file.
 */
export function tlsVolumes(m: Model): { volumes: IVolume[]; mounts: IVolumeMount[] } {
  const tls = m.tls;
  if (!tls) return { volumes: [], mounts: [] };
  const items =
    tls.source === "secretName"
      ? [...keyPairItems(), ...(tls.caKey ? [{ key: tls.caKey, path: CERT_FILES.ca }] : [])]
      : undefined;
  return {
    volumes: [{ name: TLS_VOLUME, secret: { secretName: m.names.tlsSecret, ...(items ? { items } : {}) } }],
    mounts: [{ name: TLS_VOLUME, mountPath: m.topology.paths.certDir, readOnly: true }],
  };
}

import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { JS_VOLUME, type Model } from "../../model/model.js";
import { tlsVolumes } from "./tls-volumes.js";

export interface PodVolumes {
  volumes: IVolume[];
  /** Mounts of the nats container. */
  nats: IVolumeMount[];
  /** Mounts of the reloader: the pid and every file it watches, never the data volume. */
  reloader: IVolumeMount[];
}

export function podVolumes(m: Model): PodVolumes {
  const p = m.topology.paths;
  const tls = tlsVolumes(m);
  const config = { name: "config", mountPath: p.configDir };
  const pid = { name: "pid", mountPath: p.pidDir };
  const nats: IVolumeMount[] = [config, pid];
  if (m.jetstream.enabled) nats.push({ name: JS_VOLUME, mountPath: p.dataDir });
  nats.push(...tls.mounts);
  return {
    volumes: [
      { name: "config", configMap: { name: m.names.config } },
      { name: "pid", emptyDir: {} },
      // FILE mode gets its volume from the StatefulSet's claim template; MEMORY mode still needs a writable store_dir.
      ...(m.jetstream.enabled && m.jetstream.mode === "MEMORY" ? [{ name: JS_VOLUME, emptyDir: {} }] : []),
      ...tls.volumes,
    ],
    nats,
    reloader: [pid, config, ...tls.mounts],
  };
}

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
  const volumes: IVolume[] = [{ name: "config", configMap: { name: m.names.config } }, { name: "pid", emptyDir: {} }];
  if (m.jetstream.enabled) nats.push({ name: JS_VOLUME, mountPath: p.dataDir });
  // FILE mode gets this volume from the claim template. MEMORY mode still writes JetStream metadata to
  // store_dir (conf/jetstream.ts always sets it); the server's own fallback, /tmp/nats, is on the read-only
  // root filesystem and the server exits at start (nats-io/k8s#896).
  if (m.jetstream.enabled && m.jetstream.mode === "MEMORY") volumes.push({ name: JS_VOLUME, emptyDir: {} });
  nats.push(...tls.mounts);
  return { volumes: [...volumes, ...tls.volumes], nats, reloader: [pid, config, ...tls.mounts] };
}

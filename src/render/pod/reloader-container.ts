import type { IContainer } from "kubernetes-models/v1/Container";
import { RELOADER_IMAGE } from "../../model/images.js";
import type { Model } from "../../model/model.js";
import { containerSecurityContext } from "./security.js";
import type { PodVolumes } from "./volumes.js";

/** Files the reloader watches besides nats.conf: certificate renewals then apply without a restart. */
export function watchedFiles(m: Model): string[] {
  if (!m.spec.tls.enabled) return [];
  const dir = m.topology.paths.certDir;
  return [`${dir}/ca.crt`, `${dir}/tls.crt`, `${dir}/tls.key`];
}

export function reloaderContainer(m: Model, volumes: PodVolumes): IContainer {
  const p = m.topology.paths;
  const args = ["-pid", `${p.pidDir}/nats.pid`, "-config", `${p.configDir}/nats.conf`];
  for (const f of watchedFiles(m)) args.push("-config", f);
  return {
    name: "reloader",
    image: RELOADER_IMAGE,
    args,
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
    securityContext: containerSecurityContext(),
    volumeMounts: volumes.reloader,
  };
}

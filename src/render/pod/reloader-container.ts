import type { IContainer } from "kubernetes-models/v1/Container";
import { CERT_FILES } from "../../conf/tls.js";
import type { Model } from "../../model/model.js";
import { containerSecurityContext } from "./security.js";
import { reloaderResources } from "./sidecar-resources.js";
import type { PodVolumes } from "./volumes.js";

/**
 * Files the reloader watches besides nats.conf: a renewed certificate then reaches nats-server by a
 * config reload, without a restart. Only files that exist: the reloader exits on a missing one.
 */
export function watchedFiles(m: Model): string[] {
  if (!m.tls) return [];
  const dir = m.topology.paths.certDir;
  const names = [...(m.tls.caKey ? [CERT_FILES.ca] : []), CERT_FILES.cert, CERT_FILES.key];
  return names.map((f) => `${dir}/${f}`);
}

export function reloaderContainer(m: Model, volumes: PodVolumes): IContainer {
  const p = m.topology.paths;
  const args = ["-pid", `${p.pidDir}/nats.pid`, "-config", `${p.configDir}/nats.conf`];
  for (const f of watchedFiles(m)) args.push("-config", f);
  return {
    name: "reloader",
    image: m.images.reloader,
    ...(m.spec.reloader.image.pullPolicy ? { imagePullPolicy: m.spec.reloader.image.pullPolicy } : {}),
    args,
    resources: reloaderResources(m),
    securityContext: containerSecurityContext(),
    volumeMounts: volumes.reloader,
  };
}

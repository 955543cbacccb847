import type { IContainer } from "kubernetes-models/v1/Container";
import type { IProbe } from "kubernetes-models/v1/Probe";
import { websocketEnabled } from "../../conf/websocket.js";
import { PORTS, type Model } from "../../model/model.js";
import { natsEnv } from "./env.js";
import { containerSecurityContext } from "./security.js";
import type { PodVolumes } from "./volumes.js";

const probe = (path: string, periodSeconds: number, failureThreshold: number): IProbe => ({
  httpGet: { path, port: "monitor" },
  initialDelaySeconds: 10,
  timeoutSeconds: 5,
  periodSeconds,
  successThreshold: 1,
  failureThreshold,
});

export function natsContainer(m: Model, volumes: PodVolumes): IContainer {
  const ports: { name: string; containerPort: number }[] = [{ name: "nats", containerPort: PORTS.client }];
  if (websocketEnabled(m)) ports.push({ name: "websocket", containerPort: PORTS.websocket });
  if (m.clustered) ports.push({ name: "cluster", containerPort: PORTS.cluster });
  ports.push({ name: "monitor", containerPort: PORTS.monitor });
  const pidFile = `${m.topology.paths.pidDir}/nats.pid`;
  return {
    name: "nats",
    image: m.images.nats,
    ...(m.spec.image.pullPolicy ? { imagePullPolicy: m.spec.image.pullPolicy } : {}),
    args: ["--config", `${m.topology.paths.configDir}/nats.conf`],
    env: natsEnv(m),
    ports,
    ...(m.spec.resources ? { resources: m.spec.resources } : {}),
    // Probes as the chart: startup waits for JetStream recovery (~15 min budget); readiness ignores
    // individual streams so one broken consumer cannot keep a server out of rotation (nats-io/k8s#1140).
    startupProbe: probe("/healthz", 10, 90),
    readinessProbe: probe("/healthz?js-server-only=true", 10, 3),
    livenessProbe: probe("/healthz?js-enabled-only=true", 30, 3),
    // Lame duck: clients move to other servers before this one stops.
    lifecycle: { preStop: { exec: { command: ["nats-server", `-sl=ldm=${pidFile}`] } } },
    securityContext: containerSecurityContext(),
    volumeMounts: volumes.nats,
  };
}

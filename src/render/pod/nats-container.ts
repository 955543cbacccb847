import type { IContainer } from "kubernetes-models/v1/Container";
import type { IProbe } from "kubernetes-models/v1/Probe";
import { PORTS, TERMINATION_GRACE_SECONDS, type Model } from "../../model/model.js";
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

/**
 * Lame duck mode, then wait until the server has drained and exited. The kubelet sends SIGTERM as
 * soon as the hook returns; a bare `nats-server -sl=ldm=...` (the official chart's hook) returns
 * at once, and a SIGTERM that lands before the server has entered lame duck mode stops it without
 * draining. Once in lame duck mode the server ignores SIGTERM, but only waiting here makes that
 * order certain. The loop stops short of terminationGracePeriodSeconds so the kubelet never has
 * to SIGKILL a hook; the image's /bin/sh (alpine) runs it. Backquotes, not `$(...)`: the kubelet
 * reads `$(NAME)` in a command as a variable reference. (`read` fails: the pid file has no newline.) In a pod the hook ends when the server (the
 * container's main process) exits.
 */
export function preStopCommand(pidFile: string, graceSeconds = TERMINATION_GRACE_SECONDS): string[] {
  const waitSeconds = Math.max(1, graceSeconds - 5);
  return [
    "/bin/sh",
    "-c",
    `pid=\`cat ${pidFile}\` && nats-server -sl=ldm=${pidFile} && ` +
      `for i in \`seq ${waitSeconds}\`; do kill -0 "$pid" 2>/dev/null || break; sleep 1; done`,
  ];
}

export function natsContainer(m: Model, volumes: PodVolumes): IContainer {
  const ports: { name: string; containerPort: number }[] = [{ name: "nats", containerPort: PORTS.client }];
  const l = m.listeners;
  if (l.websocket) ports.push({ name: "websocket", containerPort: l.websocket.port });
  if (l.mqtt) ports.push({ name: "mqtt", containerPort: l.mqtt.port });
  if (l.leafnodes) ports.push({ name: "leafnodes", containerPort: l.leafnodes.port });
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
    lifecycle: { preStop: { exec: { command: preStopCommand(pidFile) } } },
    securityContext: containerSecurityContext(),
    volumeMounts: volumes.nats,
  };
}

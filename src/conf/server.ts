import { LAME_DUCK, PORTS, type Model } from "../model/model.js";
import { env, type ConfBlock } from "./value.js";

export function serverSection(m: Model): ConfBlock {
  const host = m.topology.listenHostVar;
  return {
    server_name: env("SERVER_NAME"),
    // In Kubernetes the server listens on all interfaces; locally each server has its own loopback address (monitoring follows `host`).
    host: host ? env(host) : undefined,
    port: PORTS.client,
    http_port: m.monitor.port,
    pid_file: `${m.topology.paths.pidDir}/nats.pid`,
    lame_duck_duration: LAME_DUCK.duration,
    lame_duck_grace_period: LAME_DUCK.grace,
  };
}

import { PORTS, type Model } from "../model/model.js";
import { env, type ConfBlock } from "./value.js";

/** Routes to every pod (each server lists itself too; nats-server ignores its own URL). */
export function clusterSection(m: Model): ConfBlock | undefined {
  if (!m.clustered) return undefined;
  const host = m.topology.listenHostVar;
  return {
    name: m.names.statefulSet,
    host: host ? env(host) : undefined,
    port: PORTS.cluster,
    // Pod IPs change on restart; peers must use the stable DNS names from routes, never advertised IPs.
    no_advertise: true,
    routes: m.routeUrls,
    // Replication and catch-up traffic crosses zones (and is billed there); s2_auto compresses
    // only when the measured RTT says the link is slow, so pods in one zone pay no CPU for it.
    compression: "s2_auto",
  };
}

import type { LocalServerSpec } from "./local-cluster.js";
import type { LocalPlan } from "./local-plan.js";
import type { TlsMaterial } from "./tls-files.js";

/** One nats-server per pod: the rendered nats.conf, the pod's env, the certificate volume's files. */
export function localServerSpecs(plan: LocalPlan, tls?: TlsMaterial): LocalServerSpec[] {
  return plan.servers.map((s) => ({
    name: s.pod,
    host: s.host,
    confText: plan.confText,
    env: s.env,
    monitorPort: plan.model.monitor.port,
    ...(tls ? { files: tls.serverFiles } : {}),
  }));
}

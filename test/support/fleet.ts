import { stringify } from "yaml";

/** Manifest `i` of the fleet: names, sizes, modes and streams all vary with i. */
export function fleetManifest(i: number): string {
  const replicas = [1, 3, 5][i % 3]!;
  const js = i % 7 !== 0;
  const spec: Record<string, unknown> = {
    namespace: `team-${i % 50}`,
    replicas,
    resources: { requests: { cpu: "500m", memory: `${1 + (i % 8)}Gi` }, limits: { cpu: "2", memory: `${1 + (i % 8)}Gi` } },
    jetstream: js ? { enabled: true, persistence: i % 2 ? { mode: "FILE", size: `${10 + (i % 90)}Gi` } : { mode: "MEMORY", size: "256Mi" } } : { enabled: false },
    auth: i % 3 === 0 ? { enabled: false } : { enabled: true, mode: i % 3 === 1 ? "TOKEN" : "BASIC" },
    tls: { enabled: i % 4 === 0 },
    natsBox: { enabled: i % 5 !== 0 },
    monitoring: { enabled: i % 2 === 0 },
  };
  if (js) {
    spec["nack"] = { enabled: true };
    spec["streams"] = Array.from({ length: i % 4 }, (_, s) => ({
      name: `S${i}_${s}`,
      subjects: [`svc${i}.s${s}.>`],
      storage: i % 2 ? "file" : "memory",
      replicas: Math.min(replicas, 3),
      maxAge: `${1 + s}h`,
      consumers: [{ durableName: `c${s}`, ackPolicy: "explicit" }],
    }));
  }
  return stringify({ apiVersion: "kubernetes.project-planton.org/v1", kind: "KubernetesNats", metadata: { name: `bus-${i}` }, spec });
}

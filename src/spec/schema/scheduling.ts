import { z } from "./zod.js";
import { stringMap } from "./primitives.js";

// Affinity and tolerations are Kubernetes' own types: passed through, checked by the Kubernetes schemas at render time.
const kubeObject = z.record(z.string(), z.unknown());

export const schedulingSchema = z
  .strictObject({
    nodeSelector: stringMap.optional(),
    tolerations: z.array(kubeObject).optional(),
    affinity: kubeObject.optional().describe("A full Kubernetes Affinity; replaces the generated pod anti-affinity."),
    antiAffinity: z
      .enum(["PREFERRED", "REQUIRED", "NONE"])
      .default("PREFERRED")
      .describe("Spread NATS pods across nodes: PREFERRED (soft), REQUIRED (hard: needs as many schedulable nodes as replicas; with fewer, the extra pods stay Pending), NONE."),
    topologySpread: z
      .boolean()
      .default(true)
      .describe("Spread pods across zones (topology.kubernetes.io/zone, ScheduleAnyway)."),
    priorityClassName: z.string().min(1).optional(),
  })
  .prefault({});

import { z } from "./zod.js";
import { dnsLabel, hostname, quantity, resourcesSchema } from "./primitives.js";

// Fields of Project Planton's current KubernetesNats API. They load unchanged and are
// translated to the native fields in spec/planton.ts (PLANTON-NOTES.md section 1).

export const plantonNamespace = z.strictObject({
  value: dnsLabel("namespace").optional(),
  valueFrom: z
    .strictObject({ kind: z.string().optional(), env: z.string().optional(), name: z.string(), fieldPath: z.string().optional() })
    .optional(),
});

export const plantonSpecFields = {
  serverContainer: z
    .strictObject({
      replicas: z.number().int().min(1).optional(),
      resources: resourcesSchema.optional(),
      diskSize: quantity("diskSize").optional(),
    })
    .optional()
    .describe("Project Planton: replicas, resources and diskSize (the JetStream PVC size)."),
  disableJetStream: z.boolean().optional().describe("Project Planton: true turns JetStream off."),
  tlsEnabled: z.boolean().optional().describe("Project Planton: same as tls.enabled."),
  ingress: z
    .strictObject({ enabled: z.boolean().default(false), hostname: hostname.optional() })
    .optional()
    .describe("Project Planton: a LoadBalancer on 4222 with this hostname (externalAccess.type LOADBALANCER)."),
  disableNatsBox: z.boolean().optional().describe("Project Planton: true turns nats-box off."),
  nackController: z
    .strictObject({
      enabled: z.boolean().optional(),
      enableControlLoop: z.boolean().optional(),
      helmChartVersion: z.string().optional(),
      appVersion: z.string().optional(),
    })
    .optional()
    .describe("Project Planton: NACK controller; appVersion selects the controller image tag."),
  natsHelmChartVersion: z
    .string()
    .optional()
    .describe("Project Planton: the NATS chart version; since 2.12 it is also the server version and selects the image tag."),
  targetCluster: z
    .strictObject({ clusterKind: z.union([z.string(), z.number()]).optional(), clusterName: z.string().optional() })
    .optional()
    .describe("Project Planton: the target cluster. Recorded; natskube renders for whatever cluster you apply to."),
};

import { z } from "./zod.js";
import { clientServiceSchema, externalAccessSchema, natsBoxSchema } from "./access.js";
import { leafnodesSchema, mqttSchema, websocketSchema } from "./listeners.js";
import { imagePullSecretsSchema, imageRegistrySchema, reloaderSchema } from "./images.js";
import { jetstreamSchema } from "./jetstream.js";
import { monitoringSchema } from "./monitoring.js";
import { nackSchema } from "./nack.js";
import { plantonNamespace, plantonSpecFields } from "./planton.js";
import { dnsLabel, dnsSubdomain, imageSchema, resourcesSchema, stringMap } from "./primitives.js";
import { schedulingSchema } from "./scheduling.js";
import { authSchema, networkPolicySchema, tlsSchema } from "./security.js";
import { keyValueSchema, objectStoreSchema, streamSchema } from "./streams.js";

export const API_VERSION = "kubernetes.project-planton.org/v1";
/**
 * Every apiVersion natskube loads (docs/planton.md). openmcf.org/v1 is the same API as project-planton.org/v1;
 * planton.dev/v1 is generation A (the same fields minus targetCluster) or the redesign B, told apart by fields
 * (spec/planton-generation.ts); planton.dev/v1alpha1 is the redesign only. B is translated before this schema runs.
 */
export const API_VERSIONS = [API_VERSION, "kubernetes.openmcf.org/v1", "kubernetes.planton.dev/v1", "kubernetes.planton.dev/v1alpha1"] as const;
export const KINDS = ["KubernetesNats", "NatsKubernetes"] as const;
export const NATS_IMAGE = { repository: "nats", tag: "2.14.2-alpine" } as const;

export const metadataSchema = z.strictObject({
  name: dnsLabel("metadata.name").describe("Name of the cluster; prefixes every object (<name>, <name>-headless, <name>-config, ...)."),
  labels: stringMap.optional().describe("Copied onto every object."),
  annotations: stringMap.optional().describe("Copied onto every object, except those addressed to tools: natskube.dev/* and the KRM function annotations (config.kubernetes.io/*, internal.config.kubernetes.io/*)."),
  id: z.string().optional().describe("Project Planton id; becomes the label planton.ai/id."),
  org: z.string().optional().describe("Project Planton organization; becomes the label planton.ai/organization."),
  env: z.string().optional().describe("Project Planton environment; becomes the label planton.ai/environment."),
  slug: z.string().optional(),
  tags: z.array(z.string()).optional(),
  group: z.string().optional(),
  relationships: z.array(z.unknown()).optional(),
});

export const specSchema = z.strictObject({
  namespace: z
    .union([dnsLabel("namespace"), plantonNamespace])
    .describe("Namespace of every object (required). Project Planton's {value: name} is accepted."),
  createNamespace: z.boolean().default(false).describe("Render the Namespace object too."),
  clusterDomain: dnsSubdomain("clusterDomain").default("cluster.local").describe("Kubernetes cluster DNS domain, for fully qualified names."),
  replicas: z
    .number()
    .int()
    .min(1)
    .max(99)
    .default(3)
    .describe("NATS servers. 1 for development; 3 or 5 in production (odd, for RAFT quorum). Start with 3: never scale a live cluster 1 -> 3."),
  resources: resourcesSchema.optional(),
  image: imageSchema(NATS_IMAGE.repository, NATS_IMAGE.tag),
  imageRegistry: imageRegistrySchema,
  imagePullSecrets: imagePullSecretsSchema,
  reloader: reloaderSchema,
  jetstream: jetstreamSchema,
  auth: authSchema,
  tls: tlsSchema,
  natsBox: natsBoxSchema,
  externalAccess: externalAccessSchema,
  service: clientServiceSchema,
  websocket: websocketSchema,
  mqtt: mqttSchema,
  leafnodes: leafnodesSchema,
  nack: nackSchema,
  streams: z.array(streamSchema).default([]).describe("JetStream streams (with consumers), created by NACK."),
  keyValues: z.array(keyValueSchema).default([]).describe("JetStream key-value buckets, created by NACK."),
  objectStores: z.array(objectStoreSchema).default([]).describe("JetStream object stores, created by NACK."),
  monitoring: monitoringSchema,
  networkPolicy: networkPolicySchema,
  scheduling: schedulingSchema,
  podAnnotations: stringMap.optional().describe("Annotations on the NATS pods only (metadata.annotations go on every object); a change rolls the pods."),
  podLabels: stringMap.optional().describe("Labels on the NATS pods only, beside natskube's; the selector labels cannot be set here."),
  configMerge: z
    .record(z.string(), z.json())
    .optional()
    .describe(
      "Extra nats.conf settings merged into what natskube renders (the chart's config.merge), keys as nats.conf spells them: e.g. {max_payload: 4194304, jetstream: {max_outstanding_catchup: 134217728}, leafnodes: {remotes: [...]}}. A key natskube renders, or a secret, is refused; the real server checks the rest (natskube verify).",
    ),
  ...plantonSpecFields,
});

export const resourceSchema = z.strictObject({
  apiVersion: z
    .enum(API_VERSIONS)
    .describe("kubernetes.project-planton.org/v1 (natskube's own), or a Project Planton generation: kubernetes.openmcf.org/v1, kubernetes.planton.dev/v1, kubernetes.planton.dev/v1alpha1."),
  kind: z.enum(KINDS).describe("KubernetesNats (NatsKubernetes is accepted too)."),
  metadata: metadataSchema,
  spec: specSchema,
  status: z.unknown().optional().describe("Ignored (Project Planton writes stack outputs here)."),
});

export type ResourceInput = z.input<typeof resourceSchema>;
export type ParsedResource = z.output<typeof resourceSchema>;

import { z } from "./zod.js";

/** Kubernetes resource.Quantity syntax (e.g. `500m`, `2`, `1.5Gi`, `1e3`). */
export const QUANTITY_PATTERN = /^[+]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
/** Kubernetes DNS-1123 label and subdomain syntax (lengths checked apart). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * StatefulSet pods carry the label controller-revision-hash=<name>-<10 chars>, and label
 * values are at most 63 characters, so a StatefulSet name above 52 characters never gets pods.
 */
export const MAX_NAME_LENGTH = 52;

/** A name natskube can give its StatefulSet and Services: a DNS-1035 label (a letter first). */
export const CLUSTER_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A quantity written as a string or a bare YAML number; always a string afterwards. */
export const quantity = (what: string) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => String(v))
    .refine((v) => QUANTITY_PATTERN.test(v), {
      message: `${what} must be a Kubernetes quantity`,
      params: { code: "quantity", hint: "Use a number with an optional unit, e.g. 500m, 2, 512Mi, 10Gi." },
    })
    // JSON Schema applies a pattern to strings only: a bare number stays valid, as it is here.
    .meta({ pattern: QUANTITY_PATTERN.source });

export const dnsLabel = (what: string) =>
  z
    .string()
    .max(63)
    .refine((v) => DNS_LABEL.test(v), {
      message: `${what} must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
      params: { code: "dns-name", hint: "For example: messaging, nats-prod." },
    })
    .meta({ pattern: DNS_LABEL.source });

export const dnsSubdomain = (what: string) =>
  z
    .string()
    .max(253)
    .refine((v) => DNS_SUBDOMAIN.test(v), {
      message: `${what} must be a DNS name: lowercase letters, digits, '-' and '.'`,
      params: { code: "dns-name", hint: "For example: nats.example.com." },
    })
    .meta({ pattern: DNS_SUBDOMAIN.source });

/** A hostname clients resolve; a leading `*.` wildcard is not allowed (it names one endpoint). */
export const hostname = dnsSubdomain("hostname");

export const stringMap = z.record(z.string(), z.string());

export const imageSchema = (repository: string, tag: string) =>
  z
    .strictObject({
      repository: z.string().min(1).default(repository).describe("Image repository, with registry if not Docker Hub."),
      tag: z.string().min(1).default(tag).describe("Image tag."),
      pullPolicy: z.enum(["Always", "IfNotPresent", "Never"]).optional().describe("imagePullPolicy; Kubernetes' default when unset."),
    })
    .prefault({});

export const cpuMemory = z.strictObject({
  cpu: quantity("cpu").optional(),
  memory: quantity("memory").optional(),
});

export const resourcesSchema = z
  .strictObject({
    requests: cpuMemory.optional().describe("Guaranteed CPU and memory."),
    limits: cpuMemory.optional().describe("Maximum CPU and memory; the memory limit also derives GOMEMLIMIT and the JetStream memory store."),
  })
  .describe("Requests and limits for the container.");

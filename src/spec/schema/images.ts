import { z } from "./zod.js";
import { dnsSubdomain, imageSchema } from "./primitives.js";

export const RELOADER_IMAGE = { repository: "natsio/nats-server-config-reloader", tag: "0.23.0" } as const;

/** A registry host (optionally with port) and path, without scheme or trailing slash. */
export const IMAGE_REGISTRY = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

export const reloaderSchema = z
  .strictObject({
    image: imageSchema(RELOADER_IMAGE.repository, RELOADER_IMAGE.tag),
  })
  .prefault({})
  .describe("The config reloader sidecar beside each NATS server (signals nats-server to reload nats.conf and renewed certificates).");

export const imagePullSecretsSchema = z
  .array(dnsSubdomain("imagePullSecrets entry"))
  .default([])
  .describe("Names of Secrets (type kubernetes.io/dockerconfigjson, in the namespace) used to pull every image; set on every pod natskube renders (a name listed twice is used once).");

export const imageRegistrySchema = z
  .string()
  .refine((v) => IMAGE_REGISTRY.test(v), {
    message: "imageRegistry must be a registry host with an optional port and path, without scheme or trailing slash",
    params: { code: "format", hint: "For example: registry.example.com/mirror or registry.local:5000." },
  })
  .meta({ pattern: IMAGE_REGISTRY.source })
  .optional()
  .describe(
    "Registry (and path) every default image is pulled from: '<imageRegistry>/<default repository>', e.g. registry.example.com/mirror/nats and registry.example.com/mirror/natsio/nats-box. A repository other than the default is used as written.",
  );

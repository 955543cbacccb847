import { z } from "./zod.js";
import { quantity } from "./primitives.js";

export const persistenceSchema = z
  .strictObject({
    mode: z
      .enum(["FILE", "MEMORY"])
      .default("FILE")
      .describe("FILE: a PersistentVolumeClaim per pod (durable). MEMORY: streams live in RAM and are lost when all pods restart."),
    size: quantity("size")
      .optional()
      .describe(
        "FILE: the PVC size per pod, default 10Gi (max_file_store is set 10% below it for filesystem overhead). MEMORY: the memory store per server, default half the memory limit (1Gi without a limit).",
      ),
    storageClass: z.string().min(1).optional().describe("StorageClass of the PVCs (FILE only); the cluster default when unset. Prefer an SSD class."),
    maxFileStore: quantity("maxFileStore")
      .optional()
      .describe("FILE: JetStream's file store limit per server (max_file_store); default 90% of size, so the volume never fills before the limit."),
    maxMemoryStore: quantity("maxMemoryStore")
      .optional()
      .describe(
        "FILE: the memory store beside the file store, per server (max_memory_store); 0 refuses memory streams. Default a quarter of resources.limits.memory, 0 without a limit. Keep the memory limit well above it.",
      ),
  })
  .prefault({});

export const jetstreamSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Enable JetStream (persistence, streams, KV, object store)."),
    persistence: persistenceSchema,
    domain: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, { message: "domain must be letters, digits, '_' or '-'" })
      .optional()
      .describe("JetStream domain; set only when leafnodes or several clusters share an account."),
    strict: z
      .boolean()
      .optional()
      .describe(
        "jetstream.strict: false lets the JetStream API accept requests with unknown or invalid fields, for old clients that send them; unset keeps the server's default (strict). Every supported nats-server (2.11 and later) has the key.",
      ),
  })
  .prefault({});

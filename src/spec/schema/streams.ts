import { z } from "./zod.js";

// Shapes follow NACK's CRD field names, which are also Project Planton's (camelCase of its snake_case proto fields).
// Semantic checks (names, subjects, durations, overlaps, capacity) live in check/correctness/, over the Model.

const storage = z.enum(["file", "memory"]).optional().describe("Default: file when the cluster persists to FILE, else memory.");
const replicas = z.number().int().min(1).max(5).optional().describe("Default: min(3, server replicas).");
const int64 = z.number().int();
/** The server's -1 means "unlimited"; anything lower is refused (in pedantic mode, which NACK uses). */
const limit = int64.min(-1);
/** Stored as an int32 by the server. */
const int32Limit = limit.max(2 ** 31 - 1);
/** JSMaxDescriptionLen. */
const description = z.string().max(4096).optional();
const preventDelete = z
  .boolean()
  .optional()
  .describe("Keep the JetStream asset when its resource is deleted (NACK preventDelete). Default true: removing it from the spec never deletes data.");

export const consumerSchema = z.strictObject({
  durableName: z.string().min(1).max(255).describe("Durable consumer name (also the NATS consumer name)."),
  description,
  deliverPolicy: z
    .enum(["all", "last", "new", "new_msgs", "lastPerSubject", "byStartSequence"])
    .optional()
    .describe("Default: all. new_msgs (Project Planton's spelling) means new; byStartSequence needs optStartSeq."),
  optStartSeq: int64.min(1).optional().describe("First stream sequence to deliver (deliverPolicy byStartSequence)."),
  ackPolicy: z.enum(["none", "all", "explicit"]).optional().describe("Default: explicit."),
  ackWait: z.string().optional().describe("Go duration, e.g. 30s. Default 30s (the NACK CRD's own default is 1ns)."),
  maxDeliver: limit.optional(),
  maxAckPending: limit.optional(),
  maxWaiting: int64.min(0).optional().describe("Pull consumers only."),
  filterSubject: z.string().min(1).optional(),
  filterSubjects: z.array(z.string().min(1)).optional(),
  deliverSubject: z.string().min(1).optional().describe("Push consumer: deliver to this subject."),
  deliverGroup: z.string().min(1).optional().describe("Push consumer: queue group (needs deliverSubject)."),
  replayPolicy: z.enum(["original", "instant"]).optional(),
  replicas: z.number().int().min(0).max(5).optional(),
  memStorage: z.boolean().optional(),
});

export const streamSchema = z.strictObject({
  name: z.string().min(1).max(255).describe("Stream name (NATS rules: no spaces, '.', '*', '>')."),
  description,
  subjects: z.array(z.string().min(1)).min(1).describe("Subjects the stream captures."),
  storage,
  replicas,
  retention: z.enum(["limits", "interest", "workqueue"]).optional(),
  maxAge: z.string().optional().describe("Go duration, e.g. 24h (7d is not valid: use 168h)."),
  maxBytes: limit.optional().describe("Bytes; reserved on every replica's server when set."),
  maxMsgs: limit.optional(),
  maxMsgSize: int32Limit.optional(),
  maxMsgsPerSubject: limit.optional(),
  maxConsumers: limit.optional(),
  discard: z.enum(["old", "new", "new_msgs"]).optional(),
  duplicateWindow: z.string().optional(),
  denyDelete: z.boolean().optional(),
  allowRollup: z.boolean().optional(),
  preventDelete,
  consumers: z.array(consumerSchema).default([]),
});

export const keyValueSchema = z.strictObject({
  bucket: z.string().min(1).max(252).describe("Bucket name (letters, digits, '-', '_')."),
  description,
  history: z.number().int().min(1).max(64).optional(),
  ttl: z.string().optional().describe("Go duration."),
  maxValueSize: int32Limit.optional(),
  maxBytes: limit.optional(),
  storage,
  replicas,
  preventDelete,
});

export const objectStoreSchema = z.strictObject({
  bucket: z.string().min(1).max(251).describe("Bucket name (letters, digits, '-', '_')."),
  description,
  ttl: z.string().optional().describe("Go duration."),
  maxBytes: limit.optional(),
  storage,
  replicas,
  preventDelete,
});

import { z } from "zod";

// Shapes follow NACK's CRD field names, which are also Project Planton's (camelCase of its snake_case proto fields).
// Semantic checks (names, subjects, durations, overlaps, capacity) live in spec/rules.

const storage = z.enum(["file", "memory"]).optional().describe("Default: file when the cluster persists to FILE, else memory.");
const replicas = z.number().int().min(1).max(5).optional().describe("Default: min(3, server replicas).");
const int64 = z.number().int();

export const consumerSchema = z.strictObject({
  durableName: z.string().min(1).max(255).describe("Durable consumer name (also the NATS consumer name)."),
  description: z.string().optional(),
  deliverPolicy: z.enum(["all", "last", "new", "new_msgs", "lastPerSubject"]).optional(),
  optStartSeq: int64.min(1).optional(),
  ackPolicy: z.enum(["none", "all", "explicit"]).optional().describe("Default: explicit."),
  ackWait: z.string().optional().describe("Go duration, e.g. 30s."),
  maxDeliver: int64.optional(),
  maxAckPending: int64.optional(),
  maxWaiting: int64.optional(),
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
  description: z.string().optional(),
  subjects: z.array(z.string().min(1)).min(1).describe("Subjects the stream captures."),
  storage,
  replicas,
  retention: z.enum(["limits", "interest", "workqueue"]).optional(),
  maxAge: z.string().optional().describe("Go duration, e.g. 24h (7d is not valid: use 168h)."),
  maxBytes: int64.optional(),
  maxMsgs: int64.optional(),
  maxMsgSize: int64.optional(),
  maxMsgsPerSubject: int64.optional(),
  maxConsumers: int64.optional(),
  discard: z.enum(["old", "new", "new_msgs"]).optional(),
  duplicateWindow: z.string().optional(),
  denyDelete: z.boolean().optional(),
  allowRollup: z.boolean().optional(),
  consumers: z.array(consumerSchema).default([]),
});

export const keyValueSchema = z.strictObject({
  bucket: z.string().min(1).max(255).describe("Bucket name (letters, digits, '-', '_')."),
  description: z.string().optional(),
  history: z.number().int().min(1).max(64).optional(),
  ttl: z.string().optional().describe("Go duration."),
  maxValueSize: int64.optional(),
  maxBytes: int64.optional(),
  storage,
  replicas,
});

export const objectStoreSchema = z.strictObject({
  bucket: z.string().min(1).max(255).describe("Bucket name (letters, digits, '-', '_')."),
  description: z.string().optional(),
  ttl: z.string().optional().describe("Go duration."),
  maxBytes: int64.optional(),
  storage,
  replicas,
});

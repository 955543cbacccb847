import { z } from "./zod.js";
import { imageSchema } from "./primitives.js";

export const NACK_IMAGE = { repository: "natsio/jetstream-controller", tag: "0.23.0" } as const;

export const nackSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Deploy the NACK JetStream controller, which manages streams, consumers, KV and object stores from CRs."),
    controlLoop: z.boolean().default(false).describe("Run NACK's control loop (--control-loop): it re-applies CRs periodically, fixing drift."),
    namespaced: z.boolean().default(true).describe("Manage only this namespace, so several clusters in one Kubernetes cluster do not fight over CRs."),
    image: imageSchema(NACK_IMAGE.repository, NACK_IMAGE.tag),
  })
  .prefault({});

import { z } from "./zod.js";
import { imageSchema } from "./primitives.js";
import { authName, secretKey } from "./security.js";

export const NACK_IMAGE = { repository: "natsio/jetstream-controller", tag: "0.23.0" } as const;

export const nackSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Deploy the NACK JetStream controller, which manages streams, consumers, KV and object stores from CRs."),
    controlLoop: z.boolean().default(false).describe("Run NACK's control loop (--control-loop): it re-applies CRs periodically, fixing drift."),
    namespaced: z.boolean().default(true).describe("Manage only this namespace, so several clusters in one Kubernetes cluster do not fight over CRs."),
    image: imageSchema(NACK_IMAGE.repository, NACK_IMAGE.tag),
    user: authName("nack.user")
      .optional()
      .describe(
        "With declared users or accounts: the user the controller signs in as (required when streams, key-value buckets or object stores are declared). Its account holds them, so it needs JetStream, and its permissions must allow the JetStream API.",
      ),
    userKey: secretKey
      .default("nack-user")
      .describe("Key of the auth Secret holding nack.user's name: NACK reads the user name and its password from one Secret. `--generate-secrets` writes it; in a Secret you manage, add it."),
  })
  .prefault({});

import { z } from "./zod.js";
import { hostname, imageSchema, resourcesSchema, stringMap } from "./primitives.js";

export const NATS_BOX_IMAGE = { repository: "natsio/nats-box", tag: "0.19.7" } as const;

export const natsBoxSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Deploy nats-box, a pod with the nats CLI preconfigured for this cluster."),
    image: imageSchema(NATS_BOX_IMAGE.repository, NATS_BOX_IMAGE.tag),
    resources: resourcesSchema.optional(),
  })
  .prefault({});

export const externalAccessSchema = z
  .strictObject({
    type: z
      .enum(["NONE", "LOADBALANCER", "INGRESS"])
      .default("NONE")
      .describe("NONE; LOADBALANCER (TCP 4222 on a cloud load balancer); INGRESS (WebSocket on 8080 behind an Ingress)."),
    hostname: hostname.optional().describe("DNS name clients use; required for INGRESS, set on the LoadBalancer via external-dns."),
    annotations: stringMap.optional().describe("Extra annotations on the LoadBalancer Service or the Ingress."),
    loadBalancerSourceRanges: z.array(z.string().min(1)).optional().describe("CIDRs allowed to reach the LoadBalancer."),
    ingressClassName: z.string().min(1).optional().describe("IngressClass for INGRESS; the cluster default when unset."),
    tlsSecretName: z.string().min(1).optional().describe("Secret with the Ingress certificate for hostname (INGRESS)."),
    tlsTermination: z
      .enum(["INGRESS", "REENCRYPT"])
      .optional()
      .describe(
        "INGRESS only. Where browser TLS ends: INGRESS (the WebSocket port is plain, `no_tls`; traffic from the controller to the pod is unencrypted) or REENCRYPT (the controller opens TLS to the server's certificate; needs tls.enabled). Default: REENCRYPT with tls.enabled, else INGRESS.",
      ),
  })
  .prefault({});

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

/** Kubernetes' node-port range (the API server's default --service-node-port-range). */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

export const clientServiceSchema = z
  .strictObject({
    type: z
      .enum(["ClusterIP", "NodePort", "LoadBalancer"])
      .default("ClusterIP")
      .describe(
        "Type of the client Service (the name clients in the cluster use): ClusterIP (in-cluster only); NodePort (also port 4222 on every node); LoadBalancer (the same Service behind a load balancer, e.g. an internal one via annotations). A public entry point with a hostname is externalAccess.type: LOADBALANCER, a separate Service; the two together are an error.",
      ),
    annotations: stringMap.optional().describe("Extra annotations on the client Service (a cloud's internal load balancer, ...)."),
    nodePort: z
      .number()
      .int()
      .min(NODE_PORT_RANGE.min)
      .max(NODE_PORT_RANGE.max)
      .optional()
      .describe("NodePort or LoadBalancer: a fixed node port (30000-32767) for the client port; Kubernetes picks one when unset."),
  })
  .prefault({});

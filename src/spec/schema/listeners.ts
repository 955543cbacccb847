import { z } from "./zod.js";

/** A listener beside the client port; TLS follows spec.tls unless `tls` says otherwise. */
const listener = (what: string, port: number, extra: string) =>
  z
    .strictObject({
      enabled: z.boolean().default(false).describe(`Open the ${what} listener.`),
      port: z.number().int().min(1).max(65535).default(port).describe(`Port of the ${what} listener (default ${port}).`),
      tls: z
        .boolean()
        .optional()
        .describe(`Serve TLS with the server certificate. Default: on when spec.tls is. ${extra}`),
    })
    .prefault({});

export const websocketSchema = listener(
  "WebSocket",
  8080,
  "With externalAccess INGRESS the Ingress's tlsTermination decides instead.",
).describe("A WebSocket listener for in-cluster clients (browsers behind your own proxy, nats.ws); externalAccess INGRESS opens it too, behind an Ingress.");

export const mqttSchema = listener("MQTT", 1883, "").describe("An MQTT 3.1.1 listener; needs JetStream (sessions and retained messages live in streams).");

export const leafnodesSchema = listener("leaf node", 7422, "").describe(
  "A leaf node listener: other NATS servers (edge sites, other clusters) connect here and bridge subjects; they sign in as the clients do.",
);

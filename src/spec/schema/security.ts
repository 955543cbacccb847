import { z } from "./zod.js";
import { dnsSubdomain } from "./primitives.js";

/** Kubernetes Secret data keys: letters, digits, '-', '_' and '.'. */
const secretKey = z
  .string()
  .min(1)
  .max(253)
  .refine((v) => /^[-._a-zA-Z0-9]+$/.test(v), {
    message: "a Secret key may hold only letters, digits, '-', '_' and '.'",
    params: { code: "format", hint: "For example: token, password, ca.crt." },
  })
  .meta({ pattern: "^[-._a-zA-Z0-9]+$" });

export const authSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Require clients to authenticate."),
    mode: z.enum(["TOKEN", "BASIC"]).optional().describe("TOKEN (one shared token) or BASIC (user and password). Default TOKEN."),
    scheme: z
      .enum(["bearer_token", "basic_auth"])
      .optional()
      .describe("Project Planton spelling of mode: bearer_token = TOKEN, basic_auth = BASIC."),
    secretName: dnsSubdomain("secretName").optional().describe("A Secret you manage holding the credentials; default: natskube's `<name>-auth`."),
    tokenKey: secretKey.default("token").describe("Secret key of the token (TOKEN)."),
    userKey: secretKey.default("user").describe("Secret key of the user name (BASIC)."),
    passwordKey: secretKey.default("password").describe("Secret key of the password (BASIC)."),
    noAuthUser: z
      .strictObject({
        enabled: z.boolean().default(false).describe("Map clients that send no credentials to a restricted user."),
        publishSubjects: z.array(z.string().min(1)).default([]).describe("Subjects anonymous clients may publish to (at least one)."),
        subscribeSubjects: z
          .array(z.string().min(1))
          .default([])
          .describe(
            "Subjects anonymous clients may subscribe to; none by default. Replies go to inboxes in the shared account (request/reply answers, pull-consumer deliveries, KV reads), so `_INBOX.>` would let anonymous clients read them all: give those clients an inbox prefix of their own (e.g. `_INBOX_anon`) and list `_INBOX_anon.>`.",
          ),
        passwordKey: secretKey
          .default("noAuthPassword")
          .describe("Secret key of the anonymous user's password: random, never sent by clients, so nobody can sign in as that user by name."),
      })
      .optional(),
  })
  .prefault({});

const issuerRef = z.strictObject({
  name: z.string().min(1).describe("Issuer or ClusterIssuer name."),
  kind: z.enum(["Issuer", "ClusterIssuer"]).default("Issuer"),
  group: z.string().min(1).default("cert-manager.io"),
});

export const tlsSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe("TLS for clients (4222) and, unless routes is false, for cluster routes (6222). Without secretName or certManager, natskube uses certManager.selfSigned."),
    secretName: dnsSubdomain("secretName").optional().describe("An existing kubernetes.io/tls Secret (tls.crt, tls.key, optional ca.crt)."),
    caKey: secretKey
      .optional()
      .describe(
        "With secretName: key of the CA certificate in that Secret. Default ca.crt when routes are encrypted (peers are verified against it), else no CA.",
      ),
    certManager: z
      .strictObject({
        issuerRef: issuerRef.optional().describe("Issue the server certificate from this cert-manager issuer."),
        selfSigned: z.boolean().default(false).describe("Bootstrap a private CA with cert-manager (self-signed Issuer, CA, CA Issuer)."),
        duration: z.string().optional().describe("Certificate lifetime (Go duration, e.g. 2160h)."),
        renewBefore: z.string().optional().describe("Renew this long before expiry (Go duration, e.g. 360h)."),
      })
      .optional(),
    routes: z.boolean().default(true).describe("Also encrypt and verify cluster routes (6222) with the same certificate."),
  })
  .prefault({});

export const networkPolicySchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Deny all ingress to the pods except NATS clients, peers and monitoring."),
    clientNamespaces: z
      .array(z.string().min(1))
      .default([])
      .describe("Namespaces whose pods may connect on 4222 (and 8080); empty: every namespace."),
    ingressControllerNamespaces: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "externalAccess INGRESS: namespaces your Ingress controller runs in, allowed on the WebSocket port (8080) only; needed when clientNamespaces is set, e.g. [ingress-nginx].",
      ),
    monitoringNamespace: z.string().min(1).default("monitoring").describe("Namespace allowed to scrape the metrics ports."),
  })
  .prefault({});

import { z } from "./zod.js";
import { dnsSubdomain } from "./primitives.js";

/** Kubernetes Secret data keys: letters, digits, '-', '_' and '.'. */
export const secretKey = z
  .string()
  .min(1)
  .max(253)
  .refine((v) => /^[-._a-zA-Z0-9]+$/.test(v), {
    message: "a Secret key may hold only letters, digits, '-', '_' and '.'",
    params: { code: "format", hint: "For example: token, password, ca.crt." },
  })
  .meta({ pattern: "^[-._a-zA-Z0-9]+$" });

/** User and account names: Secret keys (a user's default password key) and nats.conf names; Project Planton's pattern. */
export const AUTH_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const authName = (what: string) =>
  z
    .string()
    .refine((v) => AUTH_NAME.test(v), {
      message: `${what} must start with a letter or digit, then letters, digits, '.', '_' or '-', 64 characters at most`,
      params: { code: "format", hint: "For example: orders-service, team-a." },
    })
    .meta({ pattern: AUTH_NAME.source });

const subjects = (what: string) => z.array(z.string().min(1)).optional().describe(what);
const permissionSet = (direction: string) =>
  z.strictObject({
    allow: subjects(`Subjects the user may ${direction}; when set, nothing else is allowed.`),
    deny: subjects(`Subjects the user may not ${direction}, even when an allow entry matches.`),
  });

export const permissionsSchema = z
  .strictObject({
    publish: permissionSet("publish to").optional(),
    subscribe: permissionSet("subscribe to (an entry may name a queue group after a space: `orders.> workers`)").optional(),
    allowResponses: z
      .union([
        z.boolean(),
        z.strictObject({
          maxMsgs: z.number().int().min(1).optional().describe("Replies allowed per request (default 1)."),
          expires: z.string().optional().describe("How long a reply is allowed after the request (Go duration, e.g. 1m)."),
        }),
      ])
      .optional()
      .describe("Let the user publish a reply to a request it received, whatever its publish permissions (nats.conf allow_responses)."),
  })
  .describe("What the user may publish and subscribe to; no permissions: everything in its account.");

export const userSchema = z.strictObject({
  name: authName("a user name").describe("The name the client signs in with; unique across all users and accounts."),
  passwordKey: secretKey.optional().describe("Key of this user's password in the auth Secret; default: the user name."),
  permissions: permissionsSchema.optional(),
});

export const accountSchema = z.strictObject({
  name: authName("an account name").describe("The account; its users see only its subjects, streams and replies."),
  jetstream: z.boolean().default(false).describe("Enable JetStream for this account (needs spec.jetstream)."),
  users: z.array(userSchema).min(1).describe("Who signs in to this account (at least one)."),
});

/** BASIC with one shared user: anonymous clients become a restricted user of natskube's own. */
const sharedNoAuthUserSchema = z.strictObject({
  enabled: z.boolean().default(false).describe("Map clients that send no credentials to a restricted user."),
  publishSubjects: z.array(z.string().min(1)).default([]).describe("Subjects anonymous clients may publish to (at least one)."),
  subscribeSubjects: z
    .array(z.string().min(1))
    .default([])
    .describe(
      "Subjects anonymous clients may subscribe to; none by default. Replies go to inboxes in the shared account (request/reply answers, pull-consumer deliveries, KV reads), so `_INBOX.>` would let anonymous clients read them all: give those clients an inbox prefix of their own (e.g. `_INBOX_anon`) and list `_INBOX_anon.>`.",
    ),
  secretName: dnsSubdomain("secretName")
    .optional()
    .describe("The Secret holding the anonymous user's password; default the auth Secret. A Project Planton manifest reads Planton's `<name>-no-auth-user`."),
  passwordKey: secretKey
    .default("noAuthPassword")
    .describe("Secret key of the anonymous user's password: random, never sent by clients, so nobody can sign in as that user by name."),
});

export const authSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Require clients to authenticate."),
    mode: z.enum(["TOKEN", "BASIC"]).optional().describe("TOKEN (one shared token) or BASIC (user and password: one shared user, or the declared users and accounts). Default TOKEN; BASIC with users or accounts."),
    scheme: z
      .enum(["bearer_token", "basic_auth"])
      .optional()
      .describe("Project Planton spelling of mode: bearer_token = TOKEN, basic_auth = BASIC."),
    secretName: dnsSubdomain("secretName").optional().describe("A Secret you manage holding the credentials; default: natskube's `<name>-auth`."),
    tokenKey: secretKey.default("token").describe("Secret key of the token (TOKEN)."),
    userKey: secretKey.default("user").describe("Secret key of the user name (BASIC)."),
    passwordKey: secretKey.default("password").describe("Secret key of the password (BASIC)."),
    users: z
      .array(userSchema)
      .default([])
      .describe("Users, each with its own password (from the auth Secret) and permissions, in one shared account; mode BASIC. Declare users or accounts, not both."),
    accounts: z
      .array(accountSchema)
      .default([])
      .describe("Accounts, isolated from each other, each with its users and its own JetStream switch; mode BASIC. Declare users or accounts, not both."),
    systemAccount: z
      .strictObject({
        enabled: z.boolean().optional().describe("Render the system account natskube's operations use (peer removal, server reports). Default: on with users or accounts."),
        secretName: dnsSubdomain("secretName").optional().describe("The Secret holding its password; default `<name>-system`. No client gets it."),
        passwordKey: secretKey.default("password").describe("Key of the password in that Secret."),
      })
      .optional()
      .describe("The system account (nats.conf system_account), with one user natskube operates the cluster as; mode BASIC."),
    noAuthUser: z
      .union([authName("noAuthUser").describe("With users or accounts: the declared user anonymous clients become."), sharedNoAuthUserSchema])
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
    verifyClients: z
      .boolean()
      .default(false)
      .describe("Clients on 4222 must present a certificate signed by the CA (ca.crt; with secretName, caKey). nats-box, NACK and `natskube apply` present the one in clientSecretName."),
    clientSecretName: dnsSubdomain("clientSecretName")
      .optional()
      .describe(
        "With verifyClients: a kubernetes.io/tls Secret (tls.crt, tls.key, and the CA under caKey) with a client certificate the CA signed. Default with certManager: `<name>-client-tls`, issued by natskube's Certificate from the same issuer.",
      ),
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

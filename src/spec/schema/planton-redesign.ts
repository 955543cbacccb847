import { z } from "./zod.js";
import { KINDS, metadataSchema } from "./resource.js";

// Project Planton's redesigned KubernetesNats (B; PLANTON-REDESIGN.md section 2): the field rules of its proto,
// checked on what the user wrote, before spec/planton-redesign.ts translates it into natskube's own fields.
// The message-level rules (users xor accounts, ...) are in spec/planton-redesign-rules.ts.

// Built on first use, not when the bundle starts: only kubernetes.planton.dev documents of the redesign and
// `natskube schema --planton-redesign` need it, and building it cost 1-7 ms of every `natskube` process
// (docs/performance.md).
function build() {
  /** Planton's size pattern, not Kubernetes' quantity: `10 Gi` passes (and then fails natskube's quantity check), `10` fails. */
  const SIZE = /^\d+(\.\d+)?\s?(Ki|Mi|Gi|Ti|Pi|Ei|K|M|G|T|P|E)$/;
  const size = (what: string) =>
    z.string().refine((v) => SIZE.test(v), {
      message: `${what} must be a size: digits, then one of Ki Mi Gi Ti Pi Ei K M G T P E`,
      params: { code: "quantity", hint: "For example 10Gi, 512Mi, 1.5Ti (Project Planton's pattern: no plain byte counts)." },
    })
    .meta({ pattern: SIZE.source });

  /** Usernames and account names: Secret keys and nats.conf names. */
  const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
  const name = (what: string) =>
    z.string().refine((v) => NAME.test(v), {
      message: `${what} must start with a letter or digit, then letters, digits, '.', '_' or '-', 64 characters at most`,
      params: { code: "format", hint: "For example: orders-service, team-a." },
    })
    .meta({ pattern: NAME.source });

  const port = z.number().int().min(1).max(65535);

  /** StringValueOrRef: a literal, or a reference Planton resolves before deploying (string_value_or_ref.non_empty). */
  const valueOrRef = z
    .strictObject({
      value: z.string().optional(),
      valueFrom: z
        .strictObject({ kind: z.union([z.string(), z.number()]).optional(), env: z.string().optional(), name: z.string().min(1), fieldPath: z.string().optional() })
        .optional(),
    })
    .refine((v) => (v.value !== undefined && v.value !== "") || v.valueFrom !== undefined, {
      message: "a non-empty value or a resource reference must be provided",
      params: { code: "required", hint: "Write {value: <name>}. A bare string does not parse in Project Planton's API." },
    });

  const cpuMemory = z.strictObject({ cpu: z.string().optional(), memory: z.string().optional() });
  const image = z.strictObject({ repo: z.string().optional(), tag: z.string().optional(), pullSecretName: z.string().optional() });
  const permissions = z.strictObject({
    publishAllow: z.array(z.string()).optional(),
    publishDeny: z.array(z.string()).optional(),
    subscribeAllow: z.array(z.string()).optional(),
    subscribeDeny: z.array(z.string()).optional(),
  });
  const user = z.strictObject({ username: name("username"), permissions: permissions.optional() });
  const listener = z.strictObject({ enabled: z.boolean().optional(), port: port.optional() });

  /** Enums by protojson value name or number. */
  const SERVICE_TYPES = ["cluster_ip", "load_balancer", "node_port"] as const;

  const redesignSpecSchema = z.strictObject({
    namespace: valueOrRef,
    createNamespace: z.boolean().optional(),
    chartVersion: z.string().optional(),
    cluster: z.strictObject({ enabled: z.boolean().optional(), replicas: z.number().int().min(2).max(9).optional() }).optional(),
    jetStream: z
      .strictObject({
        enabled: z.boolean().optional(),
        diskSize: size("diskSize").optional(),
        storageClass: valueOrRef.optional(),
        maxFileStore: size("maxFileStore").optional(),
        memoryStoreMaxSize: size("memoryStoreMaxSize").optional(),
      })
      .optional(),
    auth: z
      .strictObject({
        users: z.array(user).optional(),
        accounts: z.array(z.strictObject({ name: name("name"), users: z.array(user).min(1), jetStreamEnabled: z.boolean().optional() })).optional(),
        noAuthUser: z.string().optional(),
      })
      .optional(),
    tls: z.strictObject({ secretName: valueOrRef, verifyClients: z.boolean().optional() }).optional(),
    websocket: listener.optional(),
    mqtt: listener.optional(),
    leafnodes: listener.optional(),
    metrics: z.strictObject({ exporterEnabled: z.boolean().optional(), podMonitorEnabled: z.boolean().optional() }).optional(),
    natsBoxEnabled: z.boolean().optional(),
    resources: z.strictObject({ limits: cpuMemory.optional(), requests: cpuMemory.optional() }).optional(),
    service: z
      .strictObject({
        type: z.union([z.enum(SERVICE_TYPES), z.literal(0), z.literal(1), z.literal(2)]).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    scheduling: z
      .strictObject({
        nodeSelector: z.record(z.string(), z.string()).optional(),
        tolerations: z
          .array(
            z.strictObject({
              key: z.string().optional(),
              operator: z.enum(["", "Equal", "Exists"]).optional(),
              value: z.string().optional(),
              effect: z.enum(["", "NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
              // int64: protojson writes it as a string, and reads either.
              tolerationSeconds: z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).optional(),
            }),
          )
          .optional(),
      })
      .optional(),
    images: z.strictObject({ nats: image.optional(), reloader: image.optional(), exporter: image.optional(), natsBox: image.optional() }).optional(),
    helmValues: z.string().optional(),
  });

  return z.strictObject({
    apiVersion: z.enum(["kubernetes.planton.dev/v1", "kubernetes.planton.dev/v1alpha1"]),
    kind: z.enum(KINDS),
    metadata: metadataSchema,
    spec: redesignSpecSchema,
    status: z.unknown().optional(),
  });
}

let built: ReturnType<typeof build> | undefined;

/** The redesign's resource schema, built once, on first use. */
export function redesignResourceSchema(): ReturnType<typeof build> {
  built ??= build();
  return built;
}

export type RedesignSpec = z.output<ReturnType<typeof build>>["spec"];

/** Whether it has been built (test/unit/startup.test.ts: a render of natskube's own API must not build it). */
export const redesignSchemaBuilt = (): boolean => built !== undefined;

import type { IContainer } from "kubernetes-models/v1/Container";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { ParsedDocument } from "../check/document.js";
import type { AuthUser } from "../model/auth.js";
import type { Model } from "../model/model.js";
import { localTopology } from "../model/topology.js";
import { JETSTREAM_API_VERSION, type AccountCrSpec } from "../nack/crd-types.js";
import { renderParsed } from "../pipeline.js";
import { account } from "../render/nack/resources.js";
import type { KubeObject } from "../render/object.js";
import { podEnv } from "./pod-env.js";
import { SecretValues } from "./secret-values.js";
import { checkPrefix } from "./subjects-for.js";

export interface PlannedServer {
  pod: string;
  host: string;
  env: Record<string, string>;
  clientUrl: string;
  monitorUrl: string;
}

/** How a well-behaved client of this cluster authenticates. */
export type ClientAuth = { mode: "none" } | { mode: "token"; token: string } | { mode: "user"; user: string; pass: string };

export interface TlsPlan {
  /** Names the server certificate must carry (what cert-manager's Certificate requests, else the Service and pod names). */
  dnsNames: string[];
  /** Files the certificate volume puts in the server's directory: relative path -> content kind. */
  files: Record<string, "cert" | "key" | "ca">;
  routes: boolean;
}

/** Everything needed to run the rendered cluster on this machine, derived from the render alone. */
export interface LocalPlan {
  model: Model;
  objects: KubeObject[];
  /** The ConfigMap's nats.conf, rendered for the local topology. */
  confText: string;
  servers: PlannedServer[];
  auth: ClientAuth;
  /** Subjects anonymous clients may publish to, when a no-auth user exists. */
  anonymousPublish?: string[];
  /** Subjects anonymous clients may subscribe to (none unless the manifest lists some). */
  anonymousSubscribe?: string[];
  /** Every declared user and how it signs in (empty without auth.users or auth.accounts). */
  users: { user: AuthUser; auth: ClientAuth }[];
  /** The declared user verify signs in as (`auth`): the first, as Project Planton's end-to-end check does. */
  operator?: AuthUser;
  /** Subjects the messaging checks use, under what the signed-in user may publish and subscribe to. */
  messagingPrefix: string;
  /** How natskube signs in to the system account, when there is one. */
  system?: ClientAuth;
  /** How the NACK controller signs in, read as it reads it: the rendered Account's Secret keys. */
  nack?: ClientAuth;
  tls?: TlsPlan;
  /** The container's preStop command (lame duck mode), as rendered. */
  preStop?: string[];
  /** Path of the readiness probe: what a rolling update waits for between pods. */
  readinessPath: string;
  /** Path of the startup probe (checked after a restart), when there is one. */
  startupPath?: string;
  /** How long the kubelet lets the startup probe fail before it restarts the container (delay + period x threshold). */
  startupBudgetSeconds?: number;
  terminationGraceSeconds: number;
  secrets: SecretValues;
}

export const DEFAULT_FIRST_ADDRESS = "127.0.0.2";

/** `count` consecutive loopback addresses from `first` (127.0.0.2 by default: 127.0.0.1 stays free for anything else). */
export function loopbackAddresses(count: number, first = DEFAULT_FIRST_ADDRESS): string[] {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(first);
  const last = Number(m?.[3]);
  if (!m || Number(m[1]) > 255 || Number(m[2]) > 255 || last < 1 || last + count - 1 > 254)
    throw new Error(`cannot place ${count} servers from ${first}: addresses must stay within 127.x.y.1-254`);
  return Array.from({ length: count }, (_, i) => `127.${m[1]}.${m[2]}.${last + i}`);
}

export interface LocalPlanOptions {
  /** Address of the first server (127.0.0.2 by default); the others follow it. */
  firstAddress?: string;
  /** Values of Secret keys the render does not hold, `"secret/key"` -> value (see SecretValues). */
  secretValues?: Readonly<Record<string, string>>;
}

export function buildLocalPlan(parsed: ParsedDocument, opts: LocalPlanOptions = {}): LocalPlan {
  const replicas = parsed.resource?.spec.replicas ?? 0;
  const addresses = loopbackAddresses(replicas, opts.firstAddress);
  const rendered = renderParsed(parsed, { topology: localTopology(addresses) });
  if (!rendered) throw new Error("the manifest is not valid; nothing to verify");
  const { model: m, objects } = rendered;

  const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === m.names.config) as { data?: Record<string, string> } | undefined;
  const confText = cm?.data?.["nats.conf"];
  if (confText === undefined) throw new Error(`the render has no ConfigMap ${m.names.config} with nats.conf`);
  const sts = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === m.names.statefulSet) as IStatefulSet | undefined;
  const pod = sts?.spec?.template.spec;
  const container = pod?.containers.find((c) => c.name === "nats");
  if (!pod || !container) throw new Error(`the render has no StatefulSet ${m.names.statefulSet} with a nats container`);

  const secrets = new SecretValues(objects, opts.secretValues);
  const tlsOn = m.spec.tls.enabled;
  const servers = m.pods.map((name, i) => {
    const host = addresses[i]!;
    const env = podEnv(container, { podName: name, namespace: m.namespace, podIp: host, secrets, objects });
    // The address to listen on: the pod IP in Kubernetes, this server's loopback address here.
    if (m.topology.listenHostVar) env[m.topology.listenHostVar] = host;
    return {
      pod: name,
      host,
      env,
      clientUrl: m.clientUrlAt(host),
      monitorUrl: `${m.monitor.scheme}://${host}:${m.monitor.port}`,
    };
  });

  const a = m.spec.auth;
  const userAuth = (u: AuthUser): ClientAuth => ({ mode: "user", user: u.name, pass: secrets.get(m.names.authSecret, u.passwordKey) });
  // The first declared user, as Project Planton's own end-to-end check signs in.
  const operator = m.auth.users[0];
  const auth: ClientAuth =
    m.auth.kind === "none"
      ? { mode: "none" }
      : m.auth.kind === "token"
        ? { mode: "token", token: secrets.get(m.names.authSecret, a.tokenKey) }
        : operator
          ? userAuth(operator)
          : { mode: "user", user: secrets.get(m.names.authSecret, a.userKey), pass: secrets.get(m.names.authSecret, a.passwordKey) };
  const anonymous = anonymousAccess(m);
  const sys = m.auth.systemAccount;
  const preStop = container.lifecycle?.preStop?.exec?.command;
  const readiness = container.readinessProbe?.httpGet?.path;
  const startupProbe = container.startupProbe;
  const startup = startupProbe?.httpGet?.path;
  const startupBudget = (startupProbe?.initialDelaySeconds ?? 0) + (startupProbe?.periodSeconds ?? 10) * (startupProbe?.failureThreshold ?? 3);

  return {
    model: m,
    objects,
    confText,
    servers,
    auth,
    ...(anonymous ? { anonymousPublish: anonymous.publish, anonymousSubscribe: anonymous.subscribe } : {}),
    users: m.auth.users.map((u) => ({ user: u, auth: userAuth(u) })),
    messagingPrefix: checkPrefix(operator),
    ...(operator ? { operator } : {}),
    ...(sys ? { system: { mode: "user", user: sys.user, pass: secrets.get(sys.secret, sys.passwordKey) } } : {}),
    ...nackAccess(m, objects, secrets),
    ...(tlsOn ? { tls: tlsPlan(m, objects, container, pod.volumes ?? []) } : {}),
    ...(preStop ? { preStop } : {}),
    readinessPath: readiness ?? "/healthz",
    ...(startup ? { startupPath: startup, startupBudgetSeconds: startupBudget } : {}),
    terminationGraceSeconds: pod.terminationGracePeriodSeconds ?? 30,
    secrets,
  };
}

type Volume = NonNullable<NonNullable<IStatefulSet["spec"]>["template"]["spec"]>["volumes"] extends (infer V)[] | undefined ? V : never;

function tlsPlan(m: Model, objects: readonly KubeObject[], container: IContainer, volumes: Volume[]): TlsPlan {
  const certDir = m.topology.paths.certDir;
  const mount = container.volumeMounts?.find((vm) => vm.mountPath === certDir);
  const volume = volumes.find((v) => v.name === mount?.name);
  // Without items a Secret volume holds every key of the Secret: cert-manager writes these three.
  const items = volume?.secret?.items ?? [
    { key: "tls.crt", path: "tls.crt" },
    { key: "tls.key", path: "tls.key" },
    { key: "ca.crt", path: "ca.crt" },
  ];
  const files: TlsPlan["files"] = {};
  for (const it of items) files[`${certDir}/${it.path}`] = it.key === "tls.crt" ? "cert" : it.key === "tls.key" ? "key" : "ca";
  return { dnsNames: certificateDnsNames(m, objects), files, routes: m.tls?.routes ?? false };
}

/** The names cert-manager's Certificate asks for; without one, the Service names and every pod's stable name. */
function certificateDnsNames(m: Model, objects: readonly KubeObject[]): string[] {
  const cert = objects
    .filter((o) => o.kind === "Certificate" && o.apiVersion.startsWith("cert-manager.io/"))
    .map((o) => o as unknown as { spec?: { secretName?: string; dnsNames?: string[] } })
    .find((c) => c.spec?.secretName === m.names.tlsSecret);
  const requested = cert?.spec?.dnsNames;
  if (requested?.length) return [...requested];
  const headless = m.names.headless;
  return [...m.dns.client, `*.${headless}`, `*.${m.dns.headlessFqdn}`, ...m.pods.map((p) => `${p}.${headless}`)];
}

/** What a client without credentials may do: the shared mode's restricted user, or the declared user it becomes. */
function anonymousAccess(m: Model): { publish: string[]; subscribe: string[] } | undefined {
  const shared = m.auth.sharedNoAuth;
  if (shared) return { publish: shared.publishSubjects, subscribe: shared.subscribeSubjects };
  const user = m.auth.users.find((u) => u.name === m.auth.noAuthUser);
  if (!user) return undefined;
  const allowed = (list: string[] | undefined) => (list?.length ? list : [">"]);
  return { publish: allowed(user.permissions?.publish?.allow), subscribe: allowed(user.permissions?.subscribe?.allow) };
}

/** The credentials of the NACK Account resource (rendered, or what the renderer would write), from its Secret's keys. */
function nackAccess(m: Model, objects: readonly KubeObject[], secrets: SecretValues): { nack?: ClientAuth } {
  const rendered = objects.find((o) => o.kind === "Account" && o.apiVersion === JETSTREAM_API_VERSION) as { spec?: AccountCrSpec } | undefined;
  const spec = rendered?.spec ?? (m.assets.all.length > 0 ? account(m) : undefined);
  if (!spec) return {};
  if (spec.token) return { nack: { mode: "token", token: secrets.get(spec.token.secret.name, spec.token.token) } };
  const user = spec.user;
  if (!user) return { nack: { mode: "none" } };
  // The key holding NACK's declared user holds its name (no secret), in the cluster as here.
  const declared = m.auth.nack;
  const name =
    declared && user.secret.name === m.names.authSecret && user.user === declared.userKey
      ? secrets.plain(user.secret.name, user.user, declared.user.name)
      : secrets.get(user.secret.name, user.user);
  return { nack: { mode: "user", user: name, pass: secrets.get(user.secret.name, user.password) } };
}

import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { CERT_FILES } from "../conf/tls.js";
import { pullSecrets } from "../model/images.js";
import { operatingUser } from "../model/auth.js";
import { PORTS, type Model } from "../model/model.js";
import { objectMeta } from "./object.js";
import { containerSecurityContext, podSecurityContext } from "./pod/security.js";
import { keyPairItems } from "./pod/tls-volumes.js";

export const NATS_BOX_COMPONENT = "nats-box";
/** The context `nats` uses when none is named; the entrypoint selects it. */
export const CONTEXT_NAME = "default";
export const CONTEXTS_DIR = "/etc/nats-contexts";
/** A writable emptyDir: the root filesystem is read-only, and the CLI keeps its context links and state here. */
export const HOME_DIR = "/home/nats-box";

/**
 * Environment the nats CLI reads as `--user` and `--password`. With NATS_USER alone it sends the
 * value as a token (natscli: a user without a password is a token), which is how TOKEN mode works.
 */
export const NATS_CLI_ENV = { user: "NATS_USER", password: "NATS_PASSWORD" } as const;

/** A natscli context file: only the keys natskube writes. Credentials never go here. */
export interface NatsContext {
  description: string;
  url: string;
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * The client Service, as clientUrlInternal names it. Under the local topology (`verify` and tests)
 * there is no Service: the context lists every server, as the Service would reach any of them.
 */
export function contextUrl(m: Model): string {
  if (m.topology.kind !== "local") return m.clientUrl;
  return m.pods.map((pod, i) => m.clientUrlAt(m.topology.routeHost(i, pod))).join(",");
}

/** The CA file inside nats-box, when the TLS Secret holds one; otherwise the system roots verify the server. */
export function contextCaPath(m: Model): string | undefined {
  return m.tls?.caKey ? `${m.topology.paths.certDir}/${CERT_FILES.ca}` : undefined;
}

export function natsContext(m: Model): NatsContext {
  const ca = contextCaPath(m);
  return {
    description: `${m.namespace}/${m.name} (rendered by natskube)`,
    url: contextUrl(m),
    ...(ca ? { ca } : {}),
    ...(m.tls?.client ? { cert: `${m.topology.paths.clientCertDir}/${CERT_FILES.cert}`, key: `${m.topology.paths.clientCertDir}/${CERT_FILES.key}` } : {}),
  };
}

export function natsBoxContexts(m: Model): ISecret | undefined {
  if (!m.spec.natsBox.enabled) return undefined;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: objectMeta(m, m.names.natsBoxContexts, m.componentLabels(NATS_BOX_COMPONENT).labels),
    type: "Opaque",
    stringData: { [`${CONTEXT_NAME}.json`]: `${JSON.stringify(natsContext(m), null, 2)}\n` },
  };
}

/** Credentials as secretKeyRefs into the auth Secret: the pod spec and the context never hold a value. */
export function natsBoxEnv(m: Model): IEnvVar[] {
  const home = [
    { name: "HOME", value: HOME_DIR },
    // The image points these at its own directories, which a read-only root filesystem cannot write.
    { name: "XDG_CONFIG_HOME", value: `${HOME_DIR}/.config` },
    { name: "XDG_DATA_HOME", value: `${HOME_DIR}/.local/share` },
    { name: "NKEYS_PATH", value: `${HOME_DIR}/nkeys` },
  ];
  const a = m.spec.auth;
  const ref = (name: string, key: string): IEnvVar => ({ name, valueFrom: { secretKeyRef: { name: m.names.authSecret, key } } });
  const user = operatingUser(m.auth);
  switch (m.auth.kind) {
    case "none":
      return home;
    case "token":
      return [...home, ref(NATS_CLI_ENV.user, a.tokenKey)];
    case "shared-user":
      return [...home, ref(NATS_CLI_ENV.user, a.userKey), ref(NATS_CLI_ENV.password, a.passwordKey)];
    case "users":
      // A user name is no secret; the Secret holds only passwords.
      return [...home, { name: NATS_CLI_ENV.user, value: user!.name }, ref(NATS_CLI_ENV.password, user!.passwordKey)];
  }
}

/** Links the mounted contexts where the CLI looks for them and selects the default one, then runs the arguments. */
const ENTRYPOINT = [
  'mkdir -p "$XDG_CONFIG_HOME/nats"',
  'cd "$XDG_CONFIG_HOME/nats"',
  `[ -e context ] || ln -s ${CONTEXTS_DIR} context`,
  `[ -f context.txt ] || printf %s ${CONTEXT_NAME} > context.txt`,
  'cd "$HOME"',
  'exec "$@"',
].join("\n");

function volumes(m: Model): { volumes: IVolume[]; mounts: IVolumeMount[] } {
  const vols: IVolume[] = [
    { name: "contexts", secret: { secretName: m.names.natsBoxContexts } },
    { name: "home", emptyDir: {} },
    { name: "tmp", emptyDir: {} },
  ];
  const mounts: IVolumeMount[] = [
    { name: "contexts", mountPath: CONTEXTS_DIR, readOnly: true },
    { name: "home", mountPath: HOME_DIR },
    { name: "tmp", mountPath: "/tmp" },
  ];
  const caKey = m.tls?.caKey;
  if (caKey) {
    // Only the CA: the same Secret holds the server's private key, which has no business in a client pod.
    vols.push({ name: "tls-ca", secret: { secretName: m.names.tlsSecret, items: [{ key: caKey, path: CERT_FILES.ca }] } });
    mounts.push({ name: "tls-ca", mountPath: m.topology.paths.certDir, readOnly: true });
  }
  const client = m.tls?.client;
  if (client) {
    vols.push({ name: "tls-client", secret: { secretName: client.secretName, items: keyPairItems() } });
    mounts.push({ name: "tls-client", mountPath: m.topology.paths.clientCertDir, readOnly: true });
  }
  return { volumes: vols, mounts };
}

export function natsBoxDeployment(m: Model): IDeployment | undefined {
  const box = m.spec.natsBox;
  if (!box.enabled) return undefined;
  const { labels, selector } = m.componentLabels(NATS_BOX_COMPONENT);
  const v = volumes(m);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: objectMeta(m, m.names.natsBox, labels),
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels, ...(Object.keys(m.annotations).length ? { annotations: m.annotations } : {}) },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurityContext(),
          ...pullSecrets(m.images),
          containers: [
            {
              name: NATS_BOX_COMPONENT,
              image: m.images.natsBox,
              ...(box.image.pullPolicy ? { imagePullPolicy: box.image.pullPolicy } : {}),
              command: ["sh", "-ec", ENTRYPOINT, "--"],
              // The image's WORKDIR is /root (0700, root's): as UID 1000 `kubectl exec` would land in a directory it can
              // neither list nor write, and a runtime that changes directory after dropping privileges refuses to start.
              workingDir: HOME_DIR,
              // Idle until someone runs `kubectl exec`; the trap lets SIGTERM end the pod at once.
              args: ["sh", "-ec", "trap true INT TERM; sleep infinity & wait"],
              env: natsBoxEnv(m),
              resources: box.resources ?? { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
              securityContext: containerSecurityContext(),
              volumeMounts: v.mounts,
            },
          ],
          volumes: v.volumes,
        },
      },
    },
  };
}

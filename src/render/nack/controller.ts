import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IPolicyRule } from "kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { CERT_FILES } from "../../conf/tls.js";
import { pullSecrets, versionLabel } from "../../model/images.js";
import type { Model } from "../../model/model.js";
import { sortKeys } from "../../model/model.js";
import { JETSTREAM_GROUP } from "../../nack/crd-types.js";
import { objectMeta, type KubeObject } from "../object.js";
import { containerSecurityContext, podSecurityContext } from "../pod/security.js";
import { keyPairItems } from "../pod/tls-volumes.js";
import { nackNames } from "./connection.js";

/** The controller keeps its working files (CAs and credentials it reads from Secrets) here: an emptyDir, the root filesystem is read-only. */
const WORK_DIR = "/nack";
const CA_DIR = "/etc/nats-ca";
const CA_FILE = "ca.crt";
/** The client certificate and key it presents under tls.verifyClients. */
const CLIENT_DIR = "/etc/nats-client";
const HEALTH_PORT = 8081;

/** The chart's rules (nack 0.34.0): events, Secrets (Account credentials), and every jetstream.nats.io resource. */
export const NACK_RULES: IPolicyRule[] = [
  { apiGroups: [""], resources: ["events"], verbs: ["create", "update", "patch"] },
  { apiGroups: [""], resources: ["secrets"], verbs: ["get", "watch", "list"] },
  {
    apiGroups: [JETSTREAM_GROUP],
    resources: ["streams", "consumers", "keyvalues", "objectstores", "streamtemplates", "accounts"].flatMap((r) => [r, `${r}/status`]),
    verbs: ["create", "get", "list", "watch", "patch", "update", "delete"],
  },
];

function labels(m: Model) {
  const c = m.componentLabels("nack");
  return { selector: c.selector, labels: sortKeys({ ...c.labels, "app.kubernetes.io/version": versionLabel(m.spec.nack.image.tag) }) };
}

/**
 * The NACK JetStream controller: ServiceAccount, RBAC (a Role in its own namespace unless
 * nack.namespaced is false) and a single-replica Deployment. Nothing when nack is disabled.
 */
export function nackController(m: Model): KubeObject[] {
  if (!m.spec.nack.enabled) return [];
  const n = nackNames(m);
  const { labels: l } = labels(m);
  const meta = (name: string) => objectMeta(m, name, l);
  const namespaced = m.spec.nack.namespaced;
  const subject = { kind: "ServiceAccount", name: n.serviceAccount, namespace: m.namespace };
  const rbac: KubeObject[] = namespaced
    ? [
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta(n.role), rules: NACK_RULES },
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: meta(n.role), subjects: [subject], roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: n.role } },
      ]
    : [
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: clusterMeta(m, n.clusterRole, l), rules: NACK_RULES },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRoleBinding",
          metadata: clusterMeta(m, n.clusterRole, l),
          subjects: [subject],
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: n.clusterRole },
        },
      ];
  // The controller talks to the Kubernetes API, so its token is mounted (the default).
  const sa: KubeObject = { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(n.serviceAccount) };
  return [sa, ...rbac, deployment(m) as KubeObject];
}

function clusterMeta(m: Model, name: string, l: Record<string, string>) {
  const { namespace: _ns, ...rest } = objectMeta(m, name, l);
  return rest;
}

/** How the controller connects: where, and which CA it trusts. Credentials come from the Account resource, never from here. */
function connection(m: Model): { args: string[]; volumes: IVolume[]; mounts: IVolumeMount[] } {
  const legacyWithAuth = m.spec.auth.enabled && !m.spec.nack.controlLoop;
  // Without the control loop, NACK reads Account credentials only in --crd-connect mode, where
  // every connection comes from the resource's Account (servers, Secret, CA) and -s is unused.
  if (legacyWithAuth) return { args: ["--crd-connect"], volumes: [], mounts: [] };
  const args = [`-s=${m.clientUrl}`];
  const caKey = m.tls?.caKey;
  if (!m.spec.tls.enabled || !caKey) return { args, volumes: [], mounts: [] };
  // Only the CA certificate of the TLS Secret: the controller needs no server key.
  const volumes: IVolume[] = [{ name: "nats-ca", secret: { secretName: m.names.tlsSecret, items: [{ key: caKey, path: CA_FILE }] } }];
  const mounts: IVolumeMount[] = [{ name: "nats-ca", mountPath: CA_DIR, readOnly: true }];
  args.push(`--tlsca=${CA_DIR}/${CA_FILE}`);
  const client = m.tls?.client;
  if (client) {
    volumes.push({ name: "nats-client", secret: { secretName: client.secretName, items: keyPairItems() } });
    mounts.push({ name: "nats-client", mountPath: CLIENT_DIR, readOnly: true });
    args.push(`--tlscert=${CLIENT_DIR}/${CERT_FILES.cert}`, `--tlskey=${CLIENT_DIR}/${CERT_FILES.key}`);
  }
  return { args, volumes, mounts };
}

function deployment(m: Model): IDeployment {
  const nack = m.spec.nack;
  const n = nackNames(m);
  const { labels: l, selector } = labels(m);
  const conn = connection(m);
  const args = [
    ...conn.args,
    ...(nack.namespaced ? [`--namespace=${m.namespace}`] : []),
    ...(nack.controlLoop ? ["--control-loop", `--health-probe-bind-address=:${HEALTH_PORT}`] : []),
  ];
  const probe = (path: string, period: number) => ({ httpGet: { path, port: "health" }, initialDelaySeconds: 5, periodSeconds: period, timeoutSeconds: 5, failureThreshold: 3 });
  const container: IContainer = {
    name: "jsc",
    image: m.images.nack,
    ...(nack.image.pullPolicy ? { imagePullPolicy: nack.image.pullPolicy } : {}),
    workingDir: WORK_DIR,
    command: ["/jetstream-controller"],
    args,
    env: [
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
    ],
    ...(nack.controlLoop
      ? { ports: [{ name: "health", containerPort: HEALTH_PORT }], livenessProbe: probe("/healthz", 20), readinessProbe: probe("/readyz", 10) }
      : {}),
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    securityContext: containerSecurityContext(),
    volumeMounts: [{ name: "work", mountPath: WORK_DIR }, ...conn.mounts],
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: objectMeta(m, n.deployment, l),
    spec: {
      // One controller: without leader election a second pod would reconcile the same resources.
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: l, ...(Object.keys(m.annotations).length ? { annotations: m.annotations } : {}) },
        spec: {
          serviceAccountName: n.serviceAccount,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 30,
          securityContext: podSecurityContext(),
          ...pullSecrets(m.images),
          containers: [container],
          volumes: [{ name: "work", emptyDir: {} }, ...conn.volumes],
        },
      },
    },
  };
}

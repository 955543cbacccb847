import { isRaw, type ConfBlock, type ConfValue } from "../conf/value.js";
import { JS_VOLUME } from "../model/model.js";
import type { KubeObject } from "../render/object.js";
import { isPlainObject } from "./diff.js";
import { keyOf, type PlanSide } from "./inputs.js";
import { objectKey } from "./types.js";

/** The JetStream data volume's claim template name (as in the official chart). */

export type JetStreamMode = "off" | "FILE" | "MEMORY";
export type AuthKind = "none" | "token" | "users" | "other";

/** What the plan needs to know about one NATS cluster, read from rendered objects only (so OLD may be a render). */
export interface ClusterFacts {
  key: string;
  namespace: string;
  /** StatefulSet name; pods are `<name>-<i>` and, as rendered, server names are the pod names. */
  name: string;
  replicas: number;
  selector: Record<string, string>;
  updateStrategy: "RollingUpdate" | "OnDelete";
  partition: number;
  /** Pods the StatefulSet may take down at once while rolling (1 unless maxUnavailable is set). */
  maxUnavailable: number;
  /** podManagementPolicy Parallel (natskube and the chart): a pod that is not Ready does not hold the rollout back. */
  parallel: boolean;
  jetstream: JetStreamMode;
  pvcSize?: string;
  storageClass?: string;
  conf?: ConfBlock;
  confKey?: string;
  clusterName?: string;
  routeTls: boolean;
  clientTls: boolean;
  auth: AuthKind;
  /** nats-box Deployment in the same namespace, to run `nats` commands from. */
  natsBox?: string;
  /** Secrets the nats container reads through env (credentials): read only at container start. */
  envSecrets: string[];
  /** Env var names and mount paths of the nats container: what a reload of nats.conf can refer to. */
  envNames: string[];
  mountPaths: string[];
}

const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function podSpec(sts: KubeObject): Record<string, unknown> {
  return obj(obj(obj(sts.spec).template).spec);
}

/** A StatefulSet is a NATS cluster when it runs a container named `nats` (natskube and the official chart). */
export function isNatsStatefulSet(o: KubeObject): boolean {
  return o.kind === "StatefulSet" && list(podSpec(o).containers).some((c) => obj(c).name === "nats");
}

export function clusterFacts(side: PlanSide): ClusterFacts[] {
  return side.objects.filter(isNatsStatefulSet).map((sts) => factsOf(sts, side));
}

function factsOf(sts: KubeObject, side: PlanSide): ClusterFacts {
  const spec = obj(sts.spec);
  const ns = sts.metadata.namespace ?? "";
  const pod = podSpec(sts);
  const strategy = obj(spec.updateStrategy);
  const rolling = obj(strategy.rollingUpdate);
  const claim = list(spec.volumeClaimTemplates).map(obj).find((t) => obj(t.metadata).name === JS_VOLUME);
  const claimSpec = claim ? obj(claim.spec) : undefined;
  const configName = list(pod.volumes)
    .map(obj)
    .map((v) => obj(v.configMap).name)
    .find((n): n is string => typeof n === "string" && side.confs.has(objectKey({ kind: "ConfigMap", namespace: ns, name: n })));
  const confKey = configName ? objectKey({ kind: "ConfigMap", namespace: ns, name: configName }) : undefined;
  const conf = confKey ? side.confs.get(confKey) : undefined;
  const cluster = conf ? obj(conf.cluster) : {};
  const js = conf?.jetstream;
  const jsOn = conf ? isPlainObject(js) || js === true : claim !== undefined;
  const nats = list(pod.containers).map(obj).find((c) => c.name === "nats") ?? {};
  const envSecrets = list(nats.env)
    .map((e) => obj(obj(obj(e).valueFrom).secretKeyRef).name)
    .filter((n): n is string => typeof n === "string");
  return {
    key: keyOf(sts),
    namespace: ns,
    name: sts.metadata.name,
    replicas: typeof spec.replicas === "number" ? spec.replicas : 1,
    selector: obj(obj(spec.selector).matchLabels) as Record<string, string>,
    updateStrategy: strategy.type === "OnDelete" ? "OnDelete" : "RollingUpdate",
    partition: typeof rolling.partition === "number" ? rolling.partition : 0,
    maxUnavailable: typeof rolling.maxUnavailable === "number" ? rolling.maxUnavailable : 1,
    parallel: spec.podManagementPolicy === "Parallel",
    jetstream: !jsOn ? "off" : claim ? "FILE" : "MEMORY",
    ...(typeof obj(obj(claimSpec?.resources).requests).storage === "string" ? { pvcSize: obj(obj(claimSpec?.resources).requests).storage as string } : {}),
    ...(typeof claimSpec?.storageClassName === "string" ? { storageClass: claimSpec.storageClassName } : {}),
    ...(conf ? { conf } : {}),
    ...(confKey ? { confKey } : {}),
    ...(typeof cluster.name === "string" ? { clusterName: cluster.name } : {}),
    routeTls: isPlainObject(cluster.tls) || list(cluster.routes).some((r) => typeof r === "string" && r.startsWith("tls://")),
    clientTls: conf !== undefined && isPlainObject(conf.tls),
    auth: authKind(conf),
    ...natsBoxOf(side, ns, sts.metadata.name),
    envSecrets: [...new Set(envSecrets)],
    envNames: list(nats.env).map((e) => obj(e).name).filter((n): n is string => typeof n === "string"),
    mountPaths: list(nats.volumeMounts).map((m) => obj(m).mountPath).filter((p): p is string => typeof p === "string"),
  };
}

function authKind(conf: ConfBlock | undefined): AuthKind {
  if (!conf) return "none";
  const a = conf.authorization;
  if (isPlainObject(a)) {
    if (a.token !== undefined) return "token";
    if (a.users !== undefined || a.user !== undefined) return "users";
    return "other";
  }
  return conf.accounts !== undefined || conf.operator !== undefined ? "other" : "none";
}

function natsBoxOf(side: PlanSide, ns: string, name: string): { natsBox?: string } {
  const box = side.objects.find(
    (o) =>
      o.kind === "Deployment" &&
      (o.metadata.namespace ?? "") === ns &&
      (o.metadata.name === `${name}-box` || o.metadata.labels?.["app.kubernetes.io/component"] === "nats-box"),
  );
  return box ? { natsBox: box.metadata.name } : {};
}

/** A conf value as text, for messages. */
export function confText(v: ConfValue | undefined): string {
  if (v === undefined) return "(unset)";
  if (isRaw(v)) return v.raw;
  return typeof v === "string" ? v : JSON.stringify(v);
}

export const pods = (f: ClusterFacts, from: number, to: number): string[] => {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`${f.name}-${i}`);
  return out;
};

import type { IContainer } from "kubernetes-models/v1/Container";
import type { KubeObject } from "../render/object.js";
import type { SecretValues } from "./secret-values.js";

export interface PodContext {
  podName: string;
  namespace: string;
  /** The pod's address: the server's loopback address locally. */
  podIp: string;
  secrets: SecretValues;
  objects: readonly KubeObject[];
}

/**
 * The environment Kubernetes would give `container` in this pod, derived from the rendered env
 * (not a copy of what natskube means to render): fieldRefs, Secret and ConfigMap references, and
 * `$(VAR)` expansion of earlier variables, with `$$` as the escape, as the kubelet does.
 */
export function podEnv(container: IContainer, ctx: PodContext): Record<string, string> {
  if (container.envFrom?.length) throw new Error(`container ${container.name}: envFrom is not supported by verify`);
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = expand(e.value, env);
    else if (e.valueFrom) env[e.name] = fromSource(e.name, e.valueFrom, ctx);
    else env[e.name] = "";
  }
  return env;
}

function fromSource(name: string, from: NonNullable<NonNullable<IContainer["env"]>[number]["valueFrom"]>, ctx: PodContext): string {
  if (from.fieldRef) {
    const field = from.fieldRef.fieldPath;
    switch (field) {
      case "metadata.name":
        return ctx.podName;
      case "metadata.namespace":
        return ctx.namespace;
      case "status.podIP":
      case "status.hostIP":
        return ctx.podIp;
      case "spec.nodeName":
        return "localhost";
      default:
        throw new Error(`env ${name}: fieldRef ${field} is not supported by verify`);
    }
  }
  if (from.secretKeyRef) return ctx.secrets.get(from.secretKeyRef.name ?? "", from.secretKeyRef.key);
  if (from.configMapKeyRef) {
    const { name: cm = "", key } = from.configMapKeyRef;
    const obj = ctx.objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === cm) as { data?: Record<string, string> } | undefined;
    const v = obj?.data?.[key];
    if (v === undefined) throw new Error(`env ${name}: ConfigMap ${cm} key ${key} is not in the render`);
    return v;
  }
  throw new Error(`env ${name}: this kind of valueFrom is not supported by verify`);
}

/** Kubernetes dependent variables: `$(NAME)` of an earlier variable is replaced, `$$` is a literal `$`. */
export function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === "$$") return "$";
    return name !== undefined && name in env ? env[name]! : match;
  });
}

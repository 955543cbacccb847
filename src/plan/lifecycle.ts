import { PORTS } from "../model/model.js";
import { change, type ObjectContext } from "./change.js";
import { isPlainObject } from "./diff.js";
import { isNatsStatefulSet } from "./facts.js";
import { applyStep } from "./procedures.js";
import type { KubeObject } from "../render/object.js";
import type { Change } from "./types.js";

const PRUNE_NOTE = "Removed from the render: plain kubectl apply leaves it running unmanaged; Argo CD/Flux pruning or kubectl apply --prune deletes it.";
const KEEP = "To keep it while pruning: annotate it argocd.argoproj.io/sync-options=Prune=false (Argo CD) or kustomize.toolkit.fluxcd.io/prune=disabled (Flux).";

export const isNackKind = (o: { apiVersion?: unknown; kind: string }): boolean =>
  typeof o.apiVersion === "string" && o.apiVersion.startsWith("jetstream.nats.io/");

/** A new object: created as is; a NetworkPolicy starts dropping traffic it does not allow. */
export function createChanges(ctx: ObjectContext): Change[] {
  if (ctx.kind === "NetworkPolicy")
    return [
      change("in-place", "attention", "new NetworkPolicy: traffic it does not allow is dropped from now on", [""], [
        "Check that every client namespace and the monitoring namespace are allowed before applying.",
      ]),
    ];
  return [change("in-place", "safe", "new object, created", [""])];
}

/** An object NEW no longer renders: what deleting it (when pruned) does. */
export function deleteChanges(ctx: ObjectContext): Change[] {
  const o = ctx.before as unknown as KubeObject;
  const ns = o.metadata.namespace ?? "";
  if (ctx.kind === "Namespace")
    return [
      change("data-loss", "disruptive", "deleting the Namespace deletes everything in it, JetStream PVCs included", [""], [PRUNE_NOTE, "With createNamespace false, natskube stops rendering the Namespace; it must not be pruned."], [
        KEEP,
        applyStep(ctx.newFile),
      ]),
    ];
  if (isNackKind(o) && ["Stream", "KeyValue", "ObjectStore"].includes(ctx.kind)) {
    const spec = isPlainObject(o.spec) ? o.spec : {};
    const name = typeof spec.name === "string" ? spec.name : typeof spec.bucket === "string" ? spec.bucket : o.metadata.name;
    if (spec.preventDelete === true)
      return [change("in-place", "attention", `CR removed; NACK keeps the ${ctx.kind} "${name}" (preventDelete) but stops managing it`, [""], [PRUNE_NOTE])];
    const resource = `${ctx.kind.toLowerCase()}.jetstream.nats.io`;
    return [
      change("data-loss", "disruptive", `NACK deletes the ${ctx.kind} "${name}" and every message in it when the CR is deleted`, [""], [PRUNE_NOTE], [
        `Keep the data: set preventDelete on the live CR first: kubectl patch ${resource} ${o.metadata.name} -n ${ns} --type merge -p '{"spec":{"preventDelete":true}}'`,
        ...(ctx.kind === "Stream" ? [`Or back it up: nats stream backup ${name} /tmp/backup/${name}`] : []),
        applyStep(ctx.newFile),
      ]),
    ];
  }
  if (isNackKind(o) && ctx.kind === "Consumer")
    return [change("in-place", "attention", "NACK deletes the durable consumer: its delivery position and pending acks are lost", [""], [PRUNE_NOTE])];
  if (ctx.kind === "StatefulSet" && isNatsStatefulSet(o))
    return [
      change("topology", "disruptive", "every NATS server of this StatefulSet stops when it is deleted (its PVCs stay)", [""], [PRUNE_NOTE]),
    ];
  if (ctx.kind === "Service" && servesNats(o))
    return [change("in-place", "disruptive", "clients (or peers) that use this Service lose it when it is deleted", [""], [PRUNE_NOTE])];
  if (ctx.kind === "Ingress") return [change("in-place", "disruptive", "WebSocket clients behind this Ingress are cut off when it is deleted", [""], [PRUNE_NOTE])];
  if ((ctx.kind === "Secret" || ctx.kind === "ConfigMap") && usedByNewPods(ctx, o.metadata.name))
    return [
      change("in-place", "disruptive", `NEW pods still use this ${ctx.kind}: once it is deleted they cannot start`, [""], [PRUNE_NOTE], [KEEP, applyStep(ctx.newFile)]),
    ];
  return [change("in-place", "attention", "removed from the render", [""], [PRUNE_NOTE])];
}

function servesNats(o: KubeObject): boolean {
  const ports = isPlainObject(o.spec) && Array.isArray(o.spec.ports) ? o.spec.ports : [];
  return ports.some((p) => isPlainObject(p) && (p.port === PORTS.client || p.port === PORTS.cluster || p.name === "nats" || p.name === "cluster"));
}

/** Whether a NEW StatefulSet or Deployment in the same namespace mounts or reads the named Secret/ConfigMap. */
function usedByNewPods(ctx: ObjectContext, name: string): boolean {
  const ns = (ctx.before as unknown as KubeObject).metadata.namespace ?? "";
  const needle = JSON.stringify(name);
  return ctx.newSide.objects.some(
    (o) =>
      (o.kind === "StatefulSet" || o.kind === "Deployment") &&
      (o.metadata.namespace ?? "") === ns &&
      refs(o.spec).includes(needle),
  );
}

/** Names referenced as secretName, configMap.name or secretKeyRef.name, as JSON strings. */
function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refs(x, out));
  else if (isPlainObject(v)) {
    if (typeof v.secretName === "string") out.push(JSON.stringify(v.secretName));
    for (const k of ["configMap", "secret", "secretKeyRef", "configMapKeyRef", "configMapRef", "secretRef"]) {
      const ref = v[k];
      if (isPlainObject(ref) && typeof ref.name === "string") out.push(JSON.stringify(ref.name));
    }
    Object.values(v).forEach((x) => refs(x, out));
  }
  return out;
}

export { refs as referencedNames };

import type { KubeObject } from "../render/object.js";
import { change, PARTIAL_APPLY, type ObjectContext } from "./change.js";
import { pathString, under, type FieldDiff } from "./diff.js";
import { isNatsStatefulSet } from "./facts.js";
import { isNackKind, referencedNames } from "./lifecycle.js";
import { clientCertificateChanges } from "./client-access.js";
import { confChanges } from "./conf-changes.js";
import { volumeClaimChanges } from "./volume-claims.js";
import { allReadyFirst, applyStep, deleteRecreate, orphanRecreate, rolloutRestart, rolloutStatus } from "./procedures.js";
import { restartImpact } from "./rolling.js";
import type { Change } from "./types.js";

const paths = (ds: readonly FieldDiff[]): string[] => ds.map((d) => pathString(d.segs));

/**
 * StatefulSet spec fields the API server lets an update change; any other spec field is rejected
 * ("updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template',
 * 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden").
 */
const STS_MUTABLE = new Set(["replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"]);

/** Classified changes of an object present on both sides. */
export function updateChanges(ctx: ObjectContext): Change[] {
  const meta = ctx.diffs.filter((d) => under(d.segs, "metadata"));
  const rest = ctx.diffs.filter((d) => !under(d.segs, "metadata"));
  const out: Change[] = [];
  if (meta.length) out.push(change("in-place", "safe", rest.length ? "labels/annotations updated in place" : "labels/annotations only, updated in place", paths(meta)));
  if (rest.length === 0) return out;
  const kindRules: Record<string, (c: ObjectContext, ds: FieldDiff[]) => Change[]> = {
    StatefulSet: statefulSetChanges,
    Deployment: deploymentChanges,
    Service: serviceChanges,
    ConfigMap: configMapChanges,
    Secret: secretChanges,
  };
  const rule = kindRules[ctx.kind] ?? (isNackKind(ctx.after as unknown as KubeObject) ? nackChanges : undefined);
  if (rule) out.push(...rule(ctx, rest));
  else out.push(change("in-place", "safe", ctx.kind === "PodDisruptionBudget" ? "PodDisruptionBudget (policy/v1) updated in place, selector included" : "updated in place", paths(rest)));
  return out;
}

function statefulSetChanges(ctx: ObjectContext, ds: FieldDiff[]): Change[] {
  const out: Change[] = [];
  const nats = isNatsStatefulSet(ctx.after as unknown as KubeObject);
  const template = ds.filter((d) => under(d.segs, "spec", "template"));
  const replicas = ds.filter((d) => under(d.segs, "spec", "replicas"));
  const claims = ds.filter((d) => under(d.segs, "spec", "volumeClaimTemplates"));
  const fixed = ds.filter((d) => under(d.segs, "spec") && d.segs.length >= 2 && !STS_MUTABLE.has(String(d.segs[1])) && !claims.includes(d));
  const other = ds.filter((d) => !template.includes(d) && !replicas.includes(d) && !claims.includes(d) && !fixed.includes(d));
  if (template.length) {
    if (nats && ctx.oldCluster) {
      const impact = restartImpact(ctx.oldCluster);
      out.push(
        change("rolling-restart", impact.severity, `pod template changed: rolling restart (${impact.quorum})`, ["spec.template"], impact.details, [
          ...allReadyFirst(ctx.oldCluster),
          applyStep(ctx.newFile),
          rolloutStatus(ctx.oldCluster),
        ]),
      );
      if (impact.dataLoss) out.push(change("data-loss", "disruptive", "the restart loses the messages of MEMORY streams (single server)", ["spec.template"]));
    } else out.push(change("rolling-restart", "attention", "pod template changed: pods are replaced one at a time", ["spec.template"]));
  }
  // NATS replica changes are topology changes (topology.ts); elsewhere they just scale.
  if (replicas.length && !nats) out.push(change("in-place", "safe", "scaled in place", ["spec.replicas"]));
  if (claims.length) out.push(...volumeClaimChanges(ctx, paths(claims)));
  if (fixed.length && ctx.oldCluster) out.push(fixedFieldChange(ctx, fixed));
  else if (fixed.length)
    out.push(change("forbidden", "disruptive", "Kubernetes rejects this StatefulSet update (fixed spec fields)", paths(fixed), [], [
      `Delete the StatefulSet without its pods, then apply: kubectl delete statefulset ${(ctx.after as unknown as KubeObject).metadata.name} --cascade=orphan`,
      applyStep(ctx.newFile),
    ]));
  if (other.length) out.push(change("in-place", "safe", "rollout settings updated in place", paths(other)));
  return out;
}

function fixedFieldChange(ctx: ObjectContext, fixed: FieldDiff[]): Change {
  const f = ctx.oldCluster!;
  const fields = [...new Set(fixed.map((d) => String(d.segs[1])))];
  const procedure = orphanRecreate(f, ctx.newFile);
  const details = [`Kubernetes allows StatefulSet spec updates only to ${[...STS_MUTABLE].join(", ")}; ${fields.join(", ")} cannot change.`, PARTIAL_APPLY];
  if (fields.includes("selector")) {
    details.push("The recreated StatefulSet does not adopt pods its new selector does not match: replace them one at a time.");
    for (let i = f.replicas - 1; i >= 0; i--)
      procedure.push(`Replace ${f.name}-${i}: kubectl delete pod ${f.name}-${i} -n ${f.namespace} && kubectl wait --for=condition=Ready pod/${f.name}-${i} -n ${f.namespace} --timeout=15m`);
  }
  if (fields.includes("serviceName")) {
    details.push("Pods get their DNS subdomain from serviceName when created: route names change only as pods restart.");
    procedure.push(...rolloutRestart(f));
  }
  return change("forbidden", "disruptive", `Kubernetes rejects updating ${fields.join(", ")}: delete the StatefulSet with --cascade=orphan and recreate it`, paths(fixed), details, procedure);
}

function deploymentChanges(ctx: ObjectContext, ds: FieldDiff[]): Change[] {
  const out: Change[] = [];
  const o = ctx.after as unknown as KubeObject;
  const sel = ds.filter((d) => under(d.segs, "spec", "selector"));
  const template = ds.filter((d) => under(d.segs, "spec", "template"));
  const rest = ds.filter((d) => !sel.includes(d) && !template.includes(d));
  if (sel.length)
    out.push(
      change("forbidden", "disruptive", "Kubernetes rejects changing a Deployment's selector (apps/v1)", paths(sel), [PARTIAL_APPLY], deleteRecreate("Deployment", o.metadata.name, o.metadata.namespace ?? "", ctx.newFile, "its pods stop until the new Deployment is up")),
    );
  if (template.length) out.push(change("rolling-restart", "safe", "Deployment rollout: new pods replace the old ones; no NATS server restarts", ["spec.template"]));
  if (rest.length) out.push(change("in-place", "safe", "updated in place", paths(rest)));
  return out;
}

function serviceChanges(ctx: ObjectContext, ds: FieldDiff[]): Change[] {
  const out: Change[] = [];
  const o = ctx.after as unknown as KubeObject;
  const ip = ds.filter((d) => under(d.segs, "spec", "clusterIP") || under(d.segs, "spec", "clusterIPs"));
  const type = ds.filter((d) => under(d.segs, "spec", "type"));
  const rest = ds.filter((d) => !ip.includes(d) && !type.includes(d));
  if (ip.length)
    out.push(
      change("forbidden", "disruptive", "Kubernetes rejects changing spec.clusterIP (headless or not) on an existing Service", paths(ip), [
        "While the headless Service is gone, restarting servers cannot resolve their peers: do it when no pod is restarting.",
        PARTIAL_APPLY,
      ], deleteRecreate("Service", o.metadata.name, o.metadata.namespace ?? "", ctx.newFile, "its DNS name disappears until it is recreated")),
    );
  if (type.length) {
    const was = (ctx.before as { spec?: { type?: string } }).spec?.type;
    const lost = was === "LoadBalancer" || was === "NodePort";
    out.push(change("in-place", lost ? "attention" : "safe", lost ? `type ${was} removed: external clients lose that address` : "Service type changed in place", paths(type)));
  }
  if (rest.length) out.push(change("in-place", "safe", "ports/selector updated in place", paths(rest)));
  return out;
}

function configMapChanges(ctx: ObjectContext, ds: FieldDiff[]): Change[] {
  const o = ctx.after as unknown as KubeObject;
  if ((ctx.before as { immutable?: boolean }).immutable === true)
    return [
      change("forbidden", "disruptive", "the ConfigMap is immutable: Kubernetes rejects any data change", paths(ds), [], deleteRecreate("ConfigMap", o.metadata.name, o.metadata.namespace ?? "", ctx.newFile, "pods that mount it keep their copy")),
    ];
  const conf = ds.filter((d) => under(d.segs, "data", "nats.conf"));
  const rest = ds.filter((d) => !conf.includes(d));
  const out = conf.length ? [...confChanges(ctx, conf), ...clientCertificateChanges(ctx, conf)] : [];
  if (rest.length) out.push(change("in-place", "safe", "data updated in place", paths(rest)));
  return out;
}

function secretChanges(ctx: ObjectContext, ds: FieldDiff[]): Change[] {
  const o = ctx.after as unknown as KubeObject;
  const type = ds.filter((d) => under(d.segs, "type"));
  const rest = ds.filter((d) => !type.includes(d));
  const out: Change[] = [];
  if (type.length)
    out.push(change("forbidden", "disruptive", "a Secret's type cannot change", paths(type), [], deleteRecreate("Secret", o.metadata.name, o.metadata.namespace ?? "", ctx.newFile, "pods that need it cannot start meanwhile")));
  if (!rest.length) return out;
  const f = ctx.newCluster ?? ctx.oldCluster;
  if (f && f.envSecrets.includes(o.metadata.name) && ctx.oldCluster) {
    out.push(
      change("rolling-restart", "disruptive", "credentials in environment variables change only when each server restarts", paths(rest), [
        "nats-server reads NATS_TOKEN/NATS_USER/NATS_PASSWORD from the Secret at container start; applying the Secret restarts nothing.",
        "During the restart, servers disagree on credentials: a client is accepted only by servers that match what it sends.",
      ], ["Move clients to the new credentials right after the last server restarted (or use a Secret per phase).", ...rolloutRestart(ctx.oldCluster)]),
    );
  } else if (f && referencedNames(ctx.newSide.objects.find((x) => x.kind === "StatefulSet" && x.metadata.name === f.name)?.spec).includes(JSON.stringify(o.metadata.name)))
    out.push(change("in-place", "safe", "mounted Secret updated: the kubelet refreshes the files and the reloader reloads certificates", paths(rest)));
  else out.push(change("in-place", "safe", "Secret data updated in place (values not shown)", paths(rest)));
  return out;
}

function nackChanges(ctx: ObjectContext, ds: FieldDiff[]): Change[] {
  const out: Change[] = [];
  const storage = ds.filter((d) => under(d.segs, "spec", "storage"));
  const name = ds.filter((d) => under(d.segs, "spec", "name") || under(d.segs, "spec", "bucket"));
  const rest = ds.filter((d) => !storage.includes(d) && !name.includes(d));
  if ((ctx.before as { spec?: { preventUpdate?: boolean } }).spec?.preventUpdate === true)
    return [change("in-place", "attention", "preventUpdate is set: NACK does not apply these changes to the live object", paths(ds))];
  if (storage.length)
    out.push(change("in-place", "attention", "nats-server cannot change a stream's storage type: NACK's update fails and the stream keeps its storage", paths(storage), [], [
      "Create a new stream with the new storage, move the data (nats stream backup/restore or a sourcing stream), then switch clients.",
    ]));
  if (name.length)
    out.push(change("in-place", "attention", "NACK manages by name: a new, empty one is created; the old one stays on the server, unmanaged", paths(name)));
  if (rest.length) out.push(change("in-place", "safe", `NACK updates the ${ctx.kind} in place`, paths(rest)));
  return out;
}


import type { KubeObject } from "../render/object.js";
import { covers, type ObjectContext, type RoutedChange } from "./change.js";
import { diffValues, pathString, under, type FieldDiff } from "./diff.js";
import { display, REDACTED } from "./display.js";
import { clusterFacts, type ClusterFacts } from "./facts.js";
import { CONF_KEY, keyOf, type PlanSide } from "./inputs.js";
import { createChanges, deleteChanges } from "./lifecycle.js";
import { identityChange, topologyChanges } from "./topology.js";
import {
  CHANGE_CLASSES,
  maxSeverity,
  SEVERITY_ORDER,
  type Change,
  type ChangeClass,
  type ClusterPlan,
  type FieldChange,
  type ObjectPlan,
  type Plan,
} from "./types.js";
import { updateChanges } from "./updates.js";

export type { Plan } from "./types.js";
export { loadRenderedObjects, sideFromObjects, sideFromRendered, type PlanSide } from "./inputs.js";

interface ClusterPair {
  old?: ClusterFacts;
  new?: ClusterFacts;
  /** NEW names a different cluster than OLD: a new cluster, not an update. */
  identity: boolean;
}

/** What applying NEW over OLD does, object by object and field by field, plus the NATS cluster analysis. */
export function buildPlan(oldSide: PlanSide, newSide: PlanSide): Plan {
  const before = byKey(oldSide.objects);
  const after = byKey(newSide.objects);
  const pairs = pairClusters(clusterFacts(oldSide), clusterFacts(newSide));
  const keys = [...after.keys(), ...[...before.keys()].filter((k) => !after.has(k))];
  const diffsOf = new Map(keys.map((k) => [k, objectDiff(k, before.get(k), after.get(k), oldSide, newSide)]));

  const plans = new Map<string, ObjectPlan>();
  let unchanged = 0;
  for (const key of keys) {
    const b = before.get(key);
    const a = after.get(key);
    const diffs = diffsOf.get(key)!;
    if (a && b && diffs.length === 0) {
      unchanged++;
      continue;
    }
    const pair = pairOf(pairs, key, (a ?? b)!);
    const templateChanges = pair?.new ? (diffsOf.get(pair.new.key) ?? []).some((d) => under(d.segs, "spec", "template")) : false;
    const ctx: ObjectContext = {
      key,
      kind: (a ?? b)!.kind,
      ...(b ? { before: b as unknown as Record<string, unknown> } : {}),
      ...(a ? { after: a as unknown as Record<string, unknown> } : {}),
      diffs,
      newFile: newSide.file,
      oldSide,
      newSide,
      ...(pair?.old && !pair.identity ? { oldCluster: pair.old } : {}),
      ...(pair?.new && !pair.identity ? { newCluster: pair.new } : {}),
      templateChanges,
    };
    const changes = !b ? createChanges(ctx) : !a ? deleteChanges(ctx) : updateChanges(ctx);
    const ref = a ?? b!;
    plans.set(key, {
      ref: { apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.metadata.namespace ?? "", name: ref.metadata.name },
      action: !b ? "create" : !a ? "delete" : "update",
      severity: "safe",
      fields: [],
      changes,
    });
  }

  const clusters: ClusterPlan[] = [];
  for (const pair of pairs) {
    const routed: RoutedChange[] = [];
    if (pair.old && pair.new && pair.identity) routed.push(identityChange(pair.old, pair.new));
    else if (pair.old && pair.new) routed.push(...topologyChanges(pair.old, pair.new, newSide.file));
    const own: Change[] = [];
    for (const { object, ...c } of routed) {
      const target = object ? plans.get(object) : undefined;
      if (target) target.changes.push(c);
      else own.push(c);
    }
    const f = (pair.new ?? pair.old)!;
    clusters.push({
      namespace: f.namespace,
      name: f.name,
      replicas: { old: pair.old?.replicas ?? null, new: pair.new?.replicas ?? null },
      jetstream: { old: pair.old?.jetstream ?? "absent", new: pair.new?.jetstream ?? "absent" },
      changes: own,
    });
  }

  for (const [key, p] of plans) {
    p.fields = fieldChanges(diffsOf.get(key)!, p.changes, p.ref.kind === "Secret");
    p.severity = maxSeverity(p.changes.map((c) => c.severity));
  }
  const objects = [...plans.values()];
  const all = [...objects.flatMap((o) => o.changes), ...clusters.flatMap((c) => c.changes)];
  const counts = Object.fromEntries(CHANGE_CLASSES.map((c) => [c, all.filter((x) => x.class === c).length])) as Record<ChangeClass, number>;
  return { objects, clusters, unchanged, severity: maxSeverity(all.map((c) => c.severity)), counts, notes: [...oldSide.notes, ...newSide.notes] };
}

function byKey(objects: readonly KubeObject[]): Map<string, KubeObject> {
  return new Map(objects.map((o) => [keyOf(o), o]));
}

/** nats.conf is compared as data: the parsed (or built) block replaces the ConfigMap's text. */
function withConf(o: KubeObject, side: PlanSide, key: string): unknown {
  const conf = side.confs.get(key);
  if (!conf) return o;
  const data = (o as { data?: Record<string, unknown> }).data ?? {};
  return { ...o, data: { ...data, [CONF_KEY]: conf } };
}

function objectDiff(key: string, b: KubeObject | undefined, a: KubeObject | undefined, oldSide: PlanSide, newSide: PlanSide): FieldDiff[] {
  if (!a || !b) return [];
  return diffValues(withConf(b, oldSide, key), withConf(a, newSide, key));
}

function pairClusters(olds: ClusterFacts[], news: ClusterFacts[]): ClusterPair[] {
  const pairs: ClusterPair[] = [];
  const newByKey = new Map(news.map((n) => [n.key, n]));
  const lonelyOld = olds.filter((o) => !newByKey.has(o.key));
  const lonelyNew = news.filter((n) => !olds.some((o) => o.key === n.key));
  for (const o of olds) {
    const n = newByKey.get(o.key);
    if (n) pairs.push({ old: o, new: n, identity: false });
  }
  if (lonelyOld.length === 1 && lonelyNew.length === 1) pairs.push({ old: lonelyOld[0]!, new: lonelyNew[0]!, identity: true });
  else {
    for (const o of lonelyOld) pairs.push({ old: o, identity: false });
    for (const n of lonelyNew) pairs.push({ new: n, identity: false });
  }
  return pairs;
}

/** The cluster an object belongs to: its StatefulSet or ConfigMap, else the cluster of its namespace. */
function pairOf(pairs: readonly ClusterPair[], key: string, o: KubeObject): ClusterPair | undefined {
  const direct = pairs.find((p) => [p.old?.key, p.new?.key, p.old?.confKey, p.new?.confKey].includes(key));
  if (direct) return direct;
  const ns = o.metadata.namespace ?? "";
  return pairs.find((p) => p.new?.namespace === ns && (!p.old || p.old.namespace === ns));
}

/** Each field takes the class and severity of the most severe change that covers it (in-place if none does). */
function fieldChanges(diffs: readonly FieldDiff[], changes: readonly Change[], secret: boolean): FieldChange[] {
  return diffs.map((d) => {
    const path = pathString(d.segs);
    const covering = changes.filter((c) => c.paths.some((p) => covers(p, path)));
    const top = covering.reduce<Change | undefined>(
      (a, c) => (!a || SEVERITY_ORDER.indexOf(c.severity) > SEVERITY_ORDER.indexOf(a.severity) ? c : a),
      undefined,
    );
    const hidden = secret && (under(d.segs, "data") || under(d.segs, "stringData"));
    const show = (v: unknown) => (hidden ? REDACTED : display(v));
    return {
      path,
      op: d.op,
      ...(d.op !== "add" ? { before: show(d.before) } : {}),
      ...(d.op !== "remove" ? { after: show(d.after) } : {}),
      class: top?.class ?? "in-place",
      severity: top?.severity ?? "safe",
    };
  });
}

import { CHANGE_CLASSES, type Change, type ObjectPlan, type Plan, type Severity } from "./types.js";

export const PLAN_API_VERSION = "natskube.dev/plan/v1";

/** How the plan was asked for and what the CLI will exit with; printed with the plan. */
export interface PlanMeta {
  old: { file: string; input: "manifest" | "rendered" | "live" };
  new: { file: string; input: "manifest" };
  exitCode: number;
  allowDisruptive: boolean;
  /** The command printed in the header line; plan unless said. */
  command?: string;
}

const LABEL: Record<Severity, string> = { safe: "SAFE", attention: "NEEDS ATTENTION", disruptive: "DISRUPTIVE" };
const SIGN = { create: "+", update: "~", delete: "-" } as const;

const refText = (o: ObjectPlan) => `${o.ref.kind} ${o.ref.namespace ? `${o.ref.namespace}/` : ""}${o.ref.name}`;

/** The one-line verdict, e.g. `DISRUPTIVE (exit 4): 1 forbidden, 2 rolling-restart; 3 objects changed, 4 unchanged`. */
export function verdictLine(plan: Plan, meta: PlanMeta): string {
  const counts = CHANGE_CLASSES.filter((c) => plan.counts[c] > 0).map((c) => `${plan.counts[c]} ${c}`);
  const what = plan.objects.length === 0 && counts.length === 0 ? "no changes" : counts.join(", ");
  const accepted = meta.allowDisruptive && plan.severity !== "safe" ? ", accepted with --allow-disruptive" : "";
  const objects = `${plan.objects.length} object${plan.objects.length === 1 ? "" : "s"}`;
  return `${LABEL[plan.severity]} (exit ${meta.exitCode}${accepted}): ${what}; ${objects} changed, ${plan.unchanged} unchanged`;
}

function changeLines(c: Change, indent: string): string[] {
  const lines = [`${indent}[${c.class}, ${c.severity}] ${c.summary}`];
  for (const d of c.details) lines.push(`${indent}    ${d}`);
  if (c.procedure.length) {
    lines.push(`${indent}    Procedure:`);
    c.procedure.forEach((s, i) => lines.push(`${indent}      ${i + 1}. ${s}`));
  }
  return lines;
}

export function formatText(plan: Plan, meta: PlanMeta): string {
  const out = [`natskube ${meta.command ?? "plan"}: ${meta.old.file} (${meta.old.input}) -> ${meta.new.file}`, ""];
  for (const o of plan.objects) {
    out.push(`${SIGN[o.action]} ${refText(o)}  (${o.action}, ${o.severity})`);
    for (const f of o.fields) {
      const value = f.op === "add" ? `+ ${f.after}` : f.op === "remove" ? `- ${f.before}` : `${f.before} -> ${f.after}`;
      out.push(`    ${f.path}: ${value}   [${f.class}]`);
    }
    for (const c of o.changes) out.push(...changeLines(c, "  "));
    out.push("");
  }
  for (const c of plan.clusters) {
    const r = c.replicas;
    const replicas = r.old === r.new ? `${r.new}` : `${r.old ?? "none"} -> ${r.new ?? "none"}`;
    const js = c.jetstream.old === c.jetstream.new ? c.jetstream.new : `${c.jetstream.old} -> ${c.jetstream.new}`;
    out.push(`NATS cluster ${c.namespace}/${c.name}: replicas ${replicas}, JetStream ${js}`);
    for (const ch of c.changes) out.push(...changeLines(ch, "  "));
    out.push("");
  }
  for (const n of plan.notes) out.push(`note: ${n}`);
  if (plan.notes.length) out.push("");
  out.push(verdictLine(plan, meta));
  return out.join("\n") + "\n";
}

/** Stable JSON, described by schema/plan.schema.json. */
export function formatJson(plan: Plan, meta: PlanMeta): string {
  const doc = {
    apiVersion: PLAN_API_VERSION,
    old: meta.old,
    new: meta.new,
    verdict: {
      severity: plan.severity,
      exitCode: meta.exitCode,
      allowDisruptive: meta.allowDisruptive,
      summary: verdictLine(plan, meta),
      counts: plan.counts,
      objectsChanged: plan.objects.length,
      objectsUnchanged: plan.unchanged,
    },
    objects: plan.objects,
    clusters: plan.clusters,
    notes: plan.notes,
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

import { isRaw, type ConfBlock, type ConfValue } from "../conf/value.js";
import { parseQuantity } from "../spec/quantity.js";
import { change, type ObjectContext } from "./change.js";
import { isPlainObject, pathString, type FieldDiff } from "./diff.js";
import type { ClusterFacts } from "./facts.js";
import { allReadyFirst, applyStep, rolloutRestart, rolloutStatus } from "./procedures.js";
import { reloadVerdict } from "./reload.js";
import { restartImpact } from "./rolling.js";
import type { Change } from "./types.js";

const CONF_DEPTH = 2; // ["data", "nats.conf", ...]

/**
 * nats.conf changes, compared as data. The reloader sends SIGHUP once the kubelet has refreshed the
 * mounted ConfigMap (about a minute, on every server at roughly the same time); nats-server applies the
 * whole reload or nothing, so one refused key holds back every other change until a restart.
 */
export function confChanges(ctx: ObjectContext, ds: FieldDiff[]): Change[] {
  const oldConf = ctx.oldSide.confs.get(ctx.key);
  const newConf = ctx.newSide.confs.get(ctx.key);
  const all = ds.map((d) => pathString(d.segs));
  const verdicts =
    oldConf && newConf
      ? ds.map((d) => ({ path: pathString(d.segs), ...reloadVerdict({ ...d, segs: d.segs.slice(CONF_DEPTH) }, oldConf, newConf) }))
      : [{ path: all[0]!, reload: false, why: "nats.conf could not be read as data" }];
  const missing = ctx.oldCluster && newConf ? unavailableOnRunningPods(newConf, ctx.oldCluster) : [];
  for (const m of missing) verdicts.push({ path: all[0]!, reload: false, why: m });
  const refused = verdicts.filter((v) => !v.reload);
  if (refused.length === 0)
    return [
      change("in-place", "safe", "nats.conf hot-reloaded by the config reloader: no restart", all, [
        "The kubelet refreshes the mounted ConfigMap within about a minute; the reloader then signals nats-server, which reloads it.",
        ...[...new Set(verdicts.map((v) => v.why))],
      ]),
    ];
  const reasons = [...new Set(refused.map((v) => (missing.includes(v.why) ? v.why : `${v.path}: ${v.why}`)))];
  const f = ctx.oldCluster;
  if (!f) return [change("rolling-restart", "attention", "nats.conf changes that nats-server applies only at a restart", all, reasons)];
  const impact = restartImpact(f);
  const details = [
    ...reasons,
    "nats-server refuses the whole reload (it logs \"Failed to reload server configuration\") and keeps running the old configuration; even the reloadable changes wait.",
    `Restart: ${impact.quorum}.`,
  ];
  if (volumesGrow(ctx) && refused.some((v) => v.path.includes("max_file_store")))
    return [
      change("rolling-restart", impact.severity, "max_file_store follows the larger volumes: restart only after the PVCs have grown", all, [
        ...details,
        "A max_file_store above the real disk size lets JetStream fill the disk (nats-io/k8s#717).",
      ], ["Follow the StatefulSet's procedure: its last steps restart the servers once every PVC has grown."]),
    ];
  if (ctx.templateChanges)
    return [
      change("rolling-restart", impact.severity, "nats.conf changes need a restart; the StatefulSet's rolling restart applies them", all, details, [
        ...allReadyFirst(f),
        applyStep(ctx.newFile),
        rolloutStatus(f),
      ]),
    ];
  return [
    change("rolling-restart", impact.severity, "nats.conf changes need a restart that applying does not trigger: restart the servers", all, [...details, ...impact.details], [
      applyStep(ctx.newFile),
      ...rolloutRestart(f),
    ]),
  ];
}

/**
 * A reload parses the whole new file in the running pod: an env reference the pod does not have
 * ("variable reference ... can not be found") or a certificate file it does not mount fails it.
 * Both arrive with the new pod template, so such changes wait for the restart.
 */
function unavailableOnRunningPods(conf: ConfBlock, f: ClusterFacts): string[] {
  const envs = new Set<string>();
  const files = new Set<string>();
  const walk = (v: ConfValue | undefined, key: string): void => {
    if (v === undefined) return;
    if (isRaw(v)) {
      if (v.raw.startsWith("$")) envs.add(v.raw.slice(1));
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (isPlainObject(v)) for (const [k, x] of Object.entries(v as ConfBlock)) walk(x, k);
    else if (typeof v === "string" && key.endsWith("_file")) files.add(v);
  };
  walk(conf, "");
  const out: string[] = [];
  for (const e of envs) if (!f.envNames.includes(e)) out.push(`nats.conf refers to $${e}, which the running pods do not have (it comes with the new pod template)`);
  for (const file of files)
    if (!f.mountPaths.some((m) => file.startsWith(`${m.replace(/\/$/, "")}/`))) out.push(`nats.conf reads ${file}, which the running pods do not mount yet`);
  return out;
}

function volumesGrow(ctx: ObjectContext): boolean {
  const o = ctx.oldCluster;
  const n = ctx.newCluster;
  if (!o?.pvcSize || !n?.pvcSize || o.jetstream !== "FILE" || n.jetstream !== "FILE") return false;
  return (parseQuantity(n.pvcSize) ?? 0) > (parseQuantity(o.pvcSize) ?? 0);
}

import { jsClaimName } from "../model/model.js";
import { parseQuantity } from "../spec/quantity.js";
import { change, PARTIAL_APPLY, type ObjectContext } from "./change.js";
import { claimName, newClusterMigrate, orphanRecreate } from "./procedures.js";
import type { Change } from "./types.js";

const FORBIDDEN = "Kubernetes rejects any change to a StatefulSet's volumeClaimTemplates (nats-io/k8s#723)";

/** volumeClaimTemplates: never updatable; what the change means for the JetStream volumes. */
export function volumeClaimChanges(ctx: ObjectContext, paths: string[]): Change[] {
  const o = ctx.oldCluster;
  const n = ctx.newCluster;
  if (!o || !n) return [change("forbidden", "disruptive", FORBIDDEN, paths)];
  const details: string[] = [PARTIAL_APPLY];
  const oldSize = o.pvcSize ? parseQuantity(o.pvcSize) : undefined;
  const newSize = n.pvcSize ? parseQuantity(n.pvcSize) : undefined;
  if (o.jetstream === "FILE" && n.jetstream === "FILE" && oldSize !== undefined && newSize !== undefined && newSize < oldSize) {
    const claims = Array.from({ length: o.replicas }, (_, i) => claimName(o, i)).join(", ");
    return [
      change("data-loss", "disruptive", `JetStream volume size reduced ${o.pvcSize} -> ${n.pvcSize}: PVCs cannot shrink`, paths, [
        FORBIDDEN + ".",
        `Existing PVCs (${claims}) keep ${o.pvcSize}; only a new cluster gets smaller volumes, and a smaller max_file_store can leave a server unable to load streams it already holds.`,
      ], newClusterMigrate(o, `${n.pvcSize} volumes`)),
    ];
  }
  let procedure = orphanRecreate(o, ctx.newFile);
  let summary = `${FORBIDDEN}: delete the StatefulSet with --cascade=orphan, recreate it`;
  if (o.jetstream === "FILE" && n.jetstream === "FILE" && oldSize !== undefined && newSize !== undefined && newSize > oldSize) {
    summary = `JetStream volume size ${o.pvcSize} -> ${n.pvcSize}: ${FORBIDDEN}; recreate the StatefulSet, then expand each PVC`;
    procedure = orphanRecreate(o, ctx.newFile, { size: n.pvcSize!, storageClass: o.storageClass });
    details.push("Expansion works only when the StorageClass has allowVolumeExpansion: true; the first steps check it.");
  }
  if (o.storageClass !== n.storageClass && o.jetstream === "FILE" && n.jetstream === "FILE")
    details.push(
      `storageClassName ${o.storageClass ?? "(default)"} -> ${n.storageClass ?? "(default)"}: existing PVCs keep their class; only PVCs created later use the new one.`,
      "To move a server's data to the new class: delete its PVC and pod (one server at a time, only when every stream has replicas >= 2) and wait for its streams to catch up.",
    );
  if (o.jetstream !== "FILE" && n.jetstream === "FILE")
    details.push("New PVCs are created as each pod is recreated; JetStream starts empty on them.");
  if (o.jetstream === "FILE" && n.jetstream !== "FILE")
    details.push(`The PVCs (${jsClaimName(`${o.name}-*`)}) are not deleted: remove them by hand once their data is no longer needed.`);
  return [change("forbidden", "disruptive", summary, paths, details, procedure)];
}

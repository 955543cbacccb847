import type { RenderedDocument } from "../pipeline.js";
import type { PlanSide } from "../plan/inputs.js";
import { objectKey } from "../plan/types.js";
import { generatedSecretNames } from "../render/secrets.js";
import { keyOf, sideFromObjects } from "../plan/inputs.js";
import { comparable, isNatskubes, liveView, looksLive } from "./normalize.js";

/**
 * OLD read from a cluster (`kubectl get -o yaml`), NEW rendered: OLD's objects are seen through the
 * fields NEW renders and natskube owns, and NEW's Secrets as the API server stores them. Objects
 * natskube does not manage and NEW does not render (kube-root-ca.crt, the StatefulSet's pods) are
 * left out: a plan is about natskube's objects. So are the `kept` ones (the Secrets --generate-secrets
 * made, which a render without the flag does not hold and apply never prunes). Sides without live objects are returned as they are.
 */
export function againstLive(oldSide: PlanSide, newSide: PlanSide, kept: ReadonlySet<string> = new Set()): { old: PlanSide; new: PlanSide } {
  if (!oldSide.objects.some(looksLive)) return { old: oldSide, new: newSide };
  const desired = new Map(newSide.objects.map((o) => [keyOf(o), comparable(o)]));
  const foreign = oldSide.objects.filter((o) => !desired.has(keyOf(o)) && (!isNatskubes(o) || kept.has(keyOf(o))));
  const objects = oldSide.objects.filter((o) => !foreign.includes(o)).map((o) => (looksLive(o) ? liveView(o, desired.get(keyOf(o))) : o));
  const old = sideFromObjects(oldSide.file, objects);
  const notes = [
    ...oldSide.notes,
    ...old.notes.filter((n) => !oldSide.notes.includes(n)),
    `${oldSide.file} holds objects read from a cluster: compared on the fields natskube renders and the fields its field manager owns; fields the API server adds or defaults are ignored`,
  ];
  if (foreign.length)
    notes.push(`${oldSide.file}: left out ${foreign.length} objects natskube does not manage: ${foreign.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return { old: { ...old, notes }, new: { ...newSide, objects: [...desired.values()] } };
}

/**
 * The Secrets `--generate-secrets` makes (`<name>-auth`, `<name>-system`): applied once, then kept; a render without the
 * flag does not hold them, and they are not pruned for that.
 */
export function generatedSecretKeys(docs: readonly RenderedDocument[]): Set<string> {
  return new Set(docs.flatMap((d) => generatedSecretNames(d.model).map((name) => objectKey({ kind: "Secret", namespace: d.model.namespace, name }))));
}

import { parseQuantity } from "../spec/quantity.js";
import { STORAGE_ALERT_RATIO } from "../spec/schema/monitoring.js";
import type { Spec } from "../spec/types.js";
import type { LintContext } from "./risk-rule.js";

/** Auth or TLS says the cluster is meant for real traffic. */
export const productionIntent = (spec: Spec) => spec.auth.enabled || spec.tls.enabled;

export const bytes = (q: string | undefined) => (q === undefined ? undefined : parseQuantity(q));

/** Rule ids listed in the opt-out annotation. */
export function ignoredRuleIds(ctx: Pick<LintContext, "annotations">, key: string): string[] {
  const raw = ctx.annotations[key];
  if (raw === undefined) return [];
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Share of a store that declared maxBytes may reserve; the storage alert's default threshold (monitoring.alerts.storageRatio). */
export const RESERVE_SHARE = STORAGE_ALERT_RATIO;

export const percent = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;

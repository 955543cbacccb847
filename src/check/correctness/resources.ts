import { parseQuantity } from "../../spec/quantity.js";
import type { RuleFinding, ValidationRule } from "./rule.js";

type Resources = { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } } | undefined;

/** Kubernetes rejects a pod whose request exceeds its limit. */
export function requestsWithinLimits(resources: Resources, at: string[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const r of ["cpu", "memory"] as const) {
    const req = resources?.requests?.[r];
    const lim = resources?.limits?.[r];
    if (req === undefined || lim === undefined) continue;
    const a = parseQuantity(req);
    const b = parseQuantity(lim);
    if (a !== undefined && b !== undefined && a > b)
      out.push({
        code: "cross-field",
        path: [...at, "requests", r],
        message: `${r} request ${req} is above the ${r} limit ${lim}; Kubernetes rejects the pod`,
        hint: "Make the request at most the limit (equal requests and limits give Guaranteed QoS).",
      });
  }
  return out;
}

export const resourceRules: ValidationRule = ({ resource }) => [
  ...requestsWithinLimits(resource.spec.resources, ["spec", "resources"]),
  ...requestsWithinLimits(resource.spec.natsBox.resources, ["spec", "natsBox", "resources"]),
];

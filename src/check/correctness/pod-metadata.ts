import type { RuleFinding, ValidationRule } from "./rule.js";

/** spec.podLabels may add labels, never change natskube's (the selector and the recommended labels the objects share). */
export const podMetadataRules: ValidationRule = ({ resource, model }) => {
  const out: RuleFinding[] = [];
  for (const key of Object.keys(resource.spec.podLabels ?? {}))
    if (key in model.labels)
      out.push({
        code: "cross-field",
        path: ["spec", "podLabels", key],
        message: `podLabels ${key} is a label natskube sets on every object${key in model.selectorLabels ? " and selects the pods by" : ""}`,
        hint: "Choose another key; metadata.labels adds labels to every object.",
      });
  return out;
};

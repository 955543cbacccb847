import { didYouMean } from "../../diagnostics/did-you-mean.js";
import { ignoredRuleIds } from "../risk-facts.js";
import { ANNOTATIONS, defineRule } from "../risk-rule.js";

export const unknownLintIgnore = defineRule({
  id: "unknown-lint-ignore",
  severity: "warning",
  path: ["metadata", "annotations", ANNOTATIONS.lintIgnore],
  title: `${ANNOTATIONS.lintIgnore} names a rule that does not exist`,
  why: "A misspelt rule id in the opt-out annotation silences nothing, while its author believes a finding was reviewed and accepted.",
  fix: "Use the exact rule ids from docs/lint.md, separated by commas.",
  examples: {
    fail: { metadata: { annotations: { [ANNOTATIONS.lintIgnore]: "auth-disable" } } },
    pass: { metadata: { annotations: { [ANNOTATIONS.lintIgnore]: "auth-disabled" } } },
  },
  check(ctx) {
    return ignoredRuleIds(ctx, ANNOTATIONS.lintIgnore)
      .filter((id) => !ctx.ruleIds.includes(id))
      .map((id) => {
        const near = didYouMean(id, ctx.ruleIds);
        return {
          message: `"${id}" is not a lint rule, so it silences nothing`,
          fix: near ? `Did you mean "${near}"?` : "Run `natskube lint --help` or see docs/lint.md for the rule ids.",
        };
      });
  },
});

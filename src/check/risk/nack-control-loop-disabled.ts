import { defineRule } from "../risk-rule.js";

export const nackControlLoopDisabled = defineRule({
  id: "nack-control-loop-disabled",
  severity: "warning",
  strictOnly: true,
  path: ["spec", "nack", "controlLoop"],
  title: "NACK without its control loop",
  why:
    "Without --control-loop NACK acts on custom resource events only: it gives up creating a stream when NATS is not " +
    "ready yet (a retry cap), and never repairs a stream changed or deleted by hand. The control loop re-applies every " +
    "resource periodically.",
  fix: "Set nack.controlLoop: true.",
  examples: {
    fail: { spec: { nack: { enabled: true, controlLoop: false } } },
    pass: { spec: { nack: { enabled: true, controlLoop: true } } },
  },
  check({ spec }) {
    if (!spec.nack.enabled || spec.nack.controlLoop) return [];
    return [
      {
        message: "NACK runs without its control loop: streams that failed to create while NATS was starting, or drifted since, are never re-applied",
        fix: "Set nack.controlLoop: true.",
      },
    ];
  },
});

import { CONTROLLER_FLAGS, controllerHasFlag } from "../../nack/controller-versions.js";
import type { RuleFinding, ValidationRule } from "./rule.js";

/**
 * The NACK controller must start with the arguments natskube renders for it. In control-loop mode
 * they include --health-probe-bind-address (the probes' endpoint), which releases before 0.22.0 do
 * not define: such a controller exits at start. Project Planton's own default appVersion is 0.21.1,
 * so a Planton manifest with enableControlLoop and that appVersion meets this.
 */
export const nackVersionRules: ValidationRule = ({ resource }) => {
  const nack = resource.spec.nack;
  const out: RuleFinding[] = [];
  const flag = "health-probe-bind-address";
  if (nack.enabled && nack.controlLoop && !controllerHasFlag(nack.image.tag, flag))
    out.push({
      code: "controller-version",
      path: ["spec", "nack", "image", "tag"],
      message: `jetstream-controller ${nack.image.tag} has no --${flag} flag (added in ${CONTROLLER_FLAGS[flag]}), which natskube renders in control-loop mode for the pod's health probes: the controller would exit at start ("flag provided but not defined") and its pod crash-loop`,
      hint: `Use jetstream-controller ${CONTROLLER_FLAGS[flag]} or later: remove the tag (or Project Planton's nackController.appVersion) to get the version natskube renders and tests, or set controlLoop to false (legacy mode, which runs streams and consumers but not KV buckets or object stores).`,
    });
  return out;
};

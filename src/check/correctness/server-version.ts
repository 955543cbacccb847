import { OLDEST_SUPPORTED, unsupportedReason, unsupportedServer } from "../../nats/server-versions.js";
import type { RuleFinding, ValidationRule } from "./rule.js";

/**
 * The image's nats-server must be one natskube is proven on: a line older than the oldest
 * supported one either rejects keys of every render (2.9) or forms a JetStream cluster that cannot
 * place R3 streams often enough to matter (2.10). Fields gated on newer keys follow from the table
 * in src/nats/server-versions.ts once the line is supported.
 */
export const serverVersionRules: ValidationRule = ({ resource }) => {
  const tag = resource.spec.image.tag;
  const out: RuleFinding[] = [];
  if (unsupportedServer(tag))
    out.push({
      code: "server-version",
      path: ["spec", "image", "tag"],
      message: `image tag "${tag}" is nats-server older than ${OLDEST_SUPPORTED}, which natskube no longer supports: ${unsupportedReason(tag)}`,
      hint: `Use nats-server ${OLDEST_SUPPORTED} or later, e.g. the default tag; see docs/server-versions.md.`,
    });
  return out;
};

import { acceptsKey, CONF_KEYS, OLDEST_SUPPORTED, unsupportedServer } from "../../nats/server-versions.js";
import type { RuleFinding, ValidationRule } from "./rule.js";

/**
 * The image's nats-server must start with what natskube writes: a line older than the oldest
 * supported one rejects keys of every render (cluster.compression, ...), and a field that writes
 * a newer key needs an image that knows it.
 */
export const serverVersionRules: ValidationRule = ({ resource }) => {
  const spec = resource.spec;
  const tag = spec.image.tag;
  const out: RuleFinding[] = [];
  if (unsupportedServer(tag)) {
    out.push({
      code: "server-version",
      path: ["spec", "image", "tag"],
      message: `image tag "${tag}" is nats-server older than ${OLDEST_SUPPORTED}, which natskube no longer supports: it rejects keys natskube writes (such as cluster.compression) and would not start`,
      hint: `Use nats-server ${OLDEST_SUPPORTED} or later, e.g. the default tag; see docs/server-versions.md.`,
    });
    return out;
  }
  if (spec.jetstream.strict !== undefined && !acceptsKey(tag, "jetstream.strict"))
    out.push({
      code: "server-version",
      path: ["spec", "jetstream", "strict"],
      message: `jetstream.strict needs nats-server ${CONF_KEYS["jetstream.strict"]} or later; image tag "${tag}" rejects the key and would not start`,
      hint: `Remove strict (that server has no strict mode to relax), or use an image of nats-server ${CONF_KEYS["jetstream.strict"]} or later.`,
    });
  return out;
};

import { MAX_NAME_LENGTH } from "../../spec/schema/primitives.js";
import type { ValidationRule } from "./rule.js";

export const nameRules: ValidationRule = ({ resource }) => {
  const name = resource.metadata.name;
  const findings = [];
  if (name.length > MAX_NAME_LENGTH)
    findings.push({
      code: "name-too-long" as const,
      path: ["metadata", "name"],
      message: `metadata.name has ${name.length} characters; at most ${MAX_NAME_LENGTH} fit every derived name (pods carry controller-revision-hash=<name>-<hash>, limited to 63)`,
      hint: `Shorten it, e.g. "${name.slice(0, MAX_NAME_LENGTH).replace(/-+$/, "")}".`,
    });
  if (!/^[a-z]/.test(name))
    findings.push({
      code: "dns-name" as const,
      path: ["metadata", "name"],
      message: "metadata.name must start with a letter: it names Services, which Kubernetes requires to be DNS-1035 labels",
      hint: `For example "nats-${name}".`,
    });
  return findings;
};

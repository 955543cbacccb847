import type { RuleFinding, ValidationRule } from "./rule.js";
import { consumerFindings } from "./consumers.js";
import { limitFindings } from "./stream-limits.js";
import { nameFindings } from "./stream-names.js";
import { subjectFindings } from "./stream-subjects.js";

/**
 * Streams, consumers, key-value buckets and object stores: what nats-server or NACK would refuse
 * (names, subjects, overlaps, durations, replicas, storage, capacity), found before anything is applied.
 */
export const streamRules: ValidationRule = ({ resource, model }) => {
  const spec = resource.spec;
  const out: RuleFinding[] = [];
  const declared = (["streams", "keyValues", "objectStores"] as const).filter((k) => spec[k].length > 0);
  if (declared.length === 0) return out;

  // Streams without an enabled NACK are a risk, not an error (a NACK installed separately may serve
  // them): the lint rule streams-without-nack reports it.
  if (spec.nack.enabled && !spec.nack.controlLoop)
    for (const k of ["keyValues", "objectStores"] as const)
      if (spec[k].length > 0)
        out.push({
          code: "cross-field",
          path: ["spec", k],
          message: `NACK manages ${k === "keyValues" ? "KeyValue" : "ObjectStore"} resources only in control-loop mode; without it they are never created`,
          hint: "Set nack.controlLoop: true.",
        });

  out.push(...nameFindings(spec, model.assets), ...subjectFindings(spec), ...limitFindings(spec, model), ...consumerFindings(spec, model.assets));
  return out;
};

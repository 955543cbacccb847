import { isPlainObject } from "./paths.js";

type Obj = Record<string, unknown>;

// Project Planton's first API is protobuf: an empty string and an enum's `unspecified` (0) are how
// protojson writes "not set", and Planton's modules skip such fields. natskube reads them the same way.
const OPTIONAL_STRINGS = {
  spec: ["natsHelmChartVersion"],
  nackController: ["helmChartVersion", "appVersion"],
  stream: ["description", "maxAge"],
  consumer: ["description", "ackWait", "filterSubject", "deliverSubject", "deliverGroup"],
} as const;
const ENUMS = {
  auth: ["scheme"],
  stream: ["storage", "retention", "discard"],
  consumer: ["deliverPolicy", "ackPolicy", "replayPolicy"],
} as const;

/** `unspecified`, `nats_kubernetes_auth_scheme_unspecified`, ...: protojson's name of an enum's zero value. */
const isUnspecified = (v: unknown) => v === "" || (typeof v === "string" && /(^|_)unspecified$/.test(v));

function clear(o: unknown, strings: readonly string[], enums: readonly string[]): string[] {
  if (!isPlainObject(o)) return [];
  const removed = [...strings.filter((k) => o[k] === ""), ...enums.filter((k) => isUnspecified(o[k]))];
  for (const k of removed) delete o[k];
  return removed;
}

/**
 * Removes, in place, the fields of a camelized manifest that Project Planton's API would read as unset:
 * empty strings of optional strings (`maxAge: ""` is Planton's "unlimited") and enums at `unspecified`.
 */
export function clearPlantonUnset(doc: Obj): { schemeUnspecified: boolean } {
  const spec = doc["spec"];
  if (!isPlainObject(spec)) return { schemeUnspecified: false };
  clear(spec, OPTIONAL_STRINGS.spec, []);
  clear(spec["nackController"], OPTIONAL_STRINGS.nackController, []);
  const schemeUnspecified = clear(spec["auth"], [], ENUMS.auth).length > 0;
  for (const st of Array.isArray(spec["streams"]) ? spec["streams"] : []) {
    clear(st, OPTIONAL_STRINGS.stream, ENUMS.stream);
    if (isPlainObject(st)) for (const c of Array.isArray(st["consumers"]) ? st["consumers"] : []) clear(c, OPTIONAL_STRINGS.consumer, ENUMS.consumer);
  }
  return { schemeUnspecified };
}

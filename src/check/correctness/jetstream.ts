import { setButUnused, type RuleFinding, type ValidationRule } from "./rule.js";

export const jetstreamRules: ValidationRule = ({ resource, isSet }) => {
  const js = resource.spec.jetstream;
  const out: RuleFinding[] = [];
  if (!js.enabled) {
    out.push(
      ...setButUnused(
        isSet,
        ["spec", "jetstream", "persistence"],
        ["mode", "size", "storageClass", "maxFileStore", "maxMemoryStore"],
        (key) => `jetstream.persistence.${key} has no effect while JetStream is disabled`,
        "Remove it, or set jetstream.enabled: true.",
      ),
    );
    for (const key of ["streams", "keyValues", "objectStores"] as const)
      if (resource.spec[key].length > 0)
        out.push({
          code: "cross-field",
          path: ["spec", key],
          message: `${key} need JetStream, which is disabled`,
          hint: "Set jetstream.enabled: true (or remove them).",
        });
    return out;
  }
  if (js.persistence.mode === "MEMORY" && js.persistence.storageClass !== undefined)
    out.push({
      code: "cross-field",
      path: ["spec", "jetstream", "persistence", "storageClass"],
      message: "storageClass applies to FILE persistence only; MEMORY mode creates no volumes",
      hint: "Remove storageClass, or set persistence.mode: FILE.",
    });
  if (js.persistence.mode === "MEMORY")
    for (const key of ["maxFileStore", "maxMemoryStore"] as const)
      if (js.persistence[key] !== undefined)
        out.push({
          code: "cross-field",
          path: ["spec", "jetstream", "persistence", key],
          message: `${key} applies to FILE persistence only; with MEMORY, size is the memory store`,
          hint: "Remove it, or set persistence.mode: FILE.",
        });
  return out;
};

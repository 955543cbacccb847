import { renderedConf } from "../../conf/index.js";
import { mergeConflicts } from "../../conf/merge.js";
import { formatPath, type PathSegment } from "../../diagnostics/diagnostic.js";
import type { RuleFinding, ValidationRule } from "./rule.js";

/** Keys whose values are credentials: in configMerge they would sit in the ConfigMap, readable by anyone who can read it. */
const SECRET_KEYS = /^(password|pass|token|auth_token|nkey|seed|credentials|creds)$/i;
/** A URL with a password in it (`nats://user:secret@host`), as leaf node remotes are often written. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]+@/i;

/**
 * spec.configMerge, the nats.conf escape hatch: it adds what natskube does not render and overrides
 * nothing (a rendered key changed behind natskube's back would break what validation and lint promise);
 * it never carries a secret. Whether the server knows a key is the server's to say: verify runs it.
 */
export const configMergeRules: ValidationRule = ({ resource, model }) => {
  const extra = resource.spec.configMerge;
  if (!extra) return [];
  const out: RuleFinding[] = [];
  const at = (p: readonly PathSegment[]): PathSegment[] => ["spec", "configMerge", ...p];
  for (const path of mergeConflicts(renderedConf(model), extra))
    out.push({
      code: "cross-field",
      path: at(path),
      message: `nats.conf key ${path.join(".")} is rendered by natskube from the resource's own fields; configMerge adds keys, it does not override them`,
      hint: "Set the natskube field that renders it (docs/reference.md), or remove it from configMerge.",
    });
  const walk = (v: unknown, p: PathSegment[]): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...p, i]));
    if (typeof v !== "object" || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      const literal = typeof x === "string";
      if (literal && (SECRET_KEYS.test(k) || URL_WITH_PASSWORD.test(x)))
        out.push({
          code: "cross-field",
          path: at([...p, k]),
          message: `${formatPath(["configMerge", ...p, k])} holds a credential: nats.conf is a ConfigMap, readable by anyone who may read ConfigMaps in the namespace`,
          hint: "Use auth (users, accounts) for credentials; they come from Secrets through environment variables.",
        });
      walk(x, [...p, k]);
    }
  };
  walk(extra, []);
  return out;
};

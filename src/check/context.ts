import type { PathSegment } from "../diagnostics/diagnostic.js";
import type { Model } from "../model/model.js";
import type { KubernetesNats, Spec } from "../spec/types.js";

/**
 * What every rule sees, correctness and risk alike: the typed resource, the Model built from it (the one
 * owner of every derived value: a rule reads names, limits, assets and reservations there instead of
 * deriving them), and what the user wrote.
 */
export interface CheckContext {
  resource: KubernetesNats;
  spec: Spec;
  /** Derived values (JetStream limits, assets, names): rules judge what will be deployed, not only what was written. */
  model: Model;
  /** The manifest as written (camelized, Planton fields translated, no defaults): what the user set. */
  written: Record<string, unknown>;
  isSet(path: PathSegment[]): boolean;
  annotations: Readonly<Record<string, string>>;
  /** Every registered risk rule id (for checking the opt-out annotation). */
  ruleIds: readonly string[];
}

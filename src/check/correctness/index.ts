import { clientServiceRules, externalAccessRules } from "./access.js";
import { configMergeRules } from "./config-merge.js";
import { podMetadataRules } from "./pod-metadata.js";
import { jetstreamRules } from "./jetstream.js";
import { listenerRules } from "./listeners.js";
import { nackUserRules } from "./nack-user.js";
import { nackVersionRules } from "./nack-version.js";
import { nameRules } from "./names.js";
import { resourceRules } from "./resources.js";
import type { ValidationRule } from "./rule.js";
import { serverVersionRules } from "./server-version.js";
import { authRules, networkPolicyRules, tlsRules, verifyClientsRules } from "./security.js";
import { userRules } from "./users.js";
import { streamRules } from "./streams.js";

/** Every cross-field validation rule, run in this order. */
export const VALIDATION_RULES: readonly ValidationRule[] = [
  nameRules,
  resourceRules,
  serverVersionRules,
  nackVersionRules,
  jetstreamRules,
  authRules,
  userRules,
  nackUserRules,
  tlsRules,
  verifyClientsRules,
  networkPolicyRules,
  externalAccessRules,
  clientServiceRules,
  listenerRules,
  streamRules,
  configMergeRules,
  podMetadataRules,
];

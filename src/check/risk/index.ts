import type { LintRule } from "../risk-rule.js";
import { antiAffinityNotRequired } from "./anti-affinity-not-required.js";
import { authDisabled } from "./auth-disabled.js";
import { clientServiceExposed } from "./client-service-exposed.js";
import { evenReplicas } from "./even-replicas.js";
import { exposedWithoutAuthOrTls } from "./exposed-without-auth-or-tls.js";
import { fileStoreTooSmall } from "./file-store-too-small.js";
import { fileStoreWithoutStorageClass } from "./file-store-without-storage-class.js";
import { ingressWithoutTls } from "./ingress-without-tls.js";
import { jetstreamFencedUser } from "./jetstream-fenced-user.js";
import { jetstreamMemoryLimitTooLow } from "./jetstream-memory-limit-too-low.js";
import { memoryNotGuaranteed } from "./memory-not-guaranteed.js";
import { memoryPersistenceReplicated } from "./memory-persistence-replicated.js";
import { memoryStoreExceedsLimit } from "./memory-store-exceeds-limit.js";
import { memoryStoreTooSmall } from "./memory-store-too-small.js";
import { memoryStreamOnFileCluster } from "./memory-stream-on-file-cluster.js";
import { missingResources } from "./missing-resources.js";
import { monitoringDisabled } from "./monitoring-disabled.js";
import { permissionShadowed } from "./permission-shadowed.js";
import { plantonDefaultReplaced } from "./planton-default-replaced.js";
import { nackControlLoopDisabled } from "./nack-control-loop-disabled.js";
import { networkPolicyDisabled } from "./network-policy-disabled.js";
import { replicasWithoutReason } from "./replicas-without-reason.js";
import { routeTlsDisabled } from "./route-tls-disabled.js";
import { singleReplicaStream } from "./single-replica-stream.js";
import { streamWithoutLimits } from "./stream-without-limits.js";
import { streamsWithoutNack } from "./streams-without-nack.js";
import { tlsDisabled } from "./tls-disabled.js";
import { tooFewReplicas } from "./too-few-replicas.js";
import { unknownLintIgnore } from "./unknown-lint-ignore.js";
import { unpinnedImage } from "./unpinned-image.js";

/** Every lint rule, in the order docs/lint.md lists them (topology, resources, storage, security, operations, streams). */
export const LINT_RULES: readonly LintRule[] = [
  evenReplicas,
  tooFewReplicas,
  replicasWithoutReason,
  antiAffinityNotRequired,
  missingResources,
  memoryNotGuaranteed,
  jetstreamMemoryLimitTooLow,
  memoryStoreExceedsLimit,
  memoryPersistenceReplicated,
  fileStoreWithoutStorageClass,
  fileStoreTooSmall,
  memoryStoreTooSmall,
  authDisabled,
  tlsDisabled,
  routeTlsDisabled,
  exposedWithoutAuthOrTls,
  clientServiceExposed,
  jetstreamFencedUser,
  permissionShadowed,
  ingressWithoutTls,
  networkPolicyDisabled,
  monitoringDisabled,
  unpinnedImage,
  streamsWithoutNack,
  singleReplicaStream,
  memoryStreamOnFileCluster,
  streamWithoutLimits,
  nackControlLoopDisabled,
  unknownLintIgnore,
  plantonDefaultReplaced,
];

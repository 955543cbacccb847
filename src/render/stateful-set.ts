import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { DEFAULT_PVC_SIZE } from "../model/jetstream-limits.js";
import { JS_VOLUME, TERMINATION_GRACE_SECONDS, type Model } from "../model/model.js";
import { pullSecrets } from "../model/images.js";
import { objectMeta } from "./object.js";
import { natsContainer } from "./pod/nats-container.js";
import { reloaderContainer } from "./pod/reloader-container.js";
import { scheduling } from "./pod/scheduling.js";
import { podSecurityContext } from "./pod/security.js";
import { podVolumes } from "./pod/volumes.js";
import { sidecars } from "./pod/sidecars.js";

export function statefulSet(m: Model): IStatefulSet {
  const volumes = podVolumes(m);
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: objectMeta(m, m.names.statefulSet),
    spec: {
      replicas: m.replicas,
      serviceName: m.names.headless,
      // Parallel start lets peers find each other: a lone first server never passes its /healthz
      // startup probe (no meta leader without a majority), so OrderedReady would never start the
      // second. Updates roll one pod at a time, but do not wait for a pod that was already down:
      // plan checks that all are Ready first (src/plan/rolling.ts, docs/plan.md).
      podManagementPolicy: "Parallel",
      updateStrategy: { type: "RollingUpdate" },
      selector: { matchLabels: m.selectorLabels },
      template: {
        metadata: { labels: m.pod.labels, ...(Object.keys(m.pod.annotations).length ? { annotations: m.pod.annotations } : {}) },
        spec: {
          serviceAccountName: m.names.serviceAccount,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // The reloader signals the nats process; the preStop hook reads its pid file.
          shareProcessNamespace: true,
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: podSecurityContext(),
          ...pullSecrets(m.images),
          ...scheduling(m),
          containers: [natsContainer(m, volumes), reloaderContainer(m, volumes), ...sidecars(m)],
          volumes: volumes.volumes,
        },
      },
      ...(m.jetstream.enabled && m.jetstream.mode === "FILE"
        ? {
            volumeClaimTemplates: [volumeClaimTemplate(m)],
            // A server scaled away is peer-removed from the meta group; its volume must not come back
            // with a later scale-up, where its stale RAFT state would rejoin as the old peer. Deleting
            // the StatefulSet keeps the volumes (the data outlives a delete/re-create).
            persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete", whenDeleted: "Retain" },
          }
        : {}),
    },
  };
}

/** apiVersion and kind are written out: without them Argo CD shows a permanent diff (nats-io/k8s#1104). */
function volumeClaimTemplate(m: Model): IPersistentVolumeClaim {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: JS_VOLUME, labels: m.selectorLabels },
    spec: {
      accessModes: ["ReadWriteOnce"],
      ...(m.jetstream.storageClass ? { storageClassName: m.jetstream.storageClass } : {}),
      resources: { requests: { storage: m.jetstream.pvcSize ?? DEFAULT_PVC_SIZE } },
    },
  };
}

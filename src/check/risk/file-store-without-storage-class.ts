import { defineRule } from "../risk-rule.js";

export const fileStoreWithoutStorageClass = defineRule({
  id: "file-store-without-storage-class",
  severity: "warning",
  path: ["spec", "jetstream", "persistence", "storageClass"],
  title: "JetStream file store on the cluster's default StorageClass",
  why:
    "Without a storageClass the PVCs get whatever the cluster's default class is, often network HDD or a class " +
    "without volume expansion. JetStream fsyncs and replicates on every write, so slow disks become publish latency " +
    "and replica lag, and a class that cannot expand turns a full disk into a migration.",
  fix: "Set jetstream.persistence.storageClass to an SSD class that allows volume expansion.",
  examples: {
    fail: { spec: { jetstream: { persistence: { mode: "FILE", size: "20Gi" } } } },
    pass: { spec: { jetstream: { persistence: { mode: "FILE", size: "20Gi", storageClass: "fast-ssd" } } } },
  },
  check({ model }) {
    const js = model.jetstream;
    if (!js.enabled || js.mode !== "FILE" || js.storageClass) return [];
    return [
      {
        message: "the JetStream PVCs use the cluster's default StorageClass, which may be slow network disk or may not allow expansion",
        fix: "Set jetstream.persistence.storageClass to an SSD class (e.g. gp3, premium-rwo, managed-csi-premium) with allowVolumeExpansion.",
      },
    ];
  },
});

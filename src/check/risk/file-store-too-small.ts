import { percent, RESERVE_SHARE } from "../risk-facts.js";
import { FILE_STORE_SHARE } from "../../model/jetstream-limits.js";
import { roundedBytes } from "../../spec/quantity.js";
import { defineRule } from "../risk-rule.js";

const GI = 2 ** 30;

export const fileStoreTooSmall = defineRule({
  id: "file-store-too-small",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "jetstream", "persistence", "size"],
  title: `File store with less than ${Math.round((1 - RESERVE_SHARE) * 100)}% headroom over the streams declared on it`,
  why:
    "JetStream reserves each stream's maxBytes on every server holding a replica. The declared file streams need, per " +
    "server, the sum of maxBytes x replicas / servers (and the largest one must fit on one server). validate rejects " +
    `declarations that exceed max_file_store (natskube sets it 10% below the PVC size); this rule flags those above ` +
    `${RESERVE_SHARE * 100}% of it: streams at their limits then keep the storage alert firing, streams without maxBytes ` +
    "share what little is left, and the next stream does not fit. Growing a StatefulSet's volumes later means resizing " +
    "every PVC by hand.",
  fix: "Size jetstream.persistence.size so declared maxBytes take at most 80% of max_file_store, or lower maxBytes/replicas.",
  examples: {
    fail: { spec: { jetstream: { persistence: { size: "10Gi" } }, streams: [{ name: "ORDERS", subjects: ["orders.>"], maxBytes: 8 * GI }] } },
    pass: { spec: { jetstream: { persistence: { size: "20Gi" } }, streams: [{ name: "ORDERS", subjects: ["orders.>"], maxBytes: 8 * GI }] } },
  },
  check({ model }) {
    const js = model.jetstream;
    if (!js.enabled || js.mode !== "FILE" || js.maxFileStore === 0) return [];
    const r = model.reservations.file;
    const limit = js.maxFileStore;
    if (r.sized.length === 0 || r.perServer <= limit * RESERVE_SHARE) return [];
    // The PVC whose max_file_store keeps the reservation under the share, in whole Gi.
    const pvc = Math.ceil(r.perServer / RESERVE_SHARE / FILE_STORE_SHARE / GI);
    const others = r.unsized.length > 0 ? `; ${r.unsized.length} more without maxBytes share the remaining ${roundedBytes(Math.max(0, limit - r.perServer))}` : "";
    return [
      {
        message: `the declared file streams reserve ${roundedBytes(r.perServer)} per server, ${percent(r.perServer, limit)} of max_file_store ${roundedBytes(limit)} (PVC ${js.pvcSize})${others}: no room to grow, and the storage alert fires once they fill`,
        fix: `Set jetstream.persistence.size to at least ${pvc}Gi, or lower maxBytes or replicas.`,
      },
    ];
  },
});

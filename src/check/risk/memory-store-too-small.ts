import { percent, RESERVE_SHARE } from "../risk-facts.js";
import { MEMORY_STORE_SHARE_FILE_MODE } from "../../model/jetstream-limits.js";
import { roundedBytes } from "../../spec/quantity.js";
import { defineRule } from "../risk-rule.js";

const MI = 2 ** 20;

export const memoryStoreTooSmall = defineRule({
  id: "memory-store-too-small",
  severity: "warning",
  strictSeverity: "error",
  path: ["spec", "jetstream", "persistence", "size"],
  title: `Memory store with less than ${Math.round((1 - RESERVE_SHARE) * 100)}% headroom over the memory streams declared`,
  why:
    "Memory streams live in max_memory_store: persistence.size in MEMORY mode, a quarter of the memory limit in FILE " +
    "mode. validate rejects declarations that do not fit at all; this rule flags those reserving more than " +
    `${RESERVE_SHARE * 100}% of it, which leaves nothing for streams without maxBytes, for KV growth or for the next stream.`,
  fix: "Raise the memory store (persistence.size in MEMORY mode, resources.limits.memory in FILE mode) or lower maxBytes.",
  examples: {
    fail: {
      spec: {
        jetstream: { persistence: { mode: "MEMORY", size: "1Gi" } },
        resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "1", memory: "4Gi" } },
        streams: [{ name: "CACHE", subjects: ["cache.>"], maxBytes: 900 * MI }],
      },
    },
    pass: {
      spec: {
        jetstream: { persistence: { mode: "MEMORY", size: "2Gi" } },
        resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "1", memory: "4Gi" } },
        streams: [{ name: "CACHE", subjects: ["cache.>"], maxBytes: 900 * MI }],
      },
    },
  },
  check({ model }) {
    const js = model.jetstream;
    if (!js.enabled || js.maxMemoryStore === 0) return [];
    const r = model.reservations.memory;
    const limit = js.maxMemoryStore;
    if (r.sized.length === 0 || r.perServer <= limit * RESERVE_SHARE) return [];
    const fileMode = js.mode === "FILE";
    const want = Math.ceil(r.perServer / RESERVE_SHARE / MI) * MI;
    return [
      {
        path: fileMode ? ["spec", "resources", "limits", "memory"] : ["spec", "jetstream", "persistence", "size"],
        message: `the declared memory streams reserve ${roundedBytes(r.perServer)} per server, ${percent(r.perServer, limit)} of max_memory_store ${roundedBytes(limit)}: nothing is left for streams without maxBytes or the next stream`,
        fix: fileMode
          ? `Raise resources.limits.memory to at least ${roundedBytes(Math.ceil(want / MEMORY_STORE_SHARE_FILE_MODE / 2 ** 30) * 2 ** 30)} (the memory store is a quarter of it), lower maxBytes, or use storage: file.`
          : `Raise jetstream.persistence.size to at least ${roundedBytes(want)} (keeping it well below the memory limit), or lower maxBytes.`,
      },
    ];
  },
});

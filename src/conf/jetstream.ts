import type { Model } from "../model/model.js";
import { formatBytes } from "../spec/quantity.js";
import { raw, type ConfBlock } from "./value.js";

export function jetstreamSection(m: Model): ConfBlock | undefined {
  const js = m.jetstream;
  if (!js.enabled) return undefined;
  return {
    // The server adds /jetstream below store_dir.
    store_dir: js.mode === "FILE" ? m.topology.paths.dataDir : undefined,
    max_file_store: js.mode === "FILE" ? raw(formatBytes(js.maxFileStore)) : 0,
    max_memory_store: js.maxMemoryStore > 0 ? raw(formatBytes(js.maxMemoryStore)) : 0,
    domain: m.spec.jetstream.domain,
  };
}

import type { Model } from "../model/model.js";
import { formatBytes } from "../spec/quantity.js";
import { raw, type ConfBlock } from "./value.js";

export function jetstreamSection(m: Model): ConfBlock | undefined {
  const js = m.jetstream;
  if (!js.enabled) return undefined;
  return {
    // Always set: even memory-only JetStream writes RAFT and account metadata there, and the
    // server's fallback (/tmp/nats) is read-only in a hardened pod (nats-io/k8s#896). The server adds /jetstream.
    store_dir: m.topology.paths.dataDir,
    max_file_store: js.mode === "FILE" ? raw(formatBytes(js.maxFileStore)) : 0,
    max_memory_store: js.maxMemoryStore > 0 ? raw(formatBytes(js.maxMemoryStore)) : 0,
    domain: m.spec.jetstream.domain,
    // Only when asked: every supported server defaults to strict (src/nats/server-versions.ts).
    strict: m.spec.jetstream.strict,
  };
}

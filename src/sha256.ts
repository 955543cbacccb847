import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";

// SHA-256 of a string's UTF-8 bytes, in hex, from @noble/hashes (audited, maintained, pure JS): the dashboards'
// uids hash a few dozen bytes, and loading node:crypto for that cost 2-4 ms of every `natskube render` with
// monitoring (docs/performance.md). test/unit/sha256.test.ts checks it against node:crypto.
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

// Go durations are NATS-side knowledge and live in src/nats/durations.ts; this re-export keeps the
// kube tier's import (test/kube/nack.test.ts) working until that file moves to the new path.
export { formatGoDuration, parseGoDuration, suggestGoDuration } from "../nats/durations.js";

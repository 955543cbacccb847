// Constants the CLI needs before (or without) loading the verify machinery and its NATS clients.
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_CHAOS_MESSAGES = 1000;
export const CHAOS_STREAM = "NATSKUBE_CHAOS";
/**
 * Bound of one request inside a polling loop (stream info, create, health). The loop's own
 * deadline is the --timeout; a single unanswered request (a stream without a leader right after a
 * restart sends no reply at all on 2.15) must cost one attempt, not the whole budget.
 */
export const REQUEST_TIMEOUT_MS = 2000;
/** How often a wait reports what it is still waiting for. */
export const PROGRESS_EVERY_MS = 3000;

// Constants the CLI needs before (or without) loading the verify machinery and its NATS clients.
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_CHAOS_MESSAGES = 1000;
export const CHAOS_STREAM = "NATSKUBE_CHAOS";

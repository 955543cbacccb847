import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** One thing verify proved (or failed to prove) about the running configuration. */
export interface CheckResult {
  name: string;
  ok: boolean;
  durationMs: number;
  /** What was observed; on failure, why. Never holds a secret. */
  detail: string;
}

/** One injected fault of a chaos run. */
export interface FaultResult {
  name: string;
  ok: boolean;
  /** From injecting the fault until the cluster was healthy and the stream's replicas current again. */
  recoverMs: number;
  /** Longest wait of one message for its acknowledgement, among messages first sent during this fault. */
  longestStallMs: number;
  detail: string;
  /** Problems that are not message loss, e.g. a startup probe that kept failing after recovery. */
  warnings: string[];
}

export interface ChaosReport {
  ok: boolean;
  stream: string;
  replicas: number;
  /** Distinct messages the server acknowledged. */
  acknowledged: number;
  /** Whether the stream was read back; lost and duplicates mean nothing when it was not. */
  readBack: boolean;
  /** Acknowledged messages missing from the stream when read back (must be 0). */
  lost: number;
  /** Messages stored more than once (same message ID at several sequences). */
  duplicates: number;
  /** Publish attempts that failed (timeouts, no responders) and were retried with the same message ID. */
  retries: number;
  /** Retries the server recognised as already stored (its dedupe window at work). */
  dedupedRetries: number;
  longestStallMs: number;
  faults: FaultResult[];
  durationMs: number;
  /** Why the run could not complete, when it could not. */
  error?: string;
}

export interface VerifyReport {
  file: string;
  ok: boolean;
  /** What ran: set once the manifest was valid. */
  target?: { name: string; namespace: string; replicas: number; image: string };
  natsServer?: { path: string; version: string };
  /** Loopback address of each server, by pod name. */
  servers?: { pod: string; host: string; clientUrl: string; monitorUrl: string }[];
  /** A problem that stopped verify before or outside the checks (invalid input, missing nats-server). */
  error?: string;
  diagnostics?: Diagnostic[];
  notes: string[];
  checks: CheckResult[];
  chaos?: ChaosReport;
  /** The temporary directory with every server's nats.conf, store and logs; removed unless kept. */
  workDir?: string;
  durationMs: number;
}

import type { JetStreamClient } from "@nats-io/jetstream";
import { sleep } from "../checks.js";

export interface AckedMessage {
  id: string;
  seq: number;
  /** performance.now() of the first attempt and of the acknowledgement. */
  firstAt: number;
  ackedAt: number;
  attempts: number;
}

const PAYLOAD_BYTES = 128;
const RETRY_PAUSE_MS = 100;
/** At most one publish per millisecond: enough load to matter, a stream small enough to read back. */
const MIN_INTERVAL_MS = 1;

/**
 * Publishes to a stream one message at a time, each with a unique message ID. A failed attempt
 * (timeout, no responders while a leader is elected, a connection being replaced) is retried with
 * the same ID until acknowledged, so the server's dedupe window makes retries safe. Stops only
 * between messages: a message is never abandoned half-sent unless the hard deadline passes.
 */
export class ChaosPublisher {
  readonly acked: AckedMessage[] = [];
  retries = 0;
  dedupedRetries = 0;
  lastError = "";
  /** The message being retried when the deadline stopped the publisher. */
  unacknowledged: string | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly subject: string,
    private readonly opts: { attemptTimeoutMs: number; deadline: number; signal?: AbortSignal },
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves once `count` messages are acknowledged; false if the deadline or an abort came first. */
  async waitForAcked(count: number): Promise<boolean> {
    while (this.acked.length < count) {
      if (Date.now() > this.opts.deadline || this.opts.signal?.aborted || this.unacknowledged) return false;
      await sleep(20);
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    const padding = "x".repeat(PAYLOAD_BYTES);
    for (let i = 1; !this.stopping; i++) {
      const id = `natskube-chaos-${i}`;
      const payload = `${id}|${padding}`.slice(0, Math.max(PAYLOAD_BYTES, id.length + 1));
      const firstAt = performance.now();
      for (let attempt = 1; ; attempt++) {
        if (Date.now() > this.opts.deadline || this.opts.signal?.aborted) {
          this.unacknowledged = id;
          return;
        }
        try {
          const ack = await this.js.publish(this.subject, payload, { msgID: id, timeout: this.opts.attemptTimeoutMs });
          if (attempt > 1 && ack.duplicate) this.dedupedRetries++;
          this.acked.push({ id, seq: ack.seq, firstAt, ackedAt: performance.now(), attempts: attempt });
          break;
        } catch (e) {
          this.retries++;
          this.lastError = (e as Error).message;
          await sleep(RETRY_PAUSE_MS);
        }
      }
      const wait = firstAt + MIN_INTERVAL_MS - performance.now();
      if (wait > 0) await sleep(wait);
    }
  }
}

/** The message ID a stored payload carries. */
export function payloadId(payload: string): string {
  return payload.slice(0, payload.indexOf("|"));
}

import { DeliverPolicy, type JetStreamClient } from "@nats-io/jetstream";
import { sleep, withTimeout } from "../checks.js";
import { payloadId } from "./publisher.js";

/** A consumer that delivers nothing for this long is replaced by a new one from the next sequence. */
const IDLE_MS = 4000;

/**
 * Reads the whole stream with ordered consumers and returns, for each message ID, the sequences
 * holding it. Right after a rolling restart the first consumer can be created on a server that
 * loses the stream leadership a moment later and then delivers nothing; so a consumer idle for
 * IDLE_MS is replaced by a new one starting after the last sequence read. Bounded by `timeoutMs`:
 * a stream that cannot be read in time is an error, never a silent "nothing lost".
 */
export async function readStream(js: JetStreamClient, stream: string, lastSeq: number, timeoutMs: number): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  if (lastSeq === 0) return found;
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  let attempts = 0;
  let lastError = "";
  while (last < lastSeq && Date.now() < deadline) {
    attempts++;
    try {
      const opts = last === 0 ? {} : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: last + 1 };
      const consumer = await withTimeout(js.consumers.get(stream, opts), Math.max(1, deadline - Date.now()), `an ordered consumer on ${stream}`);
      const messages = await consumer.consume({ max_messages: 1000 });
      const armIdle = () => setTimeout(() => void messages.stop(), Math.min(IDLE_MS, Math.max(1, deadline - Date.now())));
      let idle = armIdle();
      try {
        for await (const m of messages) {
          clearTimeout(idle);
          if (m.seq > last) {
            const id = payloadId(m.string());
            const seqs = found.get(id);
            if (seqs) seqs.push(m.seq);
            else found.set(id, [m.seq]);
            last = m.seq;
          }
          if (last >= lastSeq) break;
          idle = armIdle();
        }
      } finally {
        clearTimeout(idle);
        await messages.close().catch(() => {});
      }
    } catch (e) {
      lastError = (e as Error).message;
      await sleep(200);
    }
  }
  if (last < lastSeq) {
    const why = lastError ? `; last error: ${lastError}` : "";
    throw new Error(`read the stream up to sequence ${last} of ${lastSeq} within ${timeoutMs} ms (${attempts} consumers${why})`);
  }
  return found;
}

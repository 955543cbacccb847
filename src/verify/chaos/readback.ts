import type { JetStreamClient } from "@nats-io/jetstream";
import { retry } from "../checks.js";
import { payloadId } from "./publisher.js";

/**
 * Reads the whole stream with an ordered consumer and returns, for each message ID, the sequences
 * holding it. Bounded by `timeoutMs`: a stream that cannot be read in time is an error, never a
 * silent "nothing lost".
 */
export async function readStream(js: JetStreamClient, stream: string, lastSeq: number, timeoutMs: number): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  if (lastSeq === 0) return found;
  const consumer = await retry(() => js.consumers.get(stream), timeoutMs, { what: `an ordered consumer on ${stream}` });
  const messages = await consumer.consume({ max_messages: 1000 });
  let last = 0;
  const timer = setTimeout(() => void messages.stop(), timeoutMs);
  try {
    for await (const m of messages) {
      const id = payloadId(m.string());
      const seqs = found.get(id);
      if (seqs) seqs.push(m.seq);
      else found.set(id, [m.seq]);
      last = m.seq;
      if (m.seq >= lastSeq) break;
    }
  } finally {
    clearTimeout(timer);
    await messages.close().catch(() => {});
  }
  if (last < lastSeq) throw new Error(`read the stream up to sequence ${last} of ${lastSeq} within ${timeoutMs} ms`);
  return found;
}

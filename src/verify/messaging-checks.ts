import { nuid, type NatsConnection } from "@nats-io/transport-node";
import { retry, sleep } from "./checks.js";

const MESSAGES = 100;

/**
 * Publishes on `pub`, subscribes on `sub` (two servers: only the route can carry them).
 * Subscription interest crosses the route asynchronously, so a probe message is repeated
 * until one arrives; then every one of a batch must arrive, in order.
 */
export async function pubSubAcross(sub: NatsConnection, pub: NatsConnection, timeoutMs: number): Promise<string> {
  const subject = `natskube.verify.pubsub.${nuid.next()}`;
  const received: string[] = [];
  let probed = false;
  const s = sub.subscribe(subject, {
    callback: (_err, msg) => {
      const text = msg.string();
      if (text === "probe") probed = true;
      else received.push(text);
    },
  });
  try {
    await sub.flush();
    const deadline = Date.now() + timeoutMs;
    while (!probed) {
      if (Date.now() > deadline) throw new Error(`no message crossed from ${pub.getServer()} to ${sub.getServer()} within ${timeoutMs} ms`);
      pub.publish(subject, "probe");
      await pub.flush();
      await sleep(50);
    }
    for (let i = 0; i < MESSAGES; i++) pub.publish(subject, String(i));
    await pub.flush();
    while (received.length < MESSAGES && Date.now() < deadline) await sleep(20);
    const expected = Array.from({ length: MESSAGES }, (_, i) => String(i));
    if (received.join() !== expected.join()) throw new Error(`${received.length}/${MESSAGES} messages arrived in order`);
    return `${MESSAGES} messages from ${pub.getServer()} to a subscriber on ${sub.getServer()}`;
  } finally {
    s.unsubscribe();
  }
}

/** Responder on `responder`'s server, requests from `requester`'s; "no responders" retried until interest arrives. */
export async function requestReplyAcross(responder: NatsConnection, requester: NatsConnection, timeoutMs: number): Promise<string> {
  const subject = `natskube.verify.echo.${nuid.next()}`;
  const s = responder.subscribe(subject, { callback: (_err, msg) => void msg.respond(`echo:${msg.string()}`) });
  try {
    await responder.flush();
    const reply = await retry(() => requester.request(subject, "ping", { timeout: 1000 }), timeoutMs);
    if (reply.string() !== "echo:ping") throw new Error(`unexpected reply ${JSON.stringify(reply.string())}`);
    return `request from ${requester.getServer()} answered by a responder on ${responder.getServer()}`;
  } finally {
    s.unsubscribe();
  }
}

import { nuid, type NatsConnection } from "@nats-io/transport-node";
import { retry, sleep } from "./checks.js";

const MESSAGES = 100;
/** Where the checks publish unless the signed-in user's permissions say otherwise (verify/subjects-for.ts). */
export const DEFAULT_PREFIX = "natskube.verify";

/** The server refused a subscription (permissions): the check fails with its words instead of waiting out its bound. */
function subscriptionRefused(subject: string, err: Error): Error {
  return new Error(`the subscription to ${subject} was refused: ${err.message}`);
}

/**
 * Publishes on `pub`, subscribes on `sub` (two servers: only the route can carry them).
 * Subscription interest crosses the route asynchronously, so a probe message is repeated
 * until one arrives; then every one of a batch must arrive, in order.
 */
export async function pubSubAcross(sub: NatsConnection, pub: NatsConnection, timeoutMs: number, prefix = DEFAULT_PREFIX): Promise<string> {
  const subject = `${prefix}.pubsub.${nuid.next()}`;
  const received: string[] = [];
  let probed = false;
  let refused: Error | undefined;
  const s = sub.subscribe(subject, {
    callback: (err, msg) => {
      if (err) return void (refused = err);
      const text = msg.string();
      if (text === "probe") probed = true;
      else received.push(text);
    },
  });
  try {
    await sub.flush();
    const deadline = Date.now() + timeoutMs;
    while (!probed) {
      if (refused) throw subscriptionRefused(subject, refused);
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
export async function requestReplyAcross(responder: NatsConnection, requester: NatsConnection, timeoutMs: number, prefix = DEFAULT_PREFIX): Promise<string> {
  const subject = `${prefix}.echo.${nuid.next()}`;
  let refused: Error | undefined;
  const s = responder.subscribe(subject, { callback: (err, msg) => (err ? void (refused = err) : void msg.respond(`echo:${msg.string()}`)) });
  // A responder that may not publish to the requester's inbox has its reply refused: say so, not "timeout".
  void (async () => {
    for await (const st of responder.status())
      if (st.type === "error" && /permission/i.test(st.error.message) && !refused) refused = new Error(`the reply was refused: ${st.error.message}`);
  })();
  try {
    await responder.flush();
    const reply = await retry(() => {
      if (refused) throw refused;
      return requester.request(subject, "ping", { timeout: 1000 });
    }, timeoutMs, { isFinal: () => refused !== undefined }).catch((e: unknown) => {
      throw refused ? (/reply was refused/.test(refused.message) ? refused : subscriptionRefused(subject, refused)) : e;
    });
    if (reply.string() !== "echo:ping") throw new Error(`unexpected reply ${JSON.stringify(reply.string())}`);
    return `request from ${requester.getServer()} answered by a responder on ${responder.getServer()}`;
  } finally {
    s.unsubscribe();
  }
}

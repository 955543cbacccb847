import { nuid, type NatsConnection } from "@nats-io/transport-node";
import { isSubsetMatch } from "../nats/subjects.js";
import { sleep } from "./checks.js";
import { connectTo, type ClientAccess } from "./clients.js";
import type { ClientAuth } from "./local-plan.js";

/** Expects the connection to be refused for authorization; returns the server's words. */
export async function expectRefused(url: string, access: ClientAccess, auth: ClientAuth): Promise<string> {
  let nc: NatsConnection | undefined;
  try {
    nc = await connectTo(url, { ...access, auth });
  } catch (e) {
    const message = (e as Error).message;
    if (/authori[sz]ation/i.test(message)) return `refused: ${message}`;
    throw new Error(`failed, but not for authorization: ${message}`);
  }
  await nc.close();
  throw new Error(`the server accepted the client`);
}

/** Credentials that look right but are not: the same kind, a different secret. */
export function wrongCredentials(auth: ClientAuth): ClientAuth {
  if (auth.mode === "token") return { mode: "token", token: `${auth.token}x` };
  if (auth.mode === "user") return { mode: "user", user: auth.user, pass: `${auth.pass}x` };
  return auth;
}

/** Does the literal `subject` match the NATS pattern `pattern` (`*` one token, `>` the rest)? */
export const subjectMatches = (pattern: string, subject: string): boolean => isSubsetMatch(subject, pattern);

/** A concrete subject matched by `pattern`. */
export function instance(pattern: string): string {
  return pattern
    .split(".")
    .map((t) => (t === "*" || t === ">" ? "natskube" : t))
    .join(".");
}

/**
 * A client without credentials becomes the no-auth user: its publishes to an allowed subject reach
 * an authenticated subscriber, and a publish outside its permissions is refused by the server and
 * never delivered.
 */
export async function anonymousPermissions(url: string, access: ClientAccess, watcher: NatsConnection, allowed: string[], subscribeAllowed: string[], timeoutMs: number): Promise<string> {
  const first = allowed[0];
  if (!first) throw new Error("the no-auth user has no publish subjects");
  const allowedSubject = instance(first);
  const deniedSubject = `natskube.verify.denied.${nuid.next()}`;
  const deniable = !allowed.some((p) => subjectMatches(p, deniedSubject));
  const got = new Set<string>();
  const subs = [allowedSubject, deniedSubject].map((s) => watcher.subscribe(s, { callback: (_e, m) => void got.add(m.subject) }));
  let anon: NatsConnection | undefined;
  try {
    await watcher.flush();
    anon = await connectTo(url, { ...access, auth: { mode: "none" } });
    const errors = errorLog(anon);
    const deadline = Date.now() + timeoutMs;
    // Repeated until delivered: the watcher may be on another server, where interest arrives later.
    while (!got.has(allowedSubject)) {
      if (Date.now() > deadline) throw new Error(`a publish to ${allowedSubject} by the no-auth user never arrived`);
      anon.publish(allowedSubject, "hello");
      await anon.flush();
      await sleep(50);
    }
    const inboxes = await inboxSubscription(anon, subscribeAllowed, errors, deadline);
    if (!deniable) return `publish to ${allowedSubject} delivered; every subject is allowed, so no denial to test; ${inboxes}`;
    const before = errors.length;
    anon.publish(deniedSubject, "must not arrive");
    await anon.flush();
    const refusal = await permissionViolation(errors, before, deadline);
    await sleep(200); // a leak would have arrived by now
    if (got.has(deniedSubject)) throw new Error(`a publish to ${deniedSubject}, outside ${allowed.join(", ")}, was delivered`);
    if (!refusal) throw new Error(`a publish to ${deniedSubject} was not refused with a permissions violation`);
    return `publish to ${allowedSubject} delivered; to ${deniedSubject} refused (${refusal}); ${inboxes}`;
  } finally {
    for (const s of subs) s.unsubscribe();
    await anon?.close();
  }
}

/**
 * Every reply in the account goes to an inbox, so a no-auth user that may subscribe to `_INBOX.>`
 * reads them all: unless the manifest allows it, the server must refuse that subscription.
 */
async function inboxSubscription(anon: NatsConnection, allowed: string[], errors: string[], deadline: number): Promise<string> {
  if (allowed.some((p) => subjectMatches(p, `_INBOX.${nuid.next()}`))) return `subscribe to _INBOX.> allowed by subscribeSubjects (${allowed.join(", ")})`;
  const before = errors.length;
  const sub = anon.subscribe("_INBOX.>");
  await anon.flush();
  const refusal = await permissionViolation(errors, before, deadline);
  sub.unsubscribe();
  if (!refusal) throw new Error("the no-auth user may subscribe to _INBOX.>: it would read every reply in the account");
  return `subscribe to _INBOX.> refused (${refusal})`;
}

/** The connection's asynchronous errors as the server sends them: permissions violations arrive this way. */
export function errorLog(nc: NatsConnection): string[] {
  const errors: string[] = [];
  void (async () => {
    for await (const s of nc.status()) if (s.type === "error") errors.push(s.error.message);
  })();
  return errors;
}

/** The first permissions violation logged at or after index `from`, waited for until `deadline`. */
export async function permissionViolation(errors: readonly string[], from: number, deadline: number, seenElsewhere: () => boolean = () => false): Promise<string | undefined> {
  const find = () => errors.slice(from).find((e) => /permission/i.test(e));
  while (find() === undefined && !seenElsewhere() && Date.now() < deadline) await sleep(20);
  return find();
}

import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { nuid, type NatsConnection } from "@nats-io/transport-node";
import type { AuthUser } from "../model/auth.js";
import { errorLog, instance, permissionViolation } from "./auth-checks.js";
import { retry, sleep } from "./checks.js";
import { REQUEST_TIMEOUT_MS } from "./defaults.js";
import { connectTo, type ClientAccess } from "./clients.js";
import type { ClientAuth } from "./local-plan.js";
import { permits } from "../nats/subjects.js";
import { checkPrefix } from "./subjects-for.js";

/** Declared users: each signs in with its own password from the auth Secret. */
export async function everyUserSignsIn(url: string, access: ClientAccess, users: readonly { user: AuthUser; auth: ClientAuth }[]): Promise<string> {
  for (const u of users) {
    const nc = await connectTo(url, { ...access, auth: u.auth }).catch((e: Error) => {
      throw new Error(`user ${u.user.name} could not sign in: ${e.message}`);
    });
    await nc.close();
  }
  return `${users.map((u) => u.user.name).join(", ")} signed in, each with its own password`;
}

/** A subject `set` refuses: an instance of its first deny entry, or one outside its allow list. */
function refusedSubject(set: { allow?: string[]; deny?: string[] } | undefined): string | undefined {
  if (!set) return undefined;
  const candidates = [...(set.deny ?? []).filter((d) => !d.includes(" ")).map(instance), `natskube.verify.refused.${nuid.next()}`];
  return candidates.find((c) => !permits(set, c));
}

/**
 * The server enforces `user`'s permissions: a publish and a subscription outside them are refused with a
 * permissions violation. `as` is how the client signs in (none for the user anonymous clients become).
 */
export async function permissionsEnforced(url: string, access: ClientAccess, user: AuthUser, as: ClientAuth, timeoutMs: number): Promise<string> {
  const pub = refusedSubject(user.permissions?.publish);
  const sub = refusedSubject(user.permissions?.subscribe);
  const nc = await connectTo(url, { ...access, auth: as });
  const errors = errorLog(nc);
  /** `act` is refused: a permissions violation arrives (or `seen` says the refusal came another way). */
  const refusal = async (act: () => void, what: string, seen?: () => boolean): Promise<string> => {
    const before = errors.length;
    act();
    await nc.flush().catch(() => undefined);
    const found = await permissionViolation(errors, before, Date.now() + timeoutMs, seen);
    if (!found && !seen?.()) throw new Error(`${what} was not refused with a permissions violation`);
    return `${what} refused`;
  };
  try {
    const done: string[] = [];
    const allowed = `${checkPrefix(user)}.allowed.${nuid.next()}`;
    if (permits(user.permissions?.publish, allowed) && permits(user.permissions?.subscribe, allowed)) {
      let got = false;
      nc.subscribe(allowed, { callback: (err) => void (err ? undefined : (got = true)) });
      await nc.flush();
      nc.publish(allowed, "allowed");
      const deadline = Date.now() + timeoutMs;
      while (!got && Date.now() < deadline) await sleep(20);
      if (!got) throw new Error(`${user.name}'s publish to ${allowed}, which its permissions allow, did not reach its own subscription`);
      done.push(`${allowed} delivered`);
    }
    if (pub) done.push(await refusal(() => nc.publish(pub, "must not pass"), `publish to ${pub}`));
    if (sub) {
      // The violation may reach the subscription's callback instead of the connection's status.
      let subError: Error | undefined;
      const subscribe = () => void nc.subscribe(sub, { callback: (err) => void (err && (subError = err)) });
      done.push(await refusal(subscribe, `subscribe to ${sub}`, () => subError !== undefined));
    }
    return done.length > 0 ? `${user.name}: ${done.join("; ")}` : `${user.name} has no restriction to test`;
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/**
 * Accounts are isolated: a message a user of account A publishes reaches A's subscriber, and the same
 * subject published from account B never does.
 */
export async function accountsIsolated(url: string, access: ClientAccess, a: { user: AuthUser; auth: ClientAuth }, b: { user: AuthUser; auth: ClientAuth }, timeoutMs: number): Promise<string> {
  const subject = `${checkPrefix(a.user)}.isolation.${nuid.next()}`;
  if (!permits(b.user.permissions?.publish, subject)) return `${b.user.name} may not publish to ${subject}: isolation shown by its permissions alone`;
  const conns: NatsConnection[] = [];
  try {
    const sa = await connectTo(url, { ...access, auth: a.auth });
    conns.push(sa);
    const sb = await connectTo(url, { ...access, auth: b.auth });
    conns.push(sb);
    const got: string[] = [];
    sa.subscribe(subject, { callback: (err, m) => void (err ? undefined : got.push(m.string())) });
    await sa.flush();
    sb.publish(subject, "from-b");
    await sb.flush();
    sa.publish(subject, "from-a");
    await sa.flush();
    const deadline = Date.now() + timeoutMs;
    while (!got.includes("from-a") && Date.now() < deadline) await sleep(20);
    await sleep(200); // a leak from B, published first, would have arrived by now
    if (!got.includes("from-a")) throw new Error(`${a.user.name}'s own message on ${subject} never arrived`);
    if (got.includes("from-b")) throw new Error(`a message from account ${b.user.account} reached account ${a.user.account}`);
    return `${subject}: account ${a.user.account} received its own message, not account ${b.user.account}'s`;
  } finally {
    for (const c of conns) await c.close().catch(() => undefined);
  }
}

/** A user of an account without JetStream gets no JetStream: the server answers that it is not enabled for the account. */
export async function jetstreamOffInAccount(url: string, access: ClientAccess, u: { user: AuthUser; auth: ClientAuth }): Promise<string> {
  const nc = await connectTo(url, { ...access, auth: u.auth });
  try {
    const jsm = await jetstreamManager(nc, { timeout: REQUEST_TIMEOUT_MS, checkAPI: false });
    const info = await jsm.getAccountInfo().then(
      () => undefined,
      (e: Error) => e.message,
    );
    if (info === undefined) throw new Error(`account ${u.user.account} has JetStream, but the manifest does not enable it`);
    return `account ${u.user.account}: ${info}`;
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/** natskube's system account user sees every server: `$SYS.REQ.SERVER.PING` is answered by each. */
export async function systemAccountAnswers(url: string, access: ClientAccess, auth: ClientAuth, servers: number, timeoutMs: number): Promise<string> {
  const nc = await connectTo(url, { ...access, auth });
  try {
    const deadline = Date.now() + timeoutMs;
    let names = new Set<string>();
    // Servers that just formed may not have exchanged system interest yet: asked again until all answer.
    while (names.size < servers && Date.now() < deadline) {
      const replies = await nc.requestMany("$SYS.REQ.SERVER.PING", "", { maxWait: 1000, maxMessages: servers });
      const seen = new Set<string>();
      for await (const m of replies) seen.add((m.json<{ server?: { name?: string } }>().server?.name) ?? "?");
      if (seen.size > names.size) names = seen;
    }
    if (names.size < servers) throw new Error(`${names.size} of ${servers} servers answered $SYS.REQ.SERVER.PING`);
    return `${[...names].sort().join(", ")} answered $SYS.REQ.SERVER.PING`;
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/**
 * The signed-in user's account has JetStream: it creates a stream (R1, under subjects it may publish to),
 * stores a message in it, and deletes it again. When a declared stream of the account already captures
 * those subjects (the server refuses overlapping streams), the message is stored in that stream instead.
 */
export async function jetstreamStream(nc: NatsConnection, user: string, prefix: string, timeoutMs: number): Promise<string> {
  const jsm = await jetstreamManager(nc, { timeout: REQUEST_TIMEOUT_MS, checkAPI: false });
  const name = `NATSKUBE_VERIFY_${nuid.next()}`;
  const subject = `${prefix}.js.${nuid.next()}`;
  const overlaps = (e: unknown) => /subjects overlap/i.test((e as Error).message);
  const created = await retry(() => jsm.streams.add({ name, subjects: [subject], num_replicas: 1, max_msgs: 10 }), timeoutMs, { isFinal: overlaps }).then(
    () => true,
    (e: Error) => {
      if (overlaps(e)) return false;
      throw new Error(`${user} could not create a stream (${e.message}): does its publish allow list hold $JS.API.> and its subscribe list _INBOX.>?`);
    },
  );
  const store = () => retry(() => jetstream(nc, { timeout: REQUEST_TIMEOUT_MS }).publish(subject, "stored"), timeoutMs);
  if (!created) {
    const ack = await store();
    return `${user} stored a message in the account's stream ${ack.stream} (seq ${ack.seq}), which captures ${prefix}.>`;
  }
  try {
    const ack = await store();
    return `${user} created stream ${name} and stored a message in it (seq ${ack.seq})`;
  } finally {
    await jsm.streams.delete(name).catch(() => undefined);
  }
}

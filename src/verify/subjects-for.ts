import type { AuthUser } from "../model/auth.js";
import { permits } from "../nats/subjects.js";
import { DEFAULT_PREFIX } from "./messaging-checks.js";

/**
 * A subject prefix under which `user` may both publish and subscribe, for verify's messaging checks:
 * `natskube.verify` when its permissions allow it, else the first publish allowance ending in `>` that
 * also passes both directions (`orders.>` gives `orders.natskube.verify`). Nothing found: the default,
 * and the checks fail with the server's permissions violation.
 */
export function checkPrefix(user: AuthUser | undefined): string {
  const p = user?.permissions;
  if (!p) return DEFAULT_PREFIX;
  const fromAllow = (p.publish?.allow ?? [])
    .filter((s) => s.endsWith(".>"))
    .map((s) => `${s.slice(0, -2).replace(/(^|\.)\*(?=\.|$)/g, "$1natskube")}.${DEFAULT_PREFIX}`);
  const probe = (prefix: string) => `${prefix}.check.token`;
  return [DEFAULT_PREFIX, ...fromAllow].find((c) => permits(p.publish, probe(c)) && permits(p.subscribe, probe(c))) ?? DEFAULT_PREFIX;
}

/** `user` may answer a request: publish to the requester's inbox, or allowResponses. */
export function mayRespond(user: AuthUser | undefined): boolean {
  const p = user?.permissions;
  return !p || p.allowResponses !== undefined && p.allowResponses !== false || permits(p.publish, "_INBOX.natskube.check");
}

/** `user` may use the JetStream API: publish to $JS.API.> and read the replies on _INBOX.>. */
export function mayUseJetStream(user: AuthUser): boolean {
  const p = user.permissions;
  return user.jetstream && (!p || (permits(p.publish, "$JS.API.STREAM.INFO.natskube") && permits(p.subscribe, "_INBOX.natskube.check")));
}

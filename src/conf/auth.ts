import type { AuthUser } from "../model/auth.js";
import type { Model } from "../model/model.js";
import { env, type ConfBlock } from "./value.js";

/** Env vars nats.conf reads credentials from; the pod fills them from the auth Secret (render/pod/auth-env.ts). */
export const AUTH_ENV = {
  token: "NATS_TOKEN",
  user: "NATS_USER",
  password: "NATS_PASSWORD",
  noAuthPassword: "NATS_NO_AUTH_PASSWORD",
} as const;

/** The user anonymous clients become (`no_auth_user`) with one shared user. */
export const NO_AUTH_USER = "anonymous";

/**
 * `authorization`, `accounts`, `system_account` and `no_auth_user`. Every credential is an unquoted env
 * reference: a quoted "$VAR" would be the literal text, and a literal value would put the secret into the
 * ConfigMap. TOKEN with users or accounts is rejected by validation: nats-server refuses a token next to
 * either ("Can not have a token and a users array", "Can not have a token and accounts").
 */
export function authSection(m: Model): ConfBlock {
  const a = m.auth;
  if (a.kind === "none") return {};
  if (a.kind === "token") return { authorization: { token: env(AUTH_ENV.token) } };
  if (a.kind === "users") {
    const noAuth = a.noAuthUser ? { no_auth_user: a.noAuthUser } : {};
    if (a.accounts.length === 0) return { authorization: { users: a.users.map(userEntry) }, ...accountsSection(m), ...noAuth };
    const declared: ConfBlock = Object.fromEntries(
      a.accounts.map((acc) => [acc.name, { ...(acc.jetstream ? { jetstream: "enabled" } : {}), users: acc.users.map(userEntry) }]),
    );
    return { ...accountsSection(m, declared), ...noAuth };
  }
  const users: ConfBlock[] = [{ user: env(AUTH_ENV.user), password: env(AUTH_ENV.password) }];
  const nau = a.sharedNoAuth;
  if (!nau) return { authorization: { users }, ...accountsSection(m) };
  users.push({
    user: NO_AUTH_USER,
    password: env(AUTH_ENV.noAuthPassword),
    permissions: {
      publish: { allow: nau.publishSubjects },
      // Nothing by default: every user shares one account, so `_INBOX.>` would be every reply in it
      // (pull-consumer deliveries, KV reads). An empty allow list would allow everything; deny does not.
      subscribe: nau.subscribeSubjects.length > 0 ? { allow: nau.subscribeSubjects } : { deny: [">"] },
    },
  });
  return { authorization: { users }, ...accountsSection(m), no_auth_user: NO_AUTH_USER };
}

/**
 * `accounts` (the declared ones, then the system account) and `system_account`; nothing without either.
 * The users of `authorization` stay in the global account beside them.
 */
function accountsSection(m: Model, declared: ConfBlock = {}): ConfBlock {
  const s = m.auth.systemAccount;
  const accounts: ConfBlock = { ...declared, ...(s ? { [s.account]: { users: [{ user: s.user, password: env(s.env) }] } } : {}) };
  return { ...(Object.keys(accounts).length > 0 ? { accounts } : {}), ...(s ? { system_account: s.account } : {}) };
}

function userEntry(u: AuthUser): ConfBlock {
  const p = u.permissions;
  const permissions: ConfBlock = {};
  for (const direction of ["publish", "subscribe"] as const) {
    const set = p?.[direction];
    const entry: ConfBlock = {};
    if (set?.allow?.length) entry["allow"] = set.allow;
    if (set?.deny?.length) entry["deny"] = set.deny;
    if (Object.keys(entry).length > 0) permissions[direction] = entry;
  }
  const responses = p?.allowResponses;
  if (responses === true) permissions["allow_responses"] = true;
  else if (typeof responses === "object")
    permissions["allow_responses"] = { ...(responses.maxMsgs !== undefined ? { max: responses.maxMsgs } : {}), ...(responses.expires !== undefined ? { expires: responses.expires } : {}) };
  return { user: u.name, password: env(u.env), ...(Object.keys(permissions).length > 0 ? { permissions } : {}) };
}

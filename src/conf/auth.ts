import type { Model } from "../model/model.js";
import { env, type ConfBlock } from "./value.js";

/** Env vars nats.conf reads credentials from; the pod fills them from the auth Secret (render/pod/auth-env.ts). */
export const AUTH_ENV = {
  token: "NATS_TOKEN",
  user: "NATS_USER",
  password: "NATS_PASSWORD",
  noAuthPassword: "NATS_NO_AUTH_PASSWORD",
} as const;

/** The user anonymous clients become (`no_auth_user`). */
export const NO_AUTH_USER = "anonymous";

/**
 * `authorization` and `no_auth_user`. Every credential is an unquoted env reference: a quoted "$VAR"
 * would be the literal text, and a literal value would put the secret into the ConfigMap.
 * TOKEN with noAuthUser is rejected by validation: nats-server refuses a token next to a users list.
 */
export function authSection(m: Model): ConfBlock {
  const a = m.spec.auth;
  if (!a.enabled) return {};
  if (a.mode === "TOKEN") return { authorization: { token: env(AUTH_ENV.token) } };
  const users: ConfBlock[] = [{ user: env(AUTH_ENV.user), password: env(AUTH_ENV.password) }];
  const nau = a.noAuthUser;
  if (!nau?.enabled) return { authorization: { users } };
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
  return { authorization: { users }, no_auth_user: NO_AUTH_USER };
}

import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import { AUTH_ENV } from "../../conf/auth.js";
import type { Model } from "../../model/model.js";

export { AUTH_ENV } from "../../conf/auth.js";

/** Environment variables nats.conf refers to for credentials; values come from the auth Secret only, never inline. */
export function authEnv(m: Model): IEnvVar[] {
  const a = m.spec.auth;
  if (!a.enabled) return [];
  const ref = (name: string, key: string): IEnvVar => ({ name, valueFrom: { secretKeyRef: { name: m.names.authSecret, key } } });
  if (a.mode === "TOKEN") return [ref(AUTH_ENV.token, a.tokenKey)];
  const env = [ref(AUTH_ENV.user, a.userKey), ref(AUTH_ENV.password, a.passwordKey)];
  if (a.noAuthUser?.enabled) env.push(ref(AUTH_ENV.noAuthPassword, a.noAuthUser.passwordKey));
  return env;
}

import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { Model } from "../../model/model.js";

/** Environment variables nats.conf refers to for credentials; values come from the auth Secret only. */
export const AUTH_ENV = { token: "NATS_TOKEN", user: "NATS_USER", password: "NATS_PASSWORD" } as const;

export function authEnv(m: Model): IEnvVar[] {
  const a = m.spec.auth;
  if (!a.enabled) return [];
  const ref = (name: string, key: string): IEnvVar => ({ name, valueFrom: { secretKeyRef: { name: m.names.authSecret, key } } });
  return a.mode === "TOKEN"
    ? [ref(AUTH_ENV.token, a.tokenKey)]
    : [ref(AUTH_ENV.user, a.userKey), ref(AUTH_ENV.password, a.passwordKey)];
}

import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import { AUTH_ENV } from "../../conf/auth.js";
import type { Model } from "../../model/model.js";

export { AUTH_ENV } from "../../conf/auth.js";

/** Environment variables nats.conf refers to for credentials; values come from Secrets only, never inline. */
export function authEnv(m: Model): IEnvVar[] {
  const a = m.spec.auth;
  const ref = (name: string, key: string, secret = m.names.authSecret): IEnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
  const sys = m.auth.systemAccount;
  const system = sys ? [ref(sys.env, sys.passwordKey, sys.secret)] : [];
  switch (m.auth.kind) {
    case "none":
      return [];
    case "token":
      return [ref(AUTH_ENV.token, a.tokenKey)];
    case "users":
      return [...m.auth.users.map((u) => ref(u.env, u.passwordKey)), ...system];
    case "shared-user": {
      const env = [ref(AUTH_ENV.user, a.userKey), ref(AUTH_ENV.password, a.passwordKey)];
      if (m.auth.sharedNoAuth) env.push(ref(AUTH_ENV.noAuthPassword, m.auth.sharedNoAuth.passwordKey, m.auth.sharedNoAuth.secret));
      return [...env, ...system];
    }
  }
}

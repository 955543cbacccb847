import type { Spec } from "../spec/types.js";

type Permissions = NonNullable<Spec["auth"]["users"][number]["permissions"]>;

/** A declared user, resolved: where its password comes from and which account it signs in to. */
export interface AuthUser {
  name: string;
  /** Where the manifest declares it, for findings. */
  path: (string | number)[];
  /** Undefined for a user of the shared (global) account. */
  account?: string;
  /** JetStream is on for the user's account. */
  jetstream: boolean;
  /** Key of its password in the auth Secret. */
  passwordKey: string;
  /** The server's environment variable nats.conf reads the password from. */
  env: string;
  permissions?: Permissions;
}

export interface AuthAccount {
  name: string;
  jetstream: boolean;
  users: AuthUser[];
}

/** The account natskube operates the cluster as; its one user's password is in its own Secret, which no client reads. */
export interface SystemAccount {
  account: string;
  user: string;
  secret: string;
  passwordKey: string;
  env: string;
}

export interface AuthModel {
  /** none; one shared token; one shared user (and natskube's own no-auth user); declared users or accounts. */
  kind: "none" | "token" | "shared-user" | "users";
  /** Every declared user, flat or in an account, in the order written. */
  users: AuthUser[];
  /** Declared accounts (empty with flat users). */
  accounts: AuthAccount[];
  /** The declared user clients without credentials become. */
  noAuthUser?: string;
  /** With one shared user: natskube's own restricted user that clients without credentials become. */
  sharedNoAuth?: { publishSubjects: string[]; subscribeSubjects: string[]; secret: string; passwordKey: string };
  systemAccount?: SystemAccount;
  /**
   * With declared users: the one the NACK controller signs in as (spec.nack.user), and the auth Secret
   * key holding its name, since NACK reads a user's name and password from one Secret.
   */
  nack?: { user: AuthUser; userKey: string };
}

export const SYSTEM_ACCOUNT = "SYS";
/** The system account's one user; declared users may not take the name (nats-server refuses duplicate users). */
export const SYSTEM_USER = "natskube-system";
export const SYSTEM_PASSWORD_ENV = "NATS_SYSTEM_PASSWORD";

/**
 * `NATS_PASSWORD_<NAME>`: named after the user, not its position, so reordering users changes no
 * environment variable (and restarts no server). Names that collide once upper-cased and stripped to
 * [A-Z0-9_] get their position appended.
 */
export function passwordEnvNames(names: readonly string[]): string[] {
  const base = names.map((n) => `NATS_PASSWORD_${n.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`);
  return base.map((b, i) => (base.indexOf(b) !== base.lastIndexOf(b) ? `${b}_${i}` : b));
}

export function resolveAuth(spec: Spec, name: string): AuthModel {
  const a = spec.auth;
  const none: AuthModel = { kind: "none", users: [], accounts: [] };
  if (!a.enabled) return none;
  if (a.mode === "TOKEN") return { ...none, kind: "token" };
  const declared = [
    ...a.users.map((u, i) => ({ user: u, path: ["spec", "auth", "users", i], account: undefined as string | undefined, jetstream: spec.jetstream.enabled })),
    ...a.accounts.flatMap((acc, ai) =>
      acc.users.map((u, i) => ({ user: u, path: ["spec", "auth", "accounts", ai, "users", i], account: acc.name as string | undefined, jetstream: spec.jetstream.enabled && acc.jetstream })),
    ),
  ];
  const envs = passwordEnvNames(declared.map((d) => d.user.name));
  const users: AuthUser[] = declared.map(({ user, path, account, jetstream }, i) => ({
    name: user.name,
    path,
    ...(account !== undefined ? { account } : {}),
    jetstream,
    passwordKey: user.passwordKey ?? user.name,
    env: envs[i]!,
    ...(user.permissions ? { permissions: user.permissions } : {}),
  }));
  const accounts = a.accounts.map((acc) => ({ name: acc.name, jetstream: acc.jetstream, users: users.filter((u) => u.account === acc.name) }));
  const kind = users.length > 0 ? "users" : "shared-user";
  const sys = a.systemAccount;
  const systemOn = sys?.enabled ?? kind === "users";
  const nackUser = users.find((u) => u.name === spec.nack.user);
  return {
    kind,
    users,
    accounts,
    ...(typeof a.noAuthUser === "string" ? { noAuthUser: a.noAuthUser } : {}),
    ...(kind === "shared-user" && typeof a.noAuthUser === "object" && a.noAuthUser.enabled
      ? {
          sharedNoAuth: {
            publishSubjects: a.noAuthUser.publishSubjects,
            subscribeSubjects: a.noAuthUser.subscribeSubjects,
            secret: a.noAuthUser.secretName ?? a.secretName ?? `${name}-auth`,
            passwordKey: a.noAuthUser.passwordKey,
          },
        }
      : {}),
    ...(systemOn
      ? { systemAccount: { account: SYSTEM_ACCOUNT, user: SYSTEM_USER, secret: sys?.secretName ?? `${name}-system`, passwordKey: sys?.passwordKey ?? "password", env: SYSTEM_PASSWORD_ENV } }
      : {}),
    ...(nackUser ? { nack: { user: nackUser, userKey: spec.nack.userKey } } : {}),
  };
}

/**
 * The user natskube's own clients (verify, nats-box) sign in as: the first declared user whose account has
 * JetStream and who has no permissions (full access to its account), then one with JetStream, then one with
 * full access, then the first.
 */
export function operatingUser(auth: AuthModel): AuthUser | undefined {
  const rank = (u: AuthUser) => (u.jetstream ? 0 : 2) + (u.permissions ? 1 : 0);
  return [...auth.users].sort((a, b) => rank(a) - rank(b))[0];
}

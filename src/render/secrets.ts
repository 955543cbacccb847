import type { ISecret } from "kubernetes-models/v1/Secret";
import type { Model } from "../model/model.js";
import { nodeCrypto } from "../node-crypto.js";
import { objectMeta, type KubeObject } from "./object.js";

/** Length of generated secrets: 40 of 52 letters, 228 bits. */
export const SECRET_LENGTH = 40;
/** The user name in a generated BASIC Secret; not a secret, the password is. */
export const GENERATED_USER = "nats";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Picks an integer in [0, max); crypto.randomInt by default, injectable so tests can use known values. */
export type RandomIndex = (max: number) => number;

/** crypto.randomInt, with node:crypto loaded only when a secret is generated. */
const randomInt: RandomIndex = (max) => nodeCrypto().randomInt(max);

/**
 * Letters only: nats-server parses an env value as a config token, so `12345`, `1GB`, `true` or values
 * with `;` or spaces would break or truncate the config (Project Planton crash-looped every server on a
 * generated password starting with a digit). 40 of 52 letters: 228 bits.
 */
export function randomSecret(random: RandomIndex = randomInt, length = SECRET_LENGTH): string {
  let out = "";
  while (out.length < length) out += LETTERS[random(LETTERS.length)]!;
  return out;
}

export interface RequiredSecret {
  name: string;
  keys: string[];
  /** natskube can generate it (`render --generate-secrets`); otherwise the user (or cert-manager) provides it. */
  generated: boolean;
  purpose: string;
}

/** Secrets the pods need that the plain render does not create. cert-manager's Secrets are not listed: cert-manager creates them. */
export function requiredSecrets(m: Model): RequiredSecret[] {
  const out: RequiredSecret[] = [];
  const a = m.spec.auth;
  const keys = authKeys(m);
  if (keys.length > 0) out.push({ name: m.names.authSecret, keys, generated: a.secretName === undefined, purpose: "client credentials" });
  const nau = m.auth.sharedNoAuth;
  if (nau && nau.secret !== m.names.authSecret)
    out.push({ name: nau.secret, keys: [nau.passwordKey], generated: false, purpose: "the no-auth user's password, which no client sends" });
  const sys = m.auth.systemAccount;
  if (sys) out.push({ name: sys.secret, keys: [sys.passwordKey], generated: a.systemAccount?.secretName === undefined, purpose: "system account password, read by no client" });
  if (m.tls?.source === "secretName")
    out.push({
      name: m.names.tlsSecret,
      keys: ["tls.crt", "tls.key", ...(m.tls.caKey ? [m.tls.caKey] : [])],
      generated: false,
      purpose: "server certificate",
    });
  const client = m.tls?.client;
  if (client && !client.issued)
    out.push({
      name: client.secretName,
      keys: ["tls.crt", "tls.key", ...(m.tls?.caKey ? [m.tls.caKey] : [])],
      generated: false,
      purpose: "client certificate of nats-box, NACK and apply",
    });
  return out;
}

/** Keys of the auth Secret the servers read, in the order the Secret is written. */
export function authKeys(m: Model): string[] {
  const a = m.spec.auth;
  switch (m.auth.kind) {
    case "none":
      return [];
    case "token":
      return [a.tokenKey];
    case "users":
      return [...m.auth.users.map((u) => u.passwordKey), ...(m.auth.nack ? [m.auth.nack.userKey] : [])];
    case "shared-user": {
      const nau = m.auth.sharedNoAuth;
      return [a.userKey, a.passwordKey, ...(nau && nau.secret === m.names.authSecret ? [nau.passwordKey] : [])];
    }
  }
}

/** The Secrets `--generate-secrets` makes: the required ones that are natskube's own (`<name>-auth`, `<name>-system`). */
export function generatedSecretNames(m: Model): string[] {
  return requiredSecrets(m)
    .filter((s) => s.generated)
    .map((s) => s.name);
}

/**
 * The user name an auth Secret key holds, if it holds one (no secret: the password is): the shared BASIC
 * user's fixed name, or the declared user NACK signs in as.
 */
function userNameIn(m: Model, key: string): string | undefined {
  if (m.auth.kind === "shared-user" && key === m.spec.auth.userKey) return GENERATED_USER;
  const nack = m.auth.nack;
  return nack && key === nack.userKey ? nack.user.name : undefined;
}

/**
 * natskube's own Secrets with fresh random values, for those the manifest does not name. Rendered only on
 * explicit request (`render --generate-secrets`): the one nondeterministic output, kept out of every default render.
 */
export function generatedSecrets(m: Model, random: RandomIndex = randomInt): ISecret[] {
  const value = (secret: string, key: string) => (secret === m.names.authSecret ? userNameIn(m, key) : undefined) ?? randomSecret(random);
  return requiredSecrets(m)
    .filter((s) => s.generated)
    .map((s) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: objectMeta(m, s.name, m.moduleLabels),
      type: "Opaque",
      stringData: Object.fromEntries(s.keys.map((k) => [k, value(s.name, k)])),
    }));
}

/** `objects` with the generated Secrets placed before everything but the Namespace, so they exist before the pods. */
export function withGeneratedSecrets(m: Model, objects: readonly KubeObject[], random: RandomIndex = randomInt): KubeObject[] {
  const secrets = generatedSecrets(m, random);
  if (secrets.length === 0) return [...objects];
  const at = objects.findIndex((o) => o.kind !== "Namespace");
  const i = at === -1 ? objects.length : at;
  return [...objects.slice(0, i), ...(secrets as KubeObject[]), ...objects.slice(i)];
}

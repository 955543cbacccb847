import { randomInt } from "node:crypto";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { Model } from "../model/model.js";
import { objectMeta, type KubeObject } from "./object.js";

/** Length of generated secrets: well above 128 bits of entropy with 62 symbols. */
export const SECRET_LENGTH = 40;
/** The user name in a generated BASIC Secret; not a secret, the password is. */
export const GENERATED_USER = "nats";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALPHANUMERIC = `${LETTERS}0123456789`;

/** Picks an integer in [0, max); crypto.randomInt by default, injectable so tests can use known values. */
export type RandomIndex = (max: number) => number;

/**
 * Letters and digits, starting with a letter: nats-server parses an env value as a config token, so
 * `12345`, `1GB`, `true` or values with `;` or spaces would break or truncate the config.
 */
export function randomSecret(random: RandomIndex = randomInt, length = SECRET_LENGTH): string {
  let out = LETTERS[random(LETTERS.length)]!;
  while (out.length < length) out += ALPHANUMERIC[random(ALPHANUMERIC.length)]!;
  return out;
}

export interface RequiredSecret {
  name: string;
  keys: string[];
  /** natskube can generate it (`render --generate-secrets`); otherwise the user (or cert-manager) provides it. */
  generated: boolean;
  purpose: string;
}

/** Secrets the pods need that the plain render does not create. cert-manager's Secret is not listed: cert-manager creates it. */
export function requiredSecrets(m: Model): RequiredSecret[] {
  const out: RequiredSecret[] = [];
  const a = m.spec.auth;
  if (a.enabled) {
    const keys = a.mode === "TOKEN" ? [a.tokenKey] : [a.userKey, a.passwordKey];
    if (a.mode === "BASIC" && a.noAuthUser?.enabled) keys.push(a.noAuthUser.passwordKey);
    out.push({ name: m.names.authSecret, keys, generated: a.secretName === undefined, purpose: "client credentials" });
  }
  if (m.tls?.source === "secretName")
    out.push({
      name: m.names.tlsSecret,
      keys: ["tls.crt", "tls.key", ...(m.tls.caKey ? [m.tls.caKey] : [])],
      generated: false,
      purpose: "server certificate",
    });
  return out;
}

/**
 * natskube's own `<name>-auth` Secret with fresh random values. Rendered only on explicit request
 * (`render --generate-secrets`): the one nondeterministic output, kept out of every default render.
 */
export function authSecret(m: Model, random: RandomIndex = randomInt): ISecret | undefined {
  const a = m.spec.auth;
  if (!a.enabled || a.secretName !== undefined) return undefined;
  const data: Record<string, string> = {};
  if (a.mode === "TOKEN") data[a.tokenKey] = randomSecret(random);
  else {
    data[a.userKey] = GENERATED_USER;
    data[a.passwordKey] = randomSecret(random);
    if (a.noAuthUser?.enabled) data[a.noAuthUser.passwordKey] = randomSecret(random);
  }
  return { apiVersion: "v1", kind: "Secret", metadata: objectMeta(m, m.names.authSecret), type: "Opaque", stringData: data };
}

/** `objects` with the generated Secret placed before everything but the Namespace, so it exists before the pods. */
export function withGeneratedSecrets(m: Model, objects: readonly KubeObject[], random: RandomIndex = randomInt): KubeObject[] {
  const secret = authSecret(m, random);
  if (!secret) return [...objects];
  const at = objects.findIndex((o) => o.kind !== "Namespace");
  const i = at === -1 ? objects.length : at;
  return [...objects.slice(0, i), secret as KubeObject, ...objects.slice(i)];
}

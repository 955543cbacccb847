import { randomInt } from "node:crypto";
import type { KubeObject } from "../render/object.js";
import { randomSecret } from "../render/secrets.js";

/** A value for a Secret key the render does not hold: generated as `render --generate-secrets` would, shorter. */
export const throwawaySecret = (length = 32): string => randomSecret(randomInt, length);

/**
 * Values for the Secret keys the pods read. A Secret present in the render (generated on request)
 * gives its own value, as it would in the cluster; then a value the caller gives (`"secret/key"`, a
 * Secret applied beside the render); any other key gets a throwaway value, the same for every pod.
 * Remembers every value so reports can be scrubbed of them.
 */
export class SecretValues {
  private readonly values = new Map<string, string>();

  constructor(
    private readonly objects: readonly KubeObject[],
    private readonly given: Readonly<Record<string, string>> = {},
  ) {}

  get(secret: string, key: string): string {
    const id = `${secret}/${key}`;
    let v = this.values.get(id);
    if (v === undefined) {
      v = this.rendered(secret, key) ?? this.given[id] ?? throwawaySecret();
      this.values.set(id, v);
    }
    return v;
  }

  /**
   * A key that holds no secret (a user name beside its password): its value as `get` finds it, else
   * `fallback`, and not remembered, so that reports keep the name.
   */
  plain(secret: string, key: string, fallback: string): string {
    return this.rendered(secret, key) ?? this.given[`${secret}/${key}`] ?? fallback;
  }

  all(): string[] {
    return [...this.values.values()];
  }

  private rendered(secret: string, key: string): string | undefined {
    const s = this.objects.find((o) => o.kind === "Secret" && o.metadata.name === secret) as
      | { stringData?: Record<string, string>; data?: Record<string, string> }
      | undefined;
    const plain = s?.stringData?.[key];
    if (plain !== undefined) return plain;
    const encoded = s?.data?.[key];
    return encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
  }
}

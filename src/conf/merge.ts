import type { ConfBlock, ConfValue } from "./value.js";
import { isRaw } from "./value.js";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const isBlock = (v: unknown): v is ConfBlock => typeof v === "object" && v !== null && !Array.isArray(v) && !isRaw(v);

/**
 * Where `extra` sets a key `base` already has (a value, or a block where `extra` writes a value): the
 * paths natskube renders itself, which validation refuses to override.
 */
export function mergeConflicts(base: ConfBlock, extra: Record<string, Json>, at: string[] = []): string[][] {
  return Object.entries(extra).flatMap(([k, v]) => {
    const mine = base[k];
    if (mine === undefined) return [];
    if (isBlock(mine) && isBlock(v)) return mergeConflicts(mine, v as Record<string, Json>, [...at, k]);
    return [[...at, k]];
  });
}

/** `base` with `extra`'s keys added where `base` has none (blocks merged key by key); conflicts are refused by validation first. */
export function mergeConf(base: ConfBlock, extra: Record<string, Json> | undefined): ConfBlock {
  if (!extra) return base;
  const out: ConfBlock = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const mine = out[k];
    if (mine === undefined) out[k] = toConf(v);
    else if (isBlock(mine) && isBlock(v)) out[k] = mergeConf(mine, v as Record<string, Json>);
  }
  return out;
}

/** JSON as nats.conf data; null has no nats.conf spelling and is left out. */
function toConf(v: Json): ConfValue | undefined {
  if (v === null) return undefined;
  if (Array.isArray(v)) return v.map(toConf).filter((x): x is ConfValue => x !== undefined);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toConf(x)]));
  return v;
}

import { QUANTITY_PATTERN } from "./schema/primitives.js";

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value of a Kubernetes quantity in base units (bytes, cores); undefined if malformed. */
export function parseQuantity(q: string): number | undefined {
  if (!QUANTITY_PATTERN.test(q)) return undefined;
  const m = /^[+]?([0-9.]+)(.*)$/.exec(q);
  if (!m) return undefined;
  const num = Number(m[1]);
  const suffix = m[2] ?? "";
  if (suffix in BINARY) return num * BINARY[suffix]!;
  if (suffix in DECIMAL) return num * DECIMAL[suffix]!;
  if (/^[eE]/.test(suffix)) return num * 10 ** Number(suffix.slice(1));
  return undefined;
}

/** Bytes in the largest binary unit that keeps an integer, e.g. 7730941132 -> "7372Mi"; as NATS and Go accept. */
export function formatBytes(bytes: number, units: readonly string[] = ["Ki", "Mi", "Gi", "Ti"]): string {
  let value = Math.floor(bytes);
  let unit = "";
  for (const u of units) {
    if (value % 1024 !== 0 || value < 1024) break;
    value /= 1024;
    unit = u;
  }
  return `${value}${unit}`;
}

/** Exact bytes for a message that compares sizes at their limit: `formatBytes`, or `N bytes` when no unit divides it. */
export function exactBytes(bytes: number): string {
  const f = formatBytes(bytes);
  return /\d$/.test(f) ? `${bytes} bytes` : f;
}

/** Bytes rounded for a message about headroom: 7516192768 -> 7Gi, 8053063680 -> 7.5Gi. */
export function roundedBytes(bytes: number): string {
  const units = ["Ki", "Mi", "Gi", "Ti"];
  let v = bytes;
  let u = "";
  for (const next of units) {
    if (v < 1024) break;
    v /= 1024;
    u = next;
  }
  return Number.isInteger(v) ? formatBytes(bytes, units) : `${v.toFixed(1)}${u}`;
}

// Go's time.ParseDuration, which NACK applies to every duration field of a resource.

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
/** Units people write that Go does not know; only used to suggest the Go spelling. */
const EXTRA_UNIT_NS: Record<string, number> = { d: 24 * 3600e9, w: 7 * 24 * 3600e9 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w)/y;

function parse(text: string, units: Record<string, number>): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s.startsWith("-") ? -1 : 1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const start = PART.lastIndex;
    const m = PART.exec(s);
    if (!m || m.index !== start) return undefined;
    const unit = units[m[2]!];
    if (unit === undefined) return undefined;
    total += Number(m[1]) * unit;
  }
  return sign * Math.round(total);
}

/** Nanoseconds, or undefined when Go's time.ParseDuration would fail. */
export function parseGoDuration(text: string): number | undefined {
  return parse(text, UNIT_NS);
}

/** The shortest Go spelling of a whole number of nanoseconds, e.g. 168h, 1h30m, 500ms. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return "0s";
  let rest = ns;
  let out = "";
  for (const [unit, size] of [["h", 3600e9], ["m", 60e9], ["s", 1e9]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  if (rest > 0) out += rest % 1e6 === 0 ? `${rest / 1e6}ms` : `${rest}ns`;
  return out;
}

/** For a duration Go rejects, the Go spelling of what was probably meant (`7d` -> `168h`). */
export function suggestGoDuration(text: string): string | undefined {
  const ns = parse(text.trim(), { ...UNIT_NS, ...EXTRA_UNIT_NS });
  return ns === undefined || ns < 0 ? undefined : formatGoDuration(ns);
}

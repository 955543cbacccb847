/** Small statistics and table helpers for the benchmarks (no dependencies, no clock tricks). */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function ms(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return "n/a";
  if (x < 1) return `${(x * 1000).toFixed(0)} µs`;
  return x < 1000 ? `${x.toFixed(digits)} ms` : `${(x / 1000).toFixed(2)} s`;
}

export function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "n/a";
  return perSecond >= 10_000 ? `${Math.round(perSecond / 1000)}k/s` : `${Math.round(perSecond)}/s`;
}

export interface Row {
  benchmark: string;
  result: string;
  notes: string;
}

export function table(rows: readonly Row[]): string {
  const head: Row = { benchmark: "benchmark", result: "result", notes: "notes" };
  const all = [head, ...rows];
  const w = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
  const line = (r: Row) => `| ${r.benchmark.padEnd(w("benchmark"))} | ${r.result.padEnd(w("result"))} | ${r.notes.padEnd(w("notes"))} |`;
  const sep = `|${"-".repeat(w("benchmark") + 2)}|${"-".repeat(w("result") + 2)}|${"-".repeat(w("notes") + 2)}|`;
  return [line(head), sep, ...rows.map(line)].join("\n");
}

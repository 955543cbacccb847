import fc from "fast-check";
import { fuzzInput } from "../support/fuzz-inputs.js";
import { judgeCli, judgeLibrary } from "../support/fuzz-judge.js";

// A longer run than the unit tier's: `scripts/fuzz.sh N SEED`. Counts instead of stopping at the first defect,
// so one run gives the figures (cases, defective cases by kind, slowest case).
const cases = Number(process.argv[2] ?? 5000);
const seed = Number(process.argv[3] ?? 4242);
const cliEvery = Number(process.env["FUZZ_CLI_EVERY"] ?? 100);

// Drawn in chunks: some inputs are megabytes, and all of them at once would take gigabytes.
const CHUNK = 250;
function* samples(): Generator<{ text: string }> {
  for (let drawn = 0; drawn < cases; drawn += CHUNK) yield* fc.sample(fuzzInput, { numRuns: Math.min(CHUNK, cases - drawn), seed: seed + drawn });
}
const kinds = new Map<string, number>();
const examples = new Map<string, string>();
let defective = 0;
let cliRuns = 0;
let slowest = 0;
const started = performance.now();
let i = -1;
for (const { text } of samples()) {
  i++;
  const verdicts = [judgeLibrary(text)];
  if (i % cliEvery === 0) {
    verdicts.push(judgeCli(text));
    cliRuns++;
  }
  if ((i + 1) % 250 === 0) process.stderr.write(`  ${i + 1} cases, ${defective} defective, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  const defects = verdicts.flatMap((v) => v.defects);
  slowest = Math.max(slowest, verdicts[0]!.ms);
  if (defects.length === 0) continue;
  defective++;
  for (const defect of defects) {
    const kind = defect.split(":")[0]!.replace(/\d+/g, "N");
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    if (!examples.has(kind)) examples.set(kind, `case ${i}: ${defect}`);
  }
}
const seconds = (performance.now() - started) / 1000;
const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(`fuzz: ${cases} cases (seed ${seed}), ${cliRuns} through bin/natskube, ${defective} defective; slowest case ${Math.round(slowest)} ms of CPU, ${seconds.toFixed(1)} s in all, peak RSS ${peakMb} MB`);
for (const [kind, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${kind}    e.g. ${examples.get(kind)!.slice(0, 160)}`);
process.exitCode = defective === 0 ? 0 : 1;

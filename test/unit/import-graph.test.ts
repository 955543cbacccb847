// The folder map of CONTRIBUTING.md is the import graph: dependency-cruiser checks src/ against the
// rules of .dependency-cruiser.cjs (type-only imports included), and a forbidden import fails here.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../support/cli.js";

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

const BIN = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
const RULES = (createRequire(import.meta.url)(join(ROOT, ".dependency-cruiser.cjs")) as { forbidden: { name: string }[] }).forbidden.map((r) => r.name);

/** dependency-cruiser over `src` of `cwd` with the config there; its violations. */
function cruise(cwd: string, config: string): Promise<Violation[]> {
  return new Promise((done, fail) =>
    execFile(process.execPath, [BIN, "src", "--config", config, "--output-type", "json"], { cwd, timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      // It exits with the number of errors found; a crash prints no JSON.
      try {
        done((JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations);
      } catch {
        fail(new Error(`dependency-cruiser failed: ${err?.message ?? ""}\n${stderr}`));
      }
    }),
  );
}

const show = (vs: Violation[]) => vs.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);

describe("the import graph follows the folder map", { timeout: 120_000 }, () => {
  it("src/ breaks no rule of .dependency-cruiser.cjs", async () => {
    assert.deepEqual(show(await cruise(ROOT, ".dependency-cruiser.cjs")), []);
  });

  it("every rule can fail: a tree that breaks each once is caught, rule by rule, and its one allowed import is not", async () => {
    const found = await cruise(join(ROOT, "test", "fixtures", "import-graph"), ".dependency-cruiser.cjs");
    assert.deepEqual([...new Set(found.map((v) => v.rule.name))].sort(), [...RULES].sort());
    assert.ok(show(found).includes("render-is-pure: src/render/r.js -> src/load/load.js"), show(found).join("\n"));
    assert.ok(show(found).includes("library-never-imports-cli: src/render/r.js -> src/cli/main.js"));
    assert.ok(show(found).some((v) => /^only-live-talks-to-kubernetes: src\/status\/s.js -> .*node_modules\/@kubernetes\/client-node\//.test(v)), "a package import is seen");
    assert.ok(show(found).includes("check-runs-over-the-model: src/check/c.js -> src/render/r.js"), "the rule engine never reaches render");
    assert.ok(show(found).includes("spec-precedes-the-rest: src/spec/s.js -> src/model/m.js"), "the schema pass never reaches the Model");
    assert.ok(!found.some((v) => v.from === "src/check/c.js" && v.to === "src/model/m.js"), "check -> model is allowed");
  });
});

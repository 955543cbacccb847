import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { ROOT } from "../support/cli.js";

// The package as a dependency of a separate project: its exports and its .d.ts, strict, no skipLibCheck.
it("a consumer's TypeScript compiles against the built package: typed input, render from an object", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "natskube-consumer-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "natskube"), "dir");
  // @types/node from natskube's own tree: the consumer's, as a project on Node 20 has it.
  symlinkSync(join(ROOT, "node_modules", "@types"), join(dir, "node_modules", "@types"), "dir");
  copyFileSync(join(ROOT, "test", "fixtures", "consumer", "consumer.ts.txt"), join(dir, "consumer.ts"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
  const tsconfig = { compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", skipLibCheck: false, outDir: "out", types: ["node"] }, files: ["consumer.ts"] };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { encoding: "utf8", timeout: 120_000 });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  const run = spawnSync(process.execPath, [join(dir, "out", "consumer.js")], { cwd: dir, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^ServiceAccount\/orders .*StatefulSet\/orders/);
  assert.match(run.stdout, /kind: StatefulSet/);
});

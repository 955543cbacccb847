import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, describe, it } from "node:test";
import { BIN, ROOT } from "../support/cli.js";

// What a `natskube render` process loads (docs/performance.md): start-up is most of its time, so what
// only some commands use is loaded when used. A probe required before the CLI reports, at exit, which
// of those were loaded; the code cache is off, so the run is the CLI's own.
describe("start-up loads only what the command uses", () => {
  const dir = mkdtempSync(join(tmpdir(), "natskube-startup-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const probe = join(dir, "probe.cjs");
  writeFileSync(probe, `process.on("exit", () => process.stderr.write("\\n" + JSON.stringify({ crypto: process.moduleLoadList.includes("NativeModule crypto"), main: process.mainModule?.filename ?? null })));\n`);
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, ["--require", probe, BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NATSKUBE_CODE_CACHE: "0" }, timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stderr.trimEnd().split("\n");
    return { stdout: r.stdout, loaded: JSON.parse(lines.at(-1)!) as { crypto: boolean; main: string | null } };
  };

  it("bin/natskube is CommonJS (bin/package.json): Node's ES module loader would cost 2-4 ms", () => {
    assert.equal(run(["render", "examples/dev.yaml"]).loaded.main, BIN);
  });

  it("render, with Grafana dashboards, loads no node:crypto (the dashboards' uid is hashed in JS)", () => {
    const r = run(["render", "examples/production.yaml"]);
    assert.match(r.stdout, /"uid": "natskube-/); // the dashboards are rendered (their bytes: golden.test.ts)
    assert.equal(r.loaded.crypto, false);
  });

  it("--generate-secrets loads it, on use", () => {
    const r = run(["render", "examples/production.yaml", "--generate-secrets"]);
    assert.match(r.stdout, /kind: Secret/);
    assert.equal(r.loaded.crypto, true);
  });

  it("node:crypto loads without process.getBuiltinModule (Node 20 before 20.16)", () => {
    const lib = pathToFileURL(join(ROOT, "dist", "src", "node-crypto.js")).href;
    const code = `process.getBuiltinModule = undefined; const { nodeCrypto } = await import(${JSON.stringify(lib)}); process.stdout.write(String(nodeCrypto().randomInt(1)));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", timeout: 30_000 });
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "0");
  });

  it("the Planton redesign's schema is built only for a document of the redesign", () => {
    const built = (file: string) => {
      const lib = (f: string) => JSON.stringify(pathToFileURL(join(ROOT, "dist", "src", f)).href);
      const code = [
        `const { parseText } = await import(${lib("pipeline.js")});`,
        `const { redesignSchemaBuilt } = await import(${lib("spec/schema/planton-redesign.js")});`,
        `const { readFileSync } = await import("node:fs");`,
        `const r = parseText(readFileSync(${JSON.stringify(join(ROOT, file))}, "utf8"), "x.yaml");`,
        `process.stdout.write(JSON.stringify([r.parsed.length, redesignSchemaBuilt()]));`,
      ].join("\n");
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", timeout: 30_000 });
      assert.equal(r.stderr, "");
      return JSON.parse(r.stdout) as [number, boolean];
    };
    assert.deepEqual(built("examples/production.yaml"), [1, false]);
    assert.deepEqual(built("examples/planton.yaml"), [1, false]);
    assert.deepEqual(built("test/fixtures/planton-redesign/v1-preset-01-dev.yaml"), [1, true]);
  });
});

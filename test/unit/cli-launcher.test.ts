import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { BIN, ROOT } from "../support/cli.js";

// bin/natskube's code cache is an optimisation only: whatever state it is in, the command's output,
// errors and exit code are the same.
describe("the launcher's code cache", () => {
  const dir = mkdtempSync(join(tmpdir(), "natskube-cache-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const golden = readFileSync(join(ROOT, "test", "golden", "dev.yaml"), "utf8");
  const render = (env: NodeJS.ProcessEnv) => {
    const r = spawnSync(process.execPath, [BIN, "render", "examples/dev.yaml"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, golden);
  };
  const cacheDir = join(dir, "cache");

  it("is written on the first run, into the cache directory, and used by the next", () => {
    render({ NATSKUBE_CACHE_DIR: cacheDir });
    const files = readdirSync(cacheDir).filter((f) => f.endsWith(".v8")); // Node 22's own cache has a folder beside it
    assert.equal(files.length, 1, files.join(", "));
    assert.match(files[0]!, /^cli-[0-9a-f]{16}-node/);
    const written = statSync(join(cacheDir, files[0]!)).mtimeMs;
    render({ NATSKUBE_CACHE_DIR: cacheDir });
    assert.deepEqual(readdirSync(cacheDir).filter((f) => f.endsWith(".v8")), files);
    assert.equal(statSync(join(cacheDir, files[0]!)).mtimeMs, written, "a usable cache is not rewritten");
  });
  it("a corrupt cache is ignored and replaced", () => {
    const [file] = readdirSync(cacheDir).filter((f) => f.endsWith(".v8"));
    writeFileSync(join(cacheDir, file!), "not V8 cached data");
    render({ NATSKUBE_CACHE_DIR: cacheDir });
    assert.notEqual(readFileSync(join(cacheDir, file!), "utf8"), "not V8 cached data");
  });
  it("an unwritable cache directory costs only the cache", () => {
    const notADir = join(dir, "a-file");
    writeFileSync(notADir, "");
    render({ NATSKUBE_CACHE_DIR: join(notADir, "cache") });
  });
  it("NATSKUBE_CODE_CACHE=0 turns it off", () => {
    const off = join(dir, "off");
    render({ NATSKUBE_CACHE_DIR: off, NATSKUBE_CODE_CACHE: "0" });
    assert.throws(() => readdirSync(off));
  });
});

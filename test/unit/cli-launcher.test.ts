import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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

// `natskube`, `--help` and `--version` come from dist/cli/startup.json, which the build writes from
// the bundle, without loading the bundle; they must print what the CLI itself prints.
describe("the launcher's start-up texts", () => {
  const run = (bin: string, args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  const viaMain = async (args: string[]) => {
    const { main } = await import("../../src/cli/main.js");
    let out = "";
    let err = "";
    const code = await main(args, { out: (s: string) => void (out += s), err: (s: string) => void (err += s)});
    return { status: code, stdout: out, stderr: err };
  };

  it("print what main() prints, with its exit code", async () => {
    for (const args of [[], ["--help"], ["-h"], ["help"], ["--version"], ["-v"], ["help", "render"], ["--version", "x"], ["undefined"]]) {
      const r = run(BIN, args);
      assert.deepEqual({ status: r.status, stdout: r.stdout, stderr: r.stderr }, await viaMain(args), `natskube ${args.join(" ")}`);
    }
  });

  it("are used only for the bundle they were written with", () => {
    const dir = mkdtempSync(join(tmpdir(), "natskube-startup-"));
    try {
      mkdirSync(join(dir, "bin"));
      mkdirSync(join(dir, "dist", "cli"), { recursive: true });
      copyFileSync(BIN, join(dir, "bin", "natskube"));
      for (const f of ["natskube.cjs", "verify.cjs", "natskube.id"]) copyFileSync(join(ROOT, "dist", "cli", f), join(dir, "dist", "cli", f));
      const texts = JSON.parse(readFileSync(join(ROOT, "dist", "cli", "startup.json"), "utf8")) as { id: string; version: string };
      const write = (id: string) => writeFileSync(join(dir, "dist", "cli", "startup.json"), JSON.stringify({ ...texts, id, version: "natskube from startup.json\n" }));
      write(texts.id);
      assert.equal(run(join(dir, "bin", "natskube"), ["--version"]).stdout, "natskube from startup.json\n", "the file is what answers");
      write("0000000000000000");
      assert.equal(run(join(dir, "bin", "natskube"), ["--version"]).stdout, texts.version, "a file of another build is ignored");
      rmSync(join(dir, "dist", "cli", "startup.json"));
      assert.equal(run(join(dir, "bin", "natskube"), ["--version"]).stdout, texts.version, "without it, the bundle answers");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

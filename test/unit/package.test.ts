import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ROOT } from "../support/cli.js";

// What a user gets: `npm pack`, then `npm install -g` of the tarball, offline (the runtime dependencies
// travel inside it, bundleDependencies), then the installed `natskube` and the published types.
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 180_000, env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? String(r.error ?? "") };
}

describe("the npm package", { timeout: 300_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), "natskube-pack-"));
  const prefix = join(tmp, "prefix");
  const env = { NATSKUBE_CACHE_DIR: join(tmp, "cache") };
  let files: string[] = [];
  before(() => {
    assert.ok(existsSync(join(ROOT, "dist", "cli", "natskube.cjs")), "no bundled CLI: run npm run build");
    const packed = run(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], ROOT);
    assert.equal(packed.code, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    files = info!.files.map((f) => f.path);
    const installed = run(npm, ["install", "-g", "--prefix", prefix, "--offline", "--ignore-scripts", "--no-audit", "--no-fund", join(tmp, info!.filename)], tmp);
    assert.equal(installed.code, 0, installed.stderr);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("holds the CLI, its bundle, the types and the license, and no tests or benchmarks", () => {
    for (const f of ["LICENSE", "bin/natskube", "dist/cli/natskube.cjs", "dist/cli/natskube.id", "dist/cli/startup.json", "dist/cli/verify.cjs", "dist/src/index.js", "dist/src/index.d.ts"])
      assert.ok(files.includes(f), `${f} is not in the package`);
    assert.deepEqual(files.filter((f) => /^dist\/(test|bench)\//.test(f)), []);
    assert.match(readFileSync(join(ROOT, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
  });

  it("installs a working natskube", () => {
    const bin = join(prefix, "bin", "natskube");
    assert.equal(run(bin, ["--version"], ROOT, env).stdout, `natskube ${version}\n`);
    const rendered = run(bin, ["render", "examples/dev.yaml"], ROOT, env);
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.equal(rendered.stdout, readFileSync(join(ROOT, "test", "golden", "dev.yaml"), "utf8"));
    const invalid = run(bin, ["validate", "-"], ROOT, env);
    assert.equal(invalid.code, 1);
  });

  it("its type definitions compile for a consumer that has none of natskube's dev dependencies", () => {
    const consumer = join(tmp, "consumer");
    mkdirSync(join(consumer, "node_modules"), { recursive: true });
    symlinkSync(join(prefix, "lib", "node_modules", "natskube"), join(consumer, "node_modules", "natskube"));
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    // The consumer's own @types/node (any Node program has it); skipLibCheck off, so every .d.ts is checked.
    const compilerOptions = { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022"], noEmit: true, skipLibCheck: false, types: ["node"], typeRoots: [join(ROOT, "node_modules", "@types")] };
    writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["main.ts"] }));
    writeFileSync(
      join(consumer, "main.ts"),
      [
        'import { parseText, renderParsed, yamlStream, verify, lintDocument, type KubernetesNats, type Diagnostic } from "natskube";',
        'const result = parseText("kind: KubernetesNats\\n", "x.yaml");',
        "const diagnostics: Diagnostic[] = result.diagnostics;",
        "const resource: KubernetesNats | undefined = result.parsed[0]?.resource;",
        "const text: string = yamlStream(result.parsed[0] ? (renderParsed(result.parsed[0])?.objects ?? []) : []);",
        "export { diagnostics, resource, text, verify, lintDocument };",
      ].join("\n"),
    );
    const tsc = run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", consumer], consumer);
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
  });
});

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { main } from "../../src/cli/main.js";
import { parseText } from "../../src/pipeline.js";
import { BIN, cli, ROOT } from "../support/cli.js";

const HEAD = "apiVersion: kubernetes.project-planton.org/v1\nkind: KubernetesNats\nmetadata:\n  name: nats\nspec:\n  namespace: nats\n  replicas: 3\n";

/** CPU milliseconds of a call: wall time on a shared, loaded runner says little. */
function cpuMs(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** validate on stdin: every hostile input is one located diagnostic, within a second of CPU, with a short stderr. */
function hostile(text: string) {
  const ms = cpuMs(() => parseText(text, "-"));
  assert.ok(ms < 1_000, `${Math.round(ms)} ms of CPU in the library`);
  const r = cli(["validate", "-"], text);
  assert.equal(r.code, 1, r.stderr.slice(0, 500));
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, "no stack trace");
  assert.match(r.stderr, /^-:\d+:\d+: error [a-z-]+/m);
  assert.ok(r.stderr.length < 2_000, `stderr of ${r.stderr.length} bytes`);
  return r.stderr;
}

describe("hostile YAML is a located diagnostic, never a crash, hang or flood", () => {
  it("a block mapping nested 2000 levels", () => {
    const deep = Array.from({ length: 2000 }, (_, i) => `${" ".repeat(2 + 2 * i)}k${i}:`).join("\n") + " v\n";
    assert.match(hostile(HEAD + "  deep:\n" + deep), /nests more than 100 levels deep/);
  });
  it("200,000 unclosed brackets", () => assert.match(hostile(HEAD + "  deep: " + "[".repeat(200_000) + "\n"), /^-:8:\d+: error yaml-syntax: the YAML nests more than 100/m));
  it("a flow mapping nested 200,000 levels on one line", () => assert.match(hostile(HEAD + "  deep: " + "{a: ".repeat(200_000) + "1" + "}".repeat(200_000) + "\n"), /nests more/));
  it("a sequence of sequences on one line", () => assert.match(hostile(HEAD + "  deep:\n" + "  - ".repeat(3000) + "x\n"), /nests more/));
  it("a 1,000,000-character value prints a bounded excerpt", () => {
    const err = hostile(HEAD.replace("name: nats", `name: ${"n".repeat(1_000_000)}`));
    assert.match(err, /^   4 \|   name: n{100,120}…$/m);
  });
  it("a line break in a value is escaped, not printed", () => {
    const err = hostile(HEAD + '  natsBox: {enabled: "yes\\nno"}\n');
    assert.match(err, /"yes\\nno"/);
    assert.equal(err.split("\n").filter((l) => l.startsWith("-:")).length, 1);
  });
  it("a missing apiVersion and kind say so", () => {
    const err = hostile("metadata:\n  name: nats\nspec:\n  namespace: nats\n");
    assert.match(err, /error api-version apiVersion: apiVersion is missing; it must be kubernetes\.project-planton\.org\/v1/);
    assert.match(err, /error kind kind: kind is missing; it must be KubernetesNats or NatsKubernetes/);
    assert.doesNotMatch(err, /undefined/);
  });
  it("a syntax error points at the key and has a specific hint", () => {
    const err = hostile(HEAD + "  jetstream:\n    enabled: true\n   persistence: {mode: FILE}\n");
    assert.match(err, /^-:10:4: error yaml-syntax: All mapping items must start at the same column/m);
    assert.match(err, /hint: Start this line at the same column/);
  });
  it("a mapping as a key is an unknown field, without a Node warning", () => assert.doesNotMatch(hostile(HEAD + "  ? {a: 1}\n  : x\n"), /Warning/));
  it("a tab in the indentation is pointed at", () => assert.match(hostile(HEAD + "  natsBox:\n\tenabled: true\n"), /^-:9:1: error yaml-syntax: Tabs are not allowed as indentation/m));
  it("a duplicate key names itself and its first line", () => assert.match(hostile(HEAD + "  replicas: 5\n"), /^-:8:3: error yaml-syntax: key "replicas" is already set on line 7/m));
});

describe("--crds names what is wrong with a CRD", () => {
  it("a CRD without a group", () => {
    const dir = mkdtempSync(join(tmpdir(), "natskube-crds-"));
    const file = join(dir, "crds.yaml");
    writeFileSync(file, "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec: [1]\n");
    const r = cli(["render", "examples/dev.yaml", "--crds", file]);
    rmSync(dir, { recursive: true });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /CustomResourceDefinition x has no spec\.group, not jetstream\.nats\.io/);
  });
});

describe("a bug is not invalid input", () => {
  const failing = { out: () => { throw new TypeError("boom with secret s3cr3t"); }, err: (t: string) => void errors.push(t) };
  const errors: string[] = [];
  it("exits 70 with one line that says it is a bug, without the error's text", async () => {
    errors.length = 0;
    const code = await main(["render", "examples/dev.yaml"], failing);
    assert.equal(code, 70);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^natskube render: internal error \(TypeError at src\/.*\): this is a bug in natskube, please report it/);
    assert.doesNotMatch(errors[0]!, /s3cr3t|\n./);
  });
  it("the stack trace is printed only with NATSKUBE_DEBUG=1", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `
      const { main } = await import(${JSON.stringify(ROOT + "/dist/src/cli/main.js")});
      process.exitCode = await main(["render", "examples/dev.yaml"], { out: () => { throw new TypeError("boom"); }, err: (t) => process.stderr.write(t) });`], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NATSKUBE_DEBUG: "1" } });
    assert.equal(r.status, 70);
    assert.match(r.stderr, /internal error[^\n]*\n.*TypeError: boom\n\s+at /s);
  });
  it("the help names the exit code", () => assert.match(cli(["--help"]).stdout, /70 an internal error/));
});

describe("output into a closed pipe", () => {
  it("render | head -1 ends quietly", () => {
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" render examples/production.yaml | head -1; echo "status $?"`], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.stdout, "---\nstatus 0\n");
    assert.equal(r.stderr, "", "no EPIPE stack trace");
  });
});

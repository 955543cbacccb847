import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cli, ROOT } from "../support/cli.js";

const DIR = join(ROOT, "test", "fixtures", "invalid");
const expected = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as Record<
  string,
  { code: string; path: string; line: number; hint?: string; message?: string }
>;

describe("validate rejects invalid manifests with one precise diagnostic", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml"));
  it("has an expectation for every fixture", () => assert.deepEqual(files.sort(), Object.keys(expected).sort()));
  for (const file of files) {
    it(file, () => {
      const want = expected[file]!;
      const rel = `test/fixtures/invalid/${file}`;
      const r = cli(["validate", rel]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, "", "nothing on stdout for invalid input");
      const head = `${rel}:${want.line}:`;
      const line = r.stderr.split("\n").find((l) => l.startsWith(head));
      assert.ok(line, `expected a diagnostic at ${head} in:\n${r.stderr}`);
      assert.match(line, new RegExp(`: error ${want.code}${want.path ? ` ${want.path.replace(/[.[\]]/g, "\\$&")}` : ""}: `));
      if (want.message) assert.ok(line.includes(want.message), line);
      if (want.hint) assert.ok(r.stderr.includes(`hint: ${want.hint}`), r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, "no stack trace");
      assert.match(r.stderr, /^1 error, /m);
    });
  }
});

describe("CLI usage and exit codes", () => {
  it("--version", () => {
    const r = cli(["--version"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^natskube \d+\.\d+\.\d+\n$/);
  });
  it("--help on every command", () => {
    for (const c of ["init", "validate", "render", "outputs", "schema"]) {
      const r = cli([c, "--help"]);
      assert.equal(r.code, 0, c);
      assert.match(r.stdout, new RegExp(`^Usage: natskube ${c}`), c);
    }
  });
  it("unknown command and unknown option exit 2", () => {
    assert.equal(cli(["frobnicate"]).code, 2);
    const r = cli(["render", "examples/dev.yaml", "--bogus"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage: natskube render/);
  });
  it("render with a bad format or no file exits 2", () => {
    assert.equal(cli(["render", "examples/dev.yaml", "-o", "xml"]).code, 2);
    assert.equal(cli(["render"]).code, 2);
    assert.equal(cli(["init"]).code, 2);
    assert.equal(cli(["init", "--preset", "prod"]).code, 2);
  });
  it("a missing file is an input error with its name", () => {
    const r = cli(["validate", "no/such.yaml"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no\/such\.yaml:1:1: error file-read: cannot read no\/such\.yaml: no such file/);
  });
  it("reports every problem of every file in one run", () => {
    const r = cli(["validate", "test/fixtures/invalid/05-unknown-field.yaml", "test/fixtures/invalid/08-bad-enum.yaml", "examples/dev.yaml"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^2 errors, 0 warnings in 3 files$/m);
  });
  it("a file with several errors lists them all", () => {
    const text = ["apiVersion: kubernetes.project-planton.org/v1", "kind: KubernetesNats", "metadata: {name: nats}", "spec:", "  namespace: nats", "  replicas: x", "  natsBox: {enabled: 3}", "  monitorng: {}"].join("\n");
    const r = cli(["validate", "-"], text);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^3 errors/m);
    assert.match(r.stderr, /-:8:3: error unknown-field spec\.monitorng: unknown field "monitorng"\n.*\n.*\n  hint: Did you mean "monitoring"\?/);
  });
  it("field errors, Planton conflicts and cross-field errors come in the same run", () => {
    const r = cli(["validate", "test/fixtures/many-errors/eleven.yaml"]);
    assert.equal(r.code, 1);
    const found = r.stderr.split("\n").filter((l) => l.includes(": error ")).map((l) => / error (\S+) (\S+):/.exec(l)!.slice(1).join(" "));
    assert.deepEqual(found, [
      "dns-name metadata.name",
      "type spec.replicas",
      "conflict spec.serverContainer.replicas",
      "conflict spec.serverContainer.diskSize",
      "quantity spec.resources.limits.memory",
      "quantity spec.jetstream.persistence.size",
      "cross-field spec.tls",
      "cross-field spec.externalAccess.hostname",
      "format spec.streams[0].name",
      "format spec.streams[0].maxAge",
      "cross-field spec.streams[1].subjects[0]",
    ]);
    assert.match(r.stderr, /^11 errors, 0 warnings in 1 file$/m);
  });
  it("a cross-field rule says nothing about a field the schema rejected", () => {
    const text = ["apiVersion: kubernetes.project-planton.org/v1", "kind: KubernetesNats", "metadata: {name: nats}", "spec:", "  namespace: nats", "  resources:", "    requests: {memory: 4GB}", "    limits: {memory: 1Gi}"].join("\n");
    const r = cli(["validate", "-"], text);
    assert.match(r.stderr, /error quantity spec\.resources\.requests\.memory/);
    assert.match(r.stderr, /^1 error, /m);
  });
  it("render prints nothing on stdout for invalid input", () => {
    const r = cli(["render", "test/fixtures/invalid/07-replicas-zero.yaml"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
  });
});

import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { cli, ROOT } from "../support/cli.js";

// A fleet: several manifests in one process. Its output must be what rendering each file gives, in order.
describe("render FILE... and render DIR", () => {
  const dir = mkdtempSync(join(tmpdir(), "natskube-fleet-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const names = ["dev", "production", "staging"];
  for (const n of names) copyFileSync(join(ROOT, "examples", `${n}.yaml`), join(dir, `${n}.yaml`));
  writeFileSync(join(dir, "notes.txt"), "not a manifest\n");
  const each = names.map((n) => cli(["render", `examples/${n}.yaml`]).stdout).join("");

  it("several files give each file's render, in the order given", () => {
    const r = cli(["render", "examples/staging.yaml", "examples/dev.yaml"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, cli(["render", "examples/staging.yaml"]).stdout + cli(["render", "examples/dev.yaml"]).stdout);
  });
  it("a directory stands for its YAML files in name order", () => {
    const r = cli(["render", dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, each);
  });
  it("one invalid file: nothing is printed, every problem is reported, exit 1", () => {
    const bad = join(dir, "zz-bad.yaml");
    writeFileSync(bad, "apiVersion: kubernetes.project-planton.org/v1\nkind: KubernetesNats\nmetadata: {name: x}\nspec: {replcas: 3}\n");
    const r = cli(["render", dir]);
    rmSync(bad);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /zz-bad\.yaml:4:\d+: error /);
    assert.match(r.stderr, /in 4 files/);
  });
  it("a directory without YAML files is an error, not an empty success", () => {
    const empty = join(dir, "empty");
    mkdirSync(empty);
    const r = cli(["render", empty]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is a directory without \*\.yaml or \*\.yml files/);
  });
  it("no file at all is a usage error", () => assert.equal(cli(["render"]).code, 2));
});

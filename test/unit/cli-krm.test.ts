// `natskube krm` as kustomize runs it: bin/natskube with a ResourceList on stdin, in the kustomization's folder.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { BIN, cli } from "../support/cli.js";
import { exampleText } from "../support/examples.js";

function krm(args: string[], input: string, cwd: string) {
  const r = spawnSync(process.execPath, [BIN, "krm", ...args], { cwd, input, encoding: "utf8", timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function resourceList(text: string, annotations: Record<string, string> = {}): string {
  const resource = parse(text) as { metadata: Record<string, unknown> };
  resource.metadata["annotations"] = annotations;
  return stringify({ apiVersion: "config.kubernetes.io/v1", kind: "ResourceList", items: [], functionConfig: resource });
}

describe("natskube krm (the CLI)", () => {
  it("exit 0, a ResourceList on stdout holding render's objects, nothing on stderr for a manifest without findings", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "natskube-krm-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const r = krm([], resourceList(exampleText("production")), dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const out = parse(r.stdout) as { kind: string; items: unknown[]; results?: unknown };
    assert.equal(out.kind, "ResourceList");
    assert.equal(out.results, undefined);
    assert.deepEqual(out.items, JSON.parse(cli(["render", "examples/production.yaml", "-o", "json"]).stdout).items);
  });

  it("invalid: exit 1, results on stdout, and on stderr FILE:LINE:COL with the line of the user's file", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "natskube-krm-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const text = exampleText("dev").replace(/^  replicas: 1 .*$/m, "$&\n  replcas: 3");
    assert.notEqual(text, exampleText("dev"));
    writeFileSync(join(dir, "nats.yaml"), text);
    const line = text.split("\n").indexOf("  replcas: 3") + 1;
    const r = krm([], resourceList(text, { "config.kubernetes.io/origin": "path: nats.yaml\n" }), dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^nats\\.yaml:${line}:3: error unknown-field spec\\.replcas: unknown field "replcas"\\n +${line} \\|   replcas: 3\\n +\\| +\\^\\n  hint: Did you mean "replicas"\\?\\n`, "m"));
    assert.match(r.stderr, /^1 error, 0 warnings in 1 file$/m);
    const out = parse(r.stdout) as { items: unknown[]; results: { severity: string; field: { path: string } }[] };
    assert.deepEqual(out.items, []);
    assert.deepEqual(out.results.map((x) => [x.severity, x.field.path]), [["error", "spec.replcas"]]);
  });

  it("lint warnings go to stderr as `natskube lint` prints them; the objects still come", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "natskube-krm-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const r = krm([], resourceList(exampleText("dev")), dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning auth-disabled spec\.auth\.enabled/);
    assert.match(r.stderr, /^\d+ warnings in 1 file$/m);
    assert.equal(krm(["--strict"], resourceList(exampleText("dev")), dir).code, 1, "--strict: warnings fail");
  });

  it("usage errors exit 2: a FILE argument, an unknown preset; krm is listed in the help", () => {
    const r = cli(["krm", "nats.yaml"], "");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /krm takes no FILE: it reads a ResourceList on stdin/);
    assert.equal(cli(["krm", "--preset", "lax"], "").code, 2);
    assert.match(cli(["--help"]).stdout, /^  krm +Run as a kustomize KRM function/m);
  });

  it("not a ResourceList: exit 1 with a krm-input diagnostic", () => {
    const r = cli(["krm"], "kind: ConfigMap\n");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error krm-input: stdin is not a ResourceList/);
    assert.equal((parse(r.stdout) as { kind: string }).kind, "ResourceList");
  });
});

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { cli, ROOT } from "../support/cli.js";

let tmp = "";
let n = 0;
const freshDir = () => join(tmp, `out-${n++}`);
const production = readFileSync(join(ROOT, "examples", "production.yaml"), "utf8");
const variant = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};
const render = (file: string, dir: string, ...flags: string[]) => {
  const r = cli(["render", file, "--out", dir, ...flags]);
  assert.equal(r.code, 0, r.stderr);
  return r;
};
const yamlFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();

before(() => {
  tmp = mkdtempSync(join(tmpdir(), "natskube-out-"));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe("render --out DIR in a Git repository", () => {
  it("file names do not shift when a feature is toggled: TLS off only removes the TLS files", () => {
    const on = freshDir();
    const off = freshDir();
    render("examples/production.yaml", on);
    const noTls = production.replace(/\n  tls:\n(    .*\n)+/, "\n");
    assert.notEqual(noTls, production);
    render(variant("no-tls.yaml", noTls), off);
    const a = new Set(yamlFiles(on));
    const b = yamlFiles(off);
    assert.deepEqual(b.filter((f) => !a.has(f)), [], "no file is renamed");
    assert.deepEqual([...a].filter((f) => !b.includes(f)), ["certificate-nats-tls.yaml"]);
  });

  it("removes the files an earlier render wrote and this one does not, and no other file", () => {
    const dir = freshDir();
    render("examples/production.yaml", dir);
    writeFileSync(join(dir, "mine.yaml"), "kind: ConfigMap\n");
    const r = render("examples/dev.yaml", dir);
    const devOnly = freshDir();
    render("examples/dev.yaml", devOnly);
    assert.deepEqual(yamlFiles(dir), [...yamlFiles(devOnly), "mine.yaml"].sort());
    assert.match(r.stderr, /removed \d+ files an earlier render wrote and this one does not: account-nats\.yaml, /);
    assert.ok(existsSync(join(dir, ".natskube-files")));
  });

  it("removes the numbered files of natskube's earlier layout, and nothing a hand-edited list points outside DIR", () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, "01-service-nats.yaml"), "kind: Service\n");
    writeFileSync(join(dir, "kustomization.yaml"), "resources:\n  - 01-service-nats.yaml\n");
    render("examples/dev.yaml", dir);
    assert.ok(!existsSync(join(dir, "01-service-nats.yaml")));
    writeFileSync(join(tmp, "outside.yaml"), "x: 1\n");
    writeFileSync(join(dir, ".natskube-files"), "../outside.yaml\n");
    render("examples/dev.yaml", dir);
    assert.ok(existsSync(join(tmp, "outside.yaml")));
  });

  it("kustomization.yaml keeps the apply order (sortOptions fifo) and says what an overlay must not change", () => {
    const dir = freshDir();
    render("examples/production.yaml", dir);
    const text = readFileSync(join(dir, "kustomization.yaml"), "utf8");
    const k = parse(text) as { sortOptions: unknown; resources: string[] };
    assert.deepEqual(k.sortOptions, { order: "fifo" });
    const stream = cli(["render", "examples/production.yaml"]).stdout;
    const kinds = [...stream.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    assert.deepEqual(k.resources.map((f) => parse(readFileSync(join(dir, f), "utf8")).kind), kinds);
    assert.match(text, /^# An overlay must not set namespace: or change replicas/m);
  });
});

describe("render --generate-secrets", () => {
  const secretFile = "secret-nats-auth.yaml";
  it("to stdout: warns on stderr that each run makes new credentials, without printing them", () => {
    const r = cli(["render", "examples/production.yaml", "--generate-secrets"]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /warning: --generate-secrets made new random credentials for Secret nats\/nats-auth, and every run makes new ones/);
    assert.match(r.stderr, /--out DIR/);
    const token = /^ {2}token: (\S+)$/m.exec(r.stdout)![1]!;
    assert.ok(!r.stderr.includes(token), "the credentials are never on stderr");
  });

  it("with --out: a Secret generated into DIR earlier is kept, byte for byte, until its keys change", () => {
    const dir = freshDir();
    const first = render("examples/production.yaml", dir, "--generate-secrets");
    assert.match(first.stderr, /warning: --generate-secrets wrote new random credentials to .*secret-nats-auth\.yaml; later renders into .* keep them/);
    const before = readFileSync(join(dir, secretFile), "utf8");
    const again = render("examples/production.yaml", dir, "--generate-secrets");
    assert.match(again.stderr, /note: kept the credentials/);
    assert.equal(readFileSync(join(dir, secretFile), "utf8"), before);
    assert.ok((parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as { resources: string[] }).resources.includes(secretFile));
    // BASIC needs keys the TOKEN Secret lacks: a kept Secret would break the pods.
    render(variant("basic.yaml", production.replace("mode: TOKEN", "mode: BASIC")), dir, "--generate-secrets");
    const basic = parse(readFileSync(join(dir, secretFile), "utf8")) as { stringData: Record<string, string> };
    assert.deepEqual(Object.keys(basic.stringData).sort(), ["password", "user"]);
  });

  it("a render without the flag never deletes generated credentials; it leaves them out of kustomization.yaml", () => {
    const dir = freshDir();
    render("examples/production.yaml", dir, "--generate-secrets");
    const r = render("examples/production.yaml", dir);
    assert.ok(existsSync(join(dir, secretFile)));
    assert.match(r.stderr, /note: left .*secret-nats-auth\.yaml/);
    assert.ok(!(parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as { resources: string[] }).resources.includes(secretFile));
    const kept = readFileSync(join(dir, secretFile), "utf8");
    render("examples/production.yaml", dir, "--generate-secrets");
    assert.equal(readFileSync(join(dir, secretFile), "utf8"), kept, "and the next --generate-secrets reuses them");
  });
});

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import { parseText } from "../../src/pipeline.js";
import { cli, ROOT } from "../support/cli.js";
import { render } from "../support/render.js";

// Project Planton's own redesigned manifests (PLANTON-REDESIGN.md section 5), byte-for-byte copies. Each either
// renders, or fails only with `unsupported` on exactly the fields natskube lacks: a field dropped silently, or a
// new mapping, changes these lists.
const DIR = join(ROOT, "test", "fixtures", "planton-redesign");
const FULL: string[] = [];
const ACCOUNTS: string[] = [];
const UNSUPPORTED: Record<string, string[]> = {
  "v1-hack-manifest.yaml": FULL,
  "v1alpha1-hack-manifest.yaml": FULL,
  "v1-hack-manifest-accounts.yaml": ACCOUNTS,
  "v1alpha1-hack-manifest-accounts.yaml": ACCOUNTS,
  "v1-hack-manifest-minimal.yaml": [],
  "v1alpha1-hack-manifest-minimal.yaml": [],
  "v1-preset-01-dev.yaml": [],
  "v1alpha1-preset-01-dev.yaml": [],
  "v1-preset-02-production.yaml": [],
};

describe("Project Planton's redesign manifests", () => {
  it("every fixture is listed", () => {
    assert.deepEqual(readdirSync(DIR).sort(), Object.keys(UNSUPPORTED).sort());
  });
  for (const [file, expected] of Object.entries(UNSUPPORTED)) {
    it(`${file}: ${expected.length === 0 ? "validates and renders" : `unsupported exactly ${expected.join(", ")}`}`, () => {
      const text = readFileSync(join(DIR, file), "utf8");
      const errors = parseText(text, file).diagnostics.filter((d) => d.severity === "error");
      assert.deepEqual(errors.map((d) => d.code), expected.map(() => "unsupported"), JSON.stringify(errors, null, 1));
      assert.deepEqual(errors.map((d) => d.path), expected);
      for (const d of errors) {
        assert.ok(d.source && d.source.line > 0 && d.source.col > 0, `${d.path} is located`);
        assert.match(d.message, /natskube does not support it yet/);
        assert.ok(d.hint, `${d.path} says what natskube offers instead`);
      }
      if (expected.length === 0) assert.ok(render(text, {}, file).objects.length > 0);
    });
  }
  it("the CLI: a redesign preset renders, a manifest with unsupported fields exits 1 naming each at file:line:col", () => {
    const ok = cli(["render", join(DIR, "v1-preset-01-dev.yaml")]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /kind: StatefulSet/);
    const all = cli(["validate", ...Object.keys(UNSUPPORTED).map((f) => join(DIR, f))]);
    assert.equal(all.code, 0, all.stderr);
    const dir = mkdtempSync(join(tmpdir(), "natskube-redesign-"));
    const file = join(dir, "unsupported.yaml");
    writeFileSync(file, readFileSync(join(DIR, "v1-hack-manifest.yaml"), "utf8").replace("  helmValues: |\n", "  helmValues: |\n    promExporter:\n      enabled: true\n"));
    const bad = cli(["validate", file]);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unsupported\.yaml:\d+:\d+: error unsupported spec\.helmValues: helmValues promExporter\.enabled/);
  });
  it("the production preset's users keep Planton's meaning: the nats-auth Secret's key per username, permissions as written, full access without", () => {
    const r = render(readFileSync(join(DIR, "v1-preset-02-production.yaml"), "utf8"));
    assert.deepEqual(
      r.model.auth.users.map((u) => [u.name, u.passwordKey, u.permissions ?? "full access"]),
      [
        ["orders-service", "orders-service", { publish: { allow: ["orders.>"] }, subscribe: { allow: ["orders.>", "_INBOX.>"] } }],
        ["platform-admin", "platform-admin", "full access"],
      ],
    );
    assert.equal(r.model.names.authSecret, "nats-auth");
  });
  it("the v1 and v1alpha1 copies mean the same", () => {
    for (const name of ["hack-manifest-minimal.yaml", "preset-01-dev.yaml", "hack-manifest.yaml", "hack-manifest-accounts.yaml"]) {
      const [a, b] = ["v1", "v1alpha1"].map((v) => render(readFileSync(join(DIR, `${v}-${name}`), "utf8")).objects);
      assert.deepEqual(a, b, name);
    }
  });
});

describe("the redesign's JSON Schema (schema/kubernetes-nats-planton-redesign.schema.json)", () => {
  const shipped = readFileSync(join(ROOT, "schema", "kubernetes-nats-planton-redesign.schema.json"), "utf8");
  const validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(JSON.parse(shipped));
  it("is what `natskube schema --planton-redesign` prints (npm run schema:update)", () => {
    const r = cli(["schema", "--planton-redesign"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, shipped);
  });
  it("accepts every Planton manifest (unsupported is natskube's limit, not Planton's schema), snake_case included", () => {
    for (const f of Object.keys(UNSUPPORTED)) assert.ok(validate(parse(readFileSync(join(DIR, f), "utf8"))), `${f}: ${JSON.stringify(validate.errors)}`);
  });
  it("rejects what the field rules reject: a replica count out of range, an unknown field, a bad service type, size or username", () => {
    const doc = parse(readFileSync(join(DIR, "v1-hack-manifest.yaml"), "utf8"));
    for (const change of [(d: any) => (d.spec.cluster.replicas = 10), (d: any) => (d.spec.replicas = 3), (d: any) => (d.spec.service.type = "ClusterIP"), (d: any) => (d.spec.jetStream.diskSize = "10"), (d: any) => (d.spec.auth.users[0].username = "-x")]) {
      const d = structuredClone(doc);
      change(d);
      assert.equal(validate(d), false);
    }
  });
});

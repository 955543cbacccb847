import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { cli } from "../support/cli.js";

describe("output formats", () => {
  const yamlOut = cli(["render", "examples/production.yaml"]);
  const objects = parseAllDocuments(yamlOut.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string } });

  it("YAML stream: one document per object, in apply order", () => {
    assert.equal(yamlOut.code, 0, yamlOut.stderr);
    const kinds = objects.map((o) => o.kind);
    assert.ok(kinds.indexOf("ConfigMap") < kinds.indexOf("StatefulSet"));
    assert.ok(kinds.indexOf("ServiceAccount") < kinds.indexOf("StatefulSet"));
    assert.equal(kinds.filter((k) => k === "StatefulSet").length, 1);
  });

  it("JSON: a v1 List holding the same objects", () => {
    const r = cli(["render", "examples/production.yaml", "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { apiVersion: string; kind: string; items: unknown[] };
    assert.deepEqual([list.apiVersion, list.kind], ["v1", "List"]);
    assert.deepEqual(list.items, objects);
  });

  it("--out DIR: one file per object and a kustomization.yaml that kubectl kustomize accepts", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "natskube-out-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const r = cli(["render", "examples/production.yaml", "--out", dir]);
    assert.equal(r.code, 0, r.stderr);
    const files = readdirSync(dir).sort();
    assert.equal(files.length, objects.length + 2, "the objects, kustomization.yaml and .natskube-files");
    const kustomization = parse(readFileSync(join(dir, "kustomization.yaml"), "utf8")) as { resources: string[] };
    assert.deepEqual([...kustomization.resources].sort(), files.filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml"));
    const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" });
    assert.equal(kubectl.status, 0, `kubectl is missing or broken (${kubectl.error?.message ?? kubectl.stderr}): run bash scripts/ensure-tools.sh`);
    const built = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", timeout: 30_000 });
    const names = parseAllDocuments(built).map((d) => (d.toJS() as { kind: string; metadata: { name: string } })).map((o) => `${o.kind}/${o.metadata.name}`).sort();
    assert.deepEqual(names, objects.map((o) => `${o.kind}/${o.metadata.name}`).sort());
  });
});

describe("outputs", () => {
  it("dev: only the namespace and internal URL", () => {
    const r = cli(["outputs", "examples/dev.yaml"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parse(r.stdout), { name: "nats", namespace: "nats-dev", clientUrlInternal: "nats://nats.nats-dev.svc.cluster.local:4222" });
  });
  it("production: tls:// URLs, the secrets it references, the external URL", () => {
    const o = parse(cli(["outputs", "examples/production.yaml"]).stdout) as Record<string, unknown>;
    assert.equal(o["clientUrlInternal"], "tls://nats.nats.svc.cluster.local:4222");
    assert.equal(o["clientUrlExternal"], "tls://nats.example.com:4222");
    assert.deepEqual(o["authSecret"], { name: "nats-auth", keys: ["token"] });
    assert.equal((o["tlsSecret"] as { name: string }).name, "nats-tls");
  });
  it("no auth secret output when auth is off, no domain unless configured", () => {
    const o = parse(cli(["outputs", "examples/dev.yaml"]).stdout) as Record<string, unknown>;
    assert.equal(o["authSecret"], undefined);
    assert.equal(o["jetStreamDomain"], undefined);
  });
});

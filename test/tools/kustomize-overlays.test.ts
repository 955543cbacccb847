// What a kustomize overlay that changes the namespace or the replica count leaves behind, measured with the
// real kustomize: the overlay's output is compared with natskube's render of the manifest with the new value,
// field by field, and the fields that differ must be exactly the table of docs/kustomize.md.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { ROOT, cli } from "../support/cli.js";
import { toolPath } from "../support/tools.js";

const KUSTOMIZE = toolPath("kustomize");
type Obj = { kind: string; metadata: { name: string } };
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Obj | null).filter((o): o is Obj => o !== null);
const id = (o: Obj) => `${o.kind}/${o.metadata.name}`;

/** Every leaf of an object by path; array indices become `[]`, and a ConfigMap's or Secret's data is one field (its keys can be derived names too). */
function leaves(v: unknown, path: string[], out: Map<string, unknown[]>): Map<string, unknown[]> {
  if ((path[0] === "data" || path[0] === "stringData") && path.length === 1) {
    out.set(path[0], [JSON.stringify(v)]);
    return out;
  }
  if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) leaves(x, [...path, /^\d+$/.test(k) && Array.isArray(v) ? "[]" : k], out);
    return out;
  }
  const p = path.join(".").replace(/\.\[\]/g, "[]");
  out.set(p, [...(out.get(p) ?? []), v]);
  return out;
}

/** The `object field` pairs where the overlay's objects differ from the render's (both sides must hold the same objects). */
function differingFields(overlay: readonly Obj[], render: readonly Obj[]): string[] {
  assert.deepEqual(overlay.map(id).sort(), render.map(id).sort(), "the overlay and the render hold the same objects");
  const fields = new Set<string>();
  for (const o of overlay) {
    const a = leaves(o, [], new Map()), b = leaves(render.find((r) => id(r) === id(o))!, [], new Map());
    for (const p of new Set([...a.keys(), ...b.keys()])) if (JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p))) fields.add(`${id(o)} ${p}`);
  }
  return [...fields].sort();
}

/**
 * The rows that cover the differing fields: a row `Kind/name field` covers `field` and every path under it.
 * A differing field no row covers comes back as itself, so it shows in the assertion.
 */
function coveringRows(differing: readonly string[], rows: readonly string[]): string[] {
  const covers = (row: string, path: string) => path === row || path.startsWith(`${row}.`) || path.startsWith(`${row}[]`);
  return [...new Set(differing.map((d) => rows.find((r) => covers(r, d)) ?? `not documented: ${d}`))].sort();
}

/** The rows of docs/kustomize.md's table: overlay -> `object field`. */
function documented(): Map<string, string[]> {
  const md = readFileSync(join(ROOT, "docs", "kustomize.md"), "utf8");
  const table = /<!-- overlay-limits:start -->([\s\S]*?)<!-- overlay-limits:end -->/.exec(md)![1]!;
  const rows = new Map<string, string[]>();
  for (const line of table.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| overlay"))) {
    const [overlay, object, field] = line.split("|").slice(1, 4).map((c) => c.trim());
    rows.set(overlay!, [...(rows.get(overlay!) ?? []), `${object} ${field}`]);
  }
  return rows;
}

let tmp = "";
before(() => {
  tmp = mkdtempSync(join(tmpdir(), "natskube-overlays-"));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const build = (dir: string, kustomization: string) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kustomization.yaml"), kustomization);
  return docs(execFileSync(KUSTOMIZE, ["build", dir], { encoding: "utf8", timeout: 30_000 }));
};
const renderText = (name: string, text: string) => {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, text);
  const r = cli(["render", file]);
  assert.equal(r.code, 0, r.stderr);
  return docs(r.stdout);
};

for (const [example, namespace, replicas, newReplicas] of [["production", "nats", 3, 5], ["dev", "nats-dev", 1, 3]] as const) {
  describe(`kustomize overlays over render --out examples/${example}.yaml`, () => {
    const src = readFileSync(join(ROOT, "examples", `${example}.yaml`), "utf8");
    const base = () => join(tmp, example, "base");
    let objects: Obj[] = [];
    before(() => {
      const r = cli(["render", join("examples", `${example}.yaml`), "--out", base()]);
      assert.equal(r.code, 0, r.stderr);
      objects = docs(cli(["render", join("examples", `${example}.yaml`)]).stdout);
    });
    const expected = (overlay: string) => documented().get(overlay)!.filter((row) => objects.some((o) => row.startsWith(`${id(o)} `))).sort();

    it("namespace: other differs from the render for namespace other in exactly the documented fields", () => {
      const edited = src.replace(new RegExp(`^  namespace: ${namespace}\\b`, "m"), "  namespace: other");
      assert.notEqual(edited, src);
      const overlay = build(join(tmp, example, "namespace"), "resources: [../base]\nnamespace: other\n");
      const rows = expected("namespace");
      assert.deepEqual(coveringRows(differingFields(overlay, renderText(`${example}-ns`, edited)), rows), rows);
    });

    it(`replicas ${replicas} -> ${newReplicas}, by kustomize's replicas: field or a StatefulSet patch, differs from the render in exactly the documented fields`, () => {
      const edited = src.replace(new RegExp(`^  replicas: ${replicas}\\b`, "m"), `  replicas: ${newReplicas}`);
      assert.notEqual(edited, src);
      const rendered = renderText(`${example}-replicas`, edited);
      const field = build(join(tmp, example, "replicas-field"), `resources: [../base]\nreplicas: [{name: nats, count: ${newReplicas}}]\n`);
      const patch = build(
        join(tmp, example, "replicas-patch"),
        `resources: [../base]\npatches:\n  - target: {kind: StatefulSet, name: nats}\n    patch: '[{"op":"replace","path":"/spec/replicas","value":${newReplicas}}]'\n`,
      );
      const want = [...expected("replicas"), ...(replicas === 1 ? expected("replicas from 1") : [])].sort();
      assert.deepEqual(coveringRows(differingFields(field, rendered), want), want);
      assert.deepEqual(coveringRows(differingFields(patch, rendered), want), want);
    });
  });
}

it("kustomization.yaml's header names every object of the table", () => {
  const r = cli(["render", "examples/production.yaml", "--out", join(tmp, "header")]);
  assert.equal(r.code, 0, r.stderr);
  const header = readFileSync(join(tmp, "header", "kustomization.yaml"), "utf8").split("\n").filter((l) => l.startsWith("#")).join("\n");
  for (const rows of documented().values()) for (const row of rows) assert.ok(header.includes(row.split(" ")[0]!), `header names ${row.split(" ")[0]}`);
});

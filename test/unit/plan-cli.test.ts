import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import { cli, ROOT } from "../support/cli.js";
import { manifest } from "../support/render.js";

const schema = JSON.parse(readFileSync(join(ROOT, "schema", "plan.schema.json"), "utf8"));
// compile<any>: the plan's shape is checked by the schema, not narrowed by a type guard.
const validate = new Ajv2020.default({ strict: true, allErrors: true }).compile<any>(schema);

const JS = { enabled: true, persistence: { mode: "FILE", size: "10Gi" } };
const FILES: Record<string, string> = {
  "r3.yaml": manifest({ replicas: 3, jetstream: JS }),
  "r3-image.yaml": manifest({ replicas: 3, jetstream: JS, image: { tag: "2.11.0-alpine" } }),
  "r1.yaml": manifest({ replicas: 1, jetstream: JS }),
  "r3-20gi.yaml": manifest({ replicas: 3, jetstream: { ...JS, persistence: { mode: "FILE", size: "20Gi" } } }),
  "invalid.yaml": manifest({ replicas: 0 }),
};

let dir = "";
const f = (name: string) => join(dir, name);

before(() => {
  dir = mkdtempSync(join(tmpdir(), "natskube-plan-"));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(f(name), text);
  const r = cli(["render", f("r3.yaml")]);
  assert.equal(r.code, 0, r.stderr);
  writeFileSync(f("r3.rendered.yaml"), r.stdout);
  const j = cli(["render", f("r3.yaml"), "-o", "json"]);
  writeFileSync(f("r3.rendered.json"), j.stdout);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const lastLine = (s: string) => s.trimEnd().split("\n").at(-1) ?? "";

function json(args: string[]): { code: number; doc: any } {
  const r = cli(["plan", ...args, "-o", "json"]);
  assert.equal(r.stderr, "");
  const doc = JSON.parse(r.stdout);
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
  assert.equal(doc.verdict.exitCode, r.code, "the JSON states the exit code");
  return { code: r.code, doc };
}

describe("natskube plan: exit codes and text output", () => {
  it("no change: exit 0 and a SAFE verdict", () => {
    const r = cli(["plan", f("r3.yaml"), f("r3.yaml")]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(lastLine(r.stdout), /^SAFE \(exit 0\): no changes; 0 objects changed, \d+ unchanged$/);
  });

  it("a rolling restart with quorum: exit 3, grouped per object, order shown", () => {
    const r = cli(["plan", f("r3-image.yaml"), f("r3.yaml")]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /^~ StatefulSet nats\/nats {2}\(update, attention\)$/m);
    assert.match(r.stdout, /^ {4}spec\.template\.spec\.containers\[nats\]\.image: "nats:2\.11\.0-alpine" -> "nats:2\.14\.2-alpine" {3}\[rolling-restart\]$/m);
    assert.match(r.stdout, /Order: nats-2, nats-1, nats-0/);
    // The version label is on every object: they all change, in place; only pods restart.
    assert.match(lastLine(r.stdout), /^NEEDS ATTENTION \(exit 3\): \d+ in-place, 2 rolling-restart; \d+ objects changed, \d+ unchanged$/);
  });

  it("1 -> 3 replicas: exit 4; --allow-disruptive accepts it with exit 0", () => {
    const r = cli(["plan", f("r1.yaml"), f("r3.yaml")]);
    assert.equal(r.code, 4);
    assert.match(r.stdout, /\[topology, disruptive\] scale 1 -> 3: never scale a live cluster 1 -> 3/);
    assert.match(lastLine(r.stdout), /^DISRUPTIVE \(exit 4\): /);
    const ok = cli(["plan", f("r1.yaml"), f("r3.yaml"), "--allow-disruptive"]);
    assert.equal(ok.code, 0);
    assert.match(lastLine(ok.stdout), /^DISRUPTIVE \(exit 0, accepted with --allow-disruptive\): /);
    assert.equal(cli(["plan", f("r3-image.yaml"), f("r3.yaml"), "--allow-disruptive"]).code, 0);
  });

  it("--rendered: OLD is a previous render (YAML stream or JSON List)", () => {
    const same = cli(["plan", "--rendered", f("r3.rendered.yaml"), f("r3.yaml")]);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.match(same.stdout, /^natskube plan: .*r3\.rendered\.yaml \(rendered\) -> /);
    const sameJson = cli(["plan", "--rendered", f("r3.rendered.json"), f("r3.yaml")]);
    assert.equal(sameJson.code, 0, sameJson.stdout + sameJson.stderr);
    const grow = cli(["plan", "--rendered", f("r3.rendered.yaml"), f("r3-20gi.yaml")]);
    assert.equal(grow.code, 4);
    assert.match(grow.stdout, /kubectl delete statefulset nats -n nats --cascade=orphan/);
    assert.match(grow.stdout, /kubectl patch pvc nats-js-nats-2 -n nats -p '\{"spec":\{"resources":\{"requests":\{"storage":"20Gi"\}\}\}\}'/);
  });

  it("--rendered with the official Helm chart's render: a migration plan, nats.conf read from the chart's JSON form", () => {
    const chart = join(ROOT, "test", "fixtures", "anchors", "production.rendered.yaml");
    const { code, doc } = json(["--rendered", chart, join(ROOT, "examples", "production.yaml")]);
    assert.equal(code, 4);
    // The chart omits metadata.namespace: its objects are matched in NEW's namespace.
    assert.ok(doc.notes.some((n: string) => /have no metadata\.namespace; taken to be in nats/.test(n)), doc.notes.join("\n"));
    assert.ok(!doc.notes.some((n: string) => /compared as text/.test(n)), "the chart's nats.conf parses");
    const sts = doc.objects.find((o: any) => o.ref.kind === "StatefulSet" && o.ref.name === "nats");
    assert.equal(sts.action, "update");
    assert.ok(sts.changes.some((c: any) => c.class === "forbidden" && /volumeClaimTemplates/.test(c.summary)));
    // Both sides run TLS and token auth: no false topology alarm.
    assert.ok(!doc.objects.flatMap((o: any) => o.changes).some((c: any) => /TLS turned|auth turned/.test(c.summary)));
    const conf = doc.objects.find((o: any) => o.ref.kind === "ConfigMap" && o.ref.name === "nats-config");
    assert.ok(conf.fields.some((f: any) => f.path === 'data["nats.conf"].jetstream.max_file_store' && f.before === "50Gi"));
  });

  it("OLD read from stdin", () => {
    const r = cli(["plan", "--rendered", "-", f("r3.yaml")], readFileSync(f("r3.rendered.yaml"), "utf8"));
    assert.equal(r.code, 0, r.stderr);
  });
});

describe("natskube plan: invalid input (1) and usage (2)", () => {
  it("an invalid manifest: exit 1, diagnostics on stderr, nothing on stdout", () => {
    const r = cli(["plan", f("r3.yaml"), f("invalid.yaml")]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /invalid\.yaml:\d+:\d+: error range spec\.replicas/);
  });

  it("a manifest given as --rendered OLD, and a render given as manifest OLD", () => {
    const a = cli(["plan", "--rendered", f("r3.yaml"), f("r3.yaml")]);
    assert.equal(a.code, 1);
    assert.match(a.stderr, /error kind kind: KubernetesNats is a manifest, not a rendered object/);
    const b = cli(["plan", f("r3.rendered.yaml"), f("r3.yaml")]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /hint: if .*r3\.rendered\.yaml is the output of `natskube render`, add --rendered/);
  });

  it("a missing file is invalid input", () => {
    const r = cli(["plan", f("nope.yaml"), f("r3.yaml")]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error file-read: cannot read .*nope\.yaml: no such file/);
  });

  it("wrong arguments exit 2 with the usage line", () => {
    for (const args of [["plan", f("r3.yaml")], ["plan", f("r3.yaml"), f("r3.yaml"), "-o", "xml"], ["plan", f("r3.yaml"), f("r3.yaml"), "--bogus"]]) {
      const r = cli(args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.stderr, /Usage: natskube plan OLD NEW \[--rendered\] \[-o text\|json\] \[--allow-disruptive\]/);
    }
  });

  it("--help documents the exit codes", () => {
    const r = cli(["plan", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /0 safe .* 3 needs attention .*\n.*4 disruptive .* 1 invalid input, 2 usage/);
  });
});

describe("natskube plan -o json: checked against schema/plan.schema.json", () => {
  it("safe, attention and disruptive plans validate and carry their exit code", () => {
    assert.equal(json([f("r3.yaml"), f("r3.yaml")]).doc.verdict.severity, "safe");
    const attention = json([f("r3-image.yaml"), f("r3.yaml")]);
    assert.equal(attention.code, 3);
    const sts = attention.doc.objects.find((o: any) => o.ref.kind === "StatefulSet");
    assert.equal(sts.severity, "attention");
    assert.ok(attention.doc.objects.every((o: any) => o.action === "update"));
    const disruptive = json([f("r1.yaml"), f("r3.yaml")]);
    assert.equal(disruptive.code, 4);
    assert.equal(disruptive.doc.verdict.counts.topology, 1);
    assert.deepEqual(disruptive.doc.clusters[0].replicas, { old: 1, new: 3 });
    const accepted = json([f("r1.yaml"), f("r3.yaml"), "--allow-disruptive"]);
    assert.equal(accepted.code, 0);
    assert.equal(accepted.doc.verdict.allowDisruptive, true);
    const rendered = json(["--rendered", f("r3.rendered.yaml"), f("r3-20gi.yaml")]);
    assert.equal(rendered.doc.old.input, "rendered");
    assert.ok(rendered.doc.objects.some((o: any) => o.changes.some((c: any) => c.class === "forbidden")));
  });

  it("is byte-stable across runs", () => {
    const a = cli(["plan", f("r1.yaml"), f("r3.yaml"), "-o", "json"]);
    const b = cli(["plan", f("r1.yaml"), f("r3.yaml"), "-o", "json"]);
    assert.equal(a.stdout, b.stdout);
  });

  it("the schema rejects what the plan never emits", () => {
    const { doc } = json([f("r3-image.yaml"), f("r3.yaml")]);
    assert.equal(validate({ ...doc, extra: 1 }), false);
    const bad = structuredClone(doc);
    bad.objects[0].changes[0].class = "restart";
    assert.equal(validate(bad), false);
  });
});

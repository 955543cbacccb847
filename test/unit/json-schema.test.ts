import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import { cli, ROOT } from "../support/cli.js";
import { EXAMPLES, exampleText } from "../support/examples.js";

const shipped = readFileSync(join(ROOT, "schema", "kubernetes-nats.schema.json"), "utf8");

describe("JSON Schema", () => {
  it("the shipped schema is what `natskube schema` prints (npm run schema:update)", () => {
    const r = cli(["schema"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, shipped);
  });
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  const validate = ajv.compile(JSON.parse(shipped));
  for (const name of EXAMPLES)
    it(`examples/${name}.yaml passes it (editors agree with the validator)`, () => {
      assert.ok(validate(parse(exampleText(name))), JSON.stringify(validate.errors));
    });
  it("rejects what the validator rejects: unknown fields, bad enums", () => {
    const doc = parse(exampleText("dev"));
    doc.spec.replcas = 3;
    assert.equal(validate(doc), false);
    const doc2 = parse(exampleText("dev"));
    doc2.spec.jetstream.persistence = { mode: "DISK" };
    assert.equal(validate(doc2), false);
  });
  it("documents defaults next to fields", () => {
    const s = JSON.parse(shipped);
    const spec = s.properties.spec.properties;
    assert.equal(spec.replicas.default, 3);
    assert.match(spec.replicas.description, /odd/);
    assert.equal(spec.jetstream.properties.persistence.properties.mode.default, "FILE");
  });
});

import assert from "node:assert/strict";
import { it } from "node:test";
import * as natskube from "../../src/index.js";
import { exampleText } from "../support/examples.js";

it("the package's entry point renders a manifest without printing", () => {
  const result = natskube.parseText(exampleText("dev"), "dev.yaml");
  assert.deepEqual(result.diagnostics, []);
  const rendered = natskube.renderParsed(result.parsed[0]!);
  assert.ok(rendered);
  assert.match(natskube.yamlStream(rendered.objects), /kind: StatefulSet/);
  assert.equal(natskube.stackOutputs(rendered.model).clientUrlInternal, "nats://nats.nats-dev.svc.cluster.local:4222");
  for (const fn of ["lintDocument", "buildPlan", "verify", "jsonSchema"] as const) assert.equal(typeof natskube[fn], "function");
});

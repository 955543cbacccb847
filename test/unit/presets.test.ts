// The starter manifests have one owner, src/presets/templates.ts (what `natskube init` prints);
// examples/dev.yaml and examples/staging.yaml are those presets for name nats, and the production
// preset is a subset of examples/production.yaml (which shows every feature), value for value.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { presetManifest } from "../../src/presets/templates.js";
import { exampleText } from "../support/examples.js";

const EXAMPLE_SCHEMA = "https://natskube.dev/schema/kubernetes-nats.schema.json";

/** Paths where `part` holds a value `whole` does not. */
function notIn(part: unknown, whole: unknown, path = ""): string[] {
  if (typeof part !== "object" || part === null) return part === whole ? [] : [`${path}: ${JSON.stringify(part)} vs ${JSON.stringify(whole)}`];
  const w = (whole ?? {}) as Record<string, unknown>;
  return Object.entries(part).flatMap(([k, v]) => notIn(v, w[k], Array.isArray(part) ? `${path}[${k}]` : `${path}.${k}`));
}

describe("starter manifests: the presets own them", () => {
  for (const [preset, namespace] of [["dev", "nats-dev"], ["staging", "nats-staging"]] as const)
    it(`examples/${preset}.yaml is the ${preset} preset, byte for byte`, () => {
      assert.equal(exampleText(preset), presetManifest(preset, "nats", namespace, EXAMPLE_SCHEMA));
    });

  it("every value of the production preset is the same in examples/production.yaml", () => {
    assert.deepEqual(notIn(parse(presetManifest("production", "nats", "nats")), parse(exampleText("production"))), []);
  });
});

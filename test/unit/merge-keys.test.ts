import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseText } from "../../src/pipeline.js";

// Anchors of shared values, merged with `<<`, as teams write them for kubectl (YAML 1.1 merge keys).
const MANIFEST = `apiVersion: kubernetes.project-planton.org/v1
kind: KubernetesNats
metadata:
  name: nats
spec:
  namespace: nats
  resources:
    requests: &sized
      cpu: 500m
      memory: 2Gi
    limits:
      <<: *sized
      cpu: "2"
  natsBox:
    <<: [{enabled: false}, {enabled: true, resources: {}}]
`;

const errorsOf = (text: string) => parseText(text, "m.yaml").diagnostics.filter((d) => d.severity === "error");

describe("YAML merge keys (<<)", () => {
  it("merge the anchored mapping; a key written beside << wins, and the first source of a list wins", () => {
    const r = parseText(MANIFEST, "m.yaml");
    assert.deepEqual(errorsOf(MANIFEST), []);
    const spec = r.parsed[0]!.resource!.spec;
    assert.deepEqual(spec.resources?.limits, { cpu: "2", memory: "2Gi" });
    assert.deepEqual(spec.resources?.requests, { cpu: "500m", memory: "2Gi" });
    assert.equal(spec.natsBox.enabled, false);
  });

  it("a mistake inside the anchored mapping points at the line where it is written", () => {
    const text = MANIFEST.replace("      memory: 2Gi", "      memory: 2GB");
    const errors = errorsOf(text);
    const limits = errors.find((d) => d.path === "spec.resources.limits.memory");
    assert.ok(limits, JSON.stringify(errors));
    assert.equal(limits.code, "quantity");
    assert.deepEqual([limits.source?.line, limits.source?.col], [10, 7], "the key in the anchor, not the << line");
  });

  it("a mistake in a key written beside << points at that key", () => {
    const text = MANIFEST.replace('      cpu: "2"', "      cpu: two");
    const e = errorsOf(text).find((d) => d.path === "spec.resources.limits.cpu");
    assert.ok(e);
    assert.deepEqual([e.source?.line, e.source?.col], [13, 7]);
  });

  it("an unknown key brought in by a merge is named at its path, never as a field <<", () => {
    const text = MANIFEST.replace("      cpu: 500m\n", "      cpu: 500m\n      cpus: 1\n");
    const errors = errorsOf(text);
    assert.ok(!errors.some((d) => d.path.includes("<<")), JSON.stringify(errors));
    const e = errors.find((d) => d.path === "spec.resources.limits.cpus");
    assert.ok(e, JSON.stringify(errors));
    assert.deepEqual([e.code, e.source?.line], ["unknown-field", 10]);
  });

  it("a merge of something that is not a mapping is a located error", () => {
    const text = MANIFEST.replace("      <<: *sized", "      <<: 3");
    const errors = errorsOf(text);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0]!.code, "yaml-syntax");
    assert.match(errors[0]!.hint ?? "", /<<: \*defaults/);
  });
});

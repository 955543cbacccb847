import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { diagnosticsOf, findObject, manifest, render } from "../support/render.js";

describe("spec.podAnnotations and spec.podLabels", () => {
  it("go on the NATS pod template only, keys as written, beside the objects' own; the selector is untouched", () => {
    const r = render(manifest({ podAnnotations: { "vault.hashicorp.com/agent_inject": "true" }, pod_labels: { tier: "messaging" } }, { annotations: { team: "a" } }));
    const sts = findObject(r, "StatefulSet") as IStatefulSet;
    assert.deepEqual(sts.spec!.template.metadata!.annotations, { team: "a", "vault.hashicorp.com/agent_inject": "true" });
    assert.equal(sts.spec!.template.metadata!.labels!["tier"], "messaging");
    assert.equal(sts.metadata!.labels!["tier"], undefined);
    assert.equal(sts.metadata!.annotations?.["vault.hashicorp.com/agent_inject"], undefined);
    assert.deepEqual(sts.spec!.selector.matchLabels, r.model.selectorLabels);
  });
  it("a label natskube sets is refused, at the key", () => {
    const e = diagnosticsOf(manifest({ podLabels: { "app.kubernetes.io/instance": "x" } })).filter((d) => d.severity === "error");
    assert.deepEqual(e.map((d) => d.path), ["spec.podLabels.app.kubernetes.io/instance"]);
    assert.match(e[0]!.message, /selects the pods by/);
  });
});

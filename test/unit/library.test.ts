import assert from "node:assert/strict";
import { it } from "node:test";
import { stringify } from "yaml";
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

it("renders from an object as from YAML text, the same bytes", () => {
  const manifest: natskube.KubernetesNatsInput = {
    apiVersion: "kubernetes.project-planton.org/v1",
    kind: "KubernetesNats",
    metadata: { name: "orders" },
    spec: { namespace: "messaging", replicas: 3, jetstream: { persistence: { mode: "FILE", size: "10Gi" } } },
  };
  const fromObject = natskube.renderManifest(manifest);
  const fromText = natskube.renderManifest(stringify(manifest));
  assert.deepEqual(fromObject.diagnostics, []);
  assert.equal(fromObject.documents.length, 1);
  assert.equal(natskube.yamlStream(fromObject.documents[0]!.objects), natskube.yamlStream(fromText.documents[0]!.objects));
  assert.deepEqual(manifest.spec.jetstream, { persistence: { mode: "FILE", size: "10Gi" } }, "the input is not mutated");
});

it("an object with mistakes gives the same diagnostics as text, without positions; odd values are diagnostics", () => {
  const bad = { apiVersion: "kubernetes.project-planton.org/v1", kind: "KubernetesNats", metadata: { name: "orders" }, spec: { namespace: "m", replcas: 3, jetstream: { persistence: { mode: "file" } } } };
  const r = natskube.parseObject(bad);
  assert.equal(r.parsed[0]?.resource, undefined);
  const text = natskube.parseText(stringify(bad), "x.yaml").diagnostics;
  const strip = (ds: natskube.Diagnostic[]) => ds.map(({ source: _s, ...d }) => d);
  assert.deepEqual(strip(r.diagnostics), strip(text));
  assert.ok(r.diagnostics.every((d) => d.source === undefined), "no made-up line numbers");
  const cyclic: Record<string, unknown> = { apiVersion: "kubernetes.project-planton.org/v1", kind: "KubernetesNats", metadata: { name: "a" } };
  cyclic["spec"] = { namespace: "m", loop: cyclic };
  assert.match(natskube.parseObject(cyclic).diagnostics[0]!.message, /contains itself/);
  const dated = natskube.parseObject({ ...bad, spec: { namespace: "m", replicas: new Date(0) } });
  assert.deepEqual(dated.diagnostics.map((d) => [d.code, d.path]), [["type", "spec.replicas"]]);
});

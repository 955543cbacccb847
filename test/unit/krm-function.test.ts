// The KRM function in-process: what kustomize sends (a ResourceList whose functionConfig is the KubernetesNats,
// also listed in items, with the annotations kustomize adds, as captured from kustomize 5.8.2) and what it must
// get back. test/integration/gitops-kustomize.test.ts runs the same through the real kustomize.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse, parseDocument, stringify } from "yaml";
import { runKrmFunction, type KrmRun } from "../../src/krm/function.js";
import type { KrmResult } from "../../src/krm/resource-list.js";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { manifest, render } from "../support/render.js";

const FUNCTION = { "config.kubernetes.io/function": "exec:\n  path: natskube\n  args: [krm]\n" };

/** The manifest as kustomize passes a generator: functionConfig, and the same resource as the only item. */
function resourceList(text: string, annotations: Record<string, string> = {}): string {
  const resource = parse(text) as { metadata: { annotations?: Record<string, string> } };
  resource.metadata.annotations = { ...resource.metadata.annotations, ...annotations, "config.kubernetes.io/local-config": "true" };
  const item = structuredClone(resource);
  item.metadata.annotations = { ...item.metadata.annotations, "config.kubernetes.io/index": "0", "internal.config.kubernetes.io/id": "1", "config.k8s.io/id": "1" };
  return stringify({ apiVersion: "config.kubernetes.io/v1", kind: "ResourceList", items: [item], functionConfig: resource });
}

interface Output {
  apiVersion: string;
  kind: string;
  items: { kind: string; metadata: { name: string; annotations?: Record<string, string> } }[];
  results?: KrmResult[];
}
const output = (run: KrmRun) => parse(run.output) as Output;
const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe("natskube krm: a generator's objects", () => {
  for (const name of EXAMPLES) {
    it(`${name}: the input item, then exactly the objects render prints, in render's order`, () => {
      const run = runKrmFunction(resourceList(exampleText(name), FUNCTION));
      assert.equal(run.failed, false, run.output);
      const out = output(run);
      assert.deepEqual([out.apiVersion, out.kind], ["config.kubernetes.io/v1", "ResourceList"]);
      assert.equal(out.items[0]!.kind, "KubernetesNats", "input items pass through (kustomize drops it: local-config)");
      assert.deepEqual(out.items.slice(1), plain(render(exampleText(name)).objects));
    });
  }

  it("KRM annotations stay on the generator; the user's own are copied as render copies them", () => {
    const text = manifest({}, { annotations: { "team.example.com/owner": "payments", ...FUNCTION } });
    const objects = output(runKrmFunction(resourceList(text, { "config.kubernetes.io/origin": "path: nats.yaml\n" }))).items.slice(1);
    assert.ok(objects.length > 0);
    for (const o of objects) assert.deepEqual(o.metadata.annotations, { "team.example.com/owner": "payments" }, `${o.kind}/${o.metadata.name}`);
    assert.deepEqual(objects, plain(render(text).objects), "natskube render of the same file gives the same objects");
  });

  it("no Secret values: the auth Secret is referenced, never generated", () => {
    const objects = output(runKrmFunction(resourceList(exampleText("production")))).items;
    const secrets = objects.filter((o) => o.kind === "Secret").map((o) => o.metadata.name);
    assert.deepEqual(secrets, ["nats-box-contexts"], "only nats-box's contexts, which hold URLs, not credentials");
    const contexts = objects.find((o) => o.kind === "Secret") as unknown as { stringData: Record<string, string> };
    for (const [key, json] of Object.entries(contexts.stringData)) {
      assert.match(key, /\.json$/);
      assert.deepEqual(Object.keys(JSON.parse(json) as object).filter((k) => /token|password|user|creds/i.test(k)), [], key);
    }
  });

  it("the same input gives the same bytes", () => {
    const input = resourceList(exampleText("production"));
    assert.equal(runKrmFunction(input).output, runKrmFunction(input).output);
  });
});

describe("natskube krm: diagnostics become results", () => {
  const invalid = ["apiVersion: kubernetes.project-planton.org/v1", "kind: KubernetesNats", "metadata:", "  name: orders", "spec:", "  namespace: messaging", "  replcas: 3", "  jetstream: {persistence: {size: 10GB}}", ""].join("\n");
  const origin = { "config.kubernetes.io/origin": "path: nats.yaml\n" };

  it("located in the origin file: severity, message, field path, file and document index, line:column", () => {
    const file = `${manifest({ replicas: 1 }, { name: "other" })}---\n${invalid}`;
    const run = runKrmFunction(resourceList(invalid, origin), { readFile: (p) => (p === "nats.yaml" ? file : undefined) });
    assert.equal(run.failed, true);
    const out = output(run);
    assert.deepEqual(out.items.map((i) => i.kind), ["KubernetesNats"], "no objects when the manifest is invalid");
    const ref = { apiVersion: "kubernetes.project-planton.org/v1", kind: "KubernetesNats", name: "orders" };
    const offset = file.split("\n").indexOf("---") + 1;
    assert.deepEqual(out.results, [
      { message: 'unknown field "replcas" (hint: Did you mean "replicas"?)', severity: "error", resourceRef: ref, field: { path: "spec.replcas" }, file: { path: "nats.yaml", index: 1 },
        tags: { "natskube.dev/code": "unknown-field", "natskube.dev/position": `${offset + 7}:3` } },
      { message: 'size must be a Kubernetes quantity, got the string "10GB" (hint: Use a number with an optional unit, e.g. 500m, 2, 512Mi, 10Gi.)', severity: "error", resourceRef: ref,
        field: { path: "spec.jetstream.persistence.size" }, file: { path: "nats.yaml", index: 1 }, tags: { "natskube.dev/code": "quantity", "natskube.dev/position": `${offset + 8}:29` } },
    ]);
    assert.equal(run.sources.get("nats.yaml"), file, "the CLI prints excerpts of the user's file");
  });

  it("an origin file that does not hold the functionConfig gives no positions (they would point at the wrong lines)", () => {
    const run = runKrmFunction(resourceList(invalid, origin), { readFile: () => invalid.replace("replcas: 3", "replcas: 5") });
    const results = output(run).results!;
    assert.equal(results.length, 2);
    for (const r of results) {
      assert.deepEqual(r.file, { path: "nats.yaml" });
      assert.equal(r.tags?.["natskube.dev/position"], undefined);
    }
    assert.equal(run.sources.size, 0);
  });

  it("without an origin annotation: field path and resource, no file", () => {
    const results = output(runKrmFunction(resourceList(invalid))).results!;
    assert.deepEqual(results.map((r) => [r.field?.path, r.file, r.resourceRef?.name]), [["spec.replcas", undefined, "orders"], ["spec.jetstream.persistence.size", undefined, "orders"]]);
  });

  it("lint findings are warnings that keep the objects; --strict makes them fail", () => {
    const input = resourceList(exampleText("dev"));
    const run = runKrmFunction(input);
    assert.equal(run.failed, false);
    const out = output(run);
    const warnings = out.results!.filter((r) => r.tags?.["natskube.dev/lint-rule"]);
    assert.ok(warnings.length > 0 && warnings.every((r) => r.severity === "warning" && r.field?.path?.startsWith("spec.") && /\(fix: .+\)$/.test(r.message)), JSON.stringify(warnings));
    assert.ok(warnings.some((r) => r.tags?.["natskube.dev/lint-rule"] === "auth-disabled"));
    assert.ok(out.items.length > 1);
    const strict = runKrmFunction(input, { strict: true });
    assert.equal(strict.failed, true);
    assert.equal(output(strict).items.length, 1, "only the input item");
  });

  it("natskube.dev/lint-ignore is honoured: a suppressed finding is no result", () => {
    const text = manifest({ replicas: 1 }, { annotations: { "natskube.dev/lint-ignore": "auth-disabled" } });
    const rules = output(runKrmFunction(resourceList(text))).results!.map((r) => r.tags?.["natskube.dev/lint-rule"]);
    assert.ok(rules.includes("tls-disabled") && !rules.includes("auth-disabled"), rules.join(","));
  });
});

describe("natskube krm: what is not a ResourceList with a KubernetesNats", () => {
  const cases: [string, string, RegExp][] = [
    ["not YAML", "items: [", /./],
    ["no document", "", /expected one ResourceList document on stdin, got 0/],
    ["another kind", stringify({ apiVersion: "v1", kind: "List", items: [] }), /stdin is not a ResourceList/],
    ["another apiVersion", stringify({ apiVersion: "config.kubernetes.io/v2", kind: "ResourceList", items: [] }), /apiVersion must be config.kubernetes.io\/v1/],
    ["no functionConfig", stringify({ apiVersion: "config.kubernetes.io/v1", kind: "ResourceList", items: [] }), /the ResourceList has no functionConfig/],
    ["a functionConfig that is not a KubernetesNats", stringify({ apiVersion: "config.kubernetes.io/v1", kind: "ResourceList", items: [], functionConfig: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } } }), /kind/],
  ];
  for (const [name, input, message] of cases) {
    it(`${name}: fails with an error result in a ResourceList`, () => {
      const run = runKrmFunction(input);
      assert.equal(run.failed, true);
      const out = parseDocument(run.output).toJS() as Output;
      assert.equal(out.kind, "ResourceList");
      const errors = out.results!.filter((r) => r.severity === "error");
      assert.ok(errors.length > 0 && errors.some((r) => message.test(r.message)), JSON.stringify(out.results));
    });
  }
});

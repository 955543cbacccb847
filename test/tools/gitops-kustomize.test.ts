// natskube as a kustomize generator (the KRM function `natskube krm`), run by the real kustomize of
// scripts/tools.env, and what kubectl's built-in kustomize does with the same folder. docs/gitops.md states these.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { parseDocument } from "yaml";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { idOf, objectsOf, workspace, type Obj, type Workspace } from "../support/gitops.js";
import { kubeToolPath, toolPath } from "../support/tools.js";

const KUSTOMIZE = toolPath("kustomize");
const KUBECTL = kubeToolPath("kubectl");
const EXEC = ["build", "--enable-alpha-plugins", "--enable-exec"];

/** The manifest as docs/gitops.md writes a generator: the function annotation added, comments kept. */
function generator(text: string): string {
  const doc = parseDocument(text);
  doc.setIn(["metadata", "annotations", "config.kubernetes.io/function"], "exec:\n  path: natskube\n  args: [krm]\n");
  return doc.toString();
}

/** base/: nats.yaml listed as a generator. */
function base(t: TestContext, manifest: string, kustomization = "generators:\n  - nats.yaml\n"): Workspace {
  const ws = workspace(t);
  ws.write("base/nats.yaml", generator(manifest));
  ws.write("base/kustomization.yaml", kustomization);
  return ws;
}

/** overlay/: the base folder plus BODY (transformers). */
const overlay = (ws: Workspace, body: string) => ws.write("overlay/kustomization.yaml", `resources:\n  - ../base\n${body}`);

/** The production example as a generator, the overlay BODY on top, built by kustomize: its objects. */
function buildOverlay(t: TestContext, body: string): Obj[] {
  const ws = base(t, exampleText("production"));
  overlay(ws, body);
  const built = ws.run(KUSTOMIZE, [...EXEC, "overlay"]);
  assert.equal(built.code, 0, built.stderr);
  return objectsOf(built.stdout);
}

describe("kustomize build --enable-alpha-plugins --enable-exec: natskube krm as a generator", () => {
  for (const name of EXAMPLES) {
    it(`${name}: the objects natskube render prints for the same file, in its order (sortOptions fifo)`, (t) => {
      const ws = base(t, exampleText(name), "generators:\n  - nats.yaml\nsortOptions:\n  order: fifo\n");
      const built = ws.run(KUSTOMIZE, [...EXEC, "base"]);
      assert.equal(built.code, 0, built.stderr);
      const rendered = ws.run("natskube", ["render", join("base", "nats.yaml")]);
      assert.equal(rendered.code, 0, rendered.stderr);
      assert.deepEqual(objectsOf(built.stdout), objectsOf(rendered.stdout));
      // kustomize re-serializes (its own key order and indentation): same objects, not the same bytes.
      assert.notEqual(built.stdout, rendered.stdout.replace(/^---\n/, ""));
    });
  }

  it("two generators beside a plain resource: every object once (input items pass through, the generators are dropped)", (t) => {
    const ws = base(t, exampleText("dev"), "generators:\n  - nats.yaml\n  - staging.yaml\nresources:\n  - extra.yaml\n");
    // kustomize identifies a generator by kind and metadata.name: two called "nats" are refused (docs/gitops.md).
    const refused = base(t, exampleText("dev"), "generators:\n  - nats.yaml\n  - staging.yaml\n");
    refused.write("base/staging.yaml", generator(exampleText("staging")));
    assert.match(refused.run(KUSTOMIZE, [...EXEC, "base"]).stderr, /may not add resource with an already registered id: KubernetesNats/);
    ws.write("base/staging.yaml", generator(exampleText("staging").replace(/^  name: nats$/m, "  name: nats-stg")));
    ws.write("base/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: nats-dev\n");
    const built = ws.run(KUSTOMIZE, [...EXEC, "base"]);
    assert.equal(built.code, 0, built.stderr);
    const expected = [...objectsOf(ws.run("natskube", ["render", "base/nats.yaml"]).stdout), ...objectsOf(ws.run("natskube", ["render", "base/staging.yaml"]).stdout)];
    assert.deepEqual(objectsOf(built.stdout).map(idOf).sort(), [...expected.map(idOf), "ConfigMap/nats-dev/extra"].sort());
  });

  it("kustomize's default (legacy) order: the same objects, sorted by kind", (t) => {
    const ws = base(t, exampleText("production"));
    const built = ws.run(KUSTOMIZE, [...EXEC, "base"]);
    assert.equal(built.code, 0, built.stderr);
    const rendered = objectsOf(ws.run("natskube", ["render", "base/nats.yaml"]).stdout);
    const got = objectsOf(built.stdout);
    assert.deepEqual([...got].sort((a, b) => idOf(a).localeCompare(idOf(b))), [...rendered].sort((a, b) => idOf(a).localeCompare(idOf(b))));
    assert.notDeepEqual(got.map(idOf), rendered.map(idOf));
  });

  it("an invalid manifest fails the build; with originAnnotations the errors point into the file", (t) => {
    const broken = exampleText("staging").replace(/^  replicas: 3(.*)$/m, "  replcas: 3$1");
    assert.notEqual(broken, exampleText("staging"));
    const ws = base(t, broken, "generators:\n  - nats.yaml\nbuildMetadata: [originAnnotations]\n");
    const line = ws.run("cat", ["base/nats.yaml"]).stdout.split("\n").findIndex((l) => l.startsWith("  replcas: 3")) + 1;
    const built = ws.run(KUSTOMIZE, [...EXEC, "base"]);
    assert.notEqual(built.code, 0);
    assert.equal(built.stdout, "");
    assert.match(built.stderr, new RegExp(`^nats\\.yaml:${line}:3: error unknown-field spec\\.replcas: unknown field "replcas"$`, "m"));
    assert.match(built.stderr, /couldn't execute function: exit status 1/);
  });

  it("without originAnnotations: the field path, no line (kustomize does not say which file)", (t) => {
    const ws = base(t, exampleText("staging").replace(/^  replicas: 3(.*)$/m, "  replcas: 3$1"));
    const built = ws.run(KUSTOMIZE, [...EXEC, "base"]);
    assert.notEqual(built.code, 0);
    assert.match(built.stderr, /^error unknown-field spec\.replcas: unknown field "replcas"$/m);
  });

  it("lint warnings are printed and the build succeeds", (t) => {
    const built = base(t, exampleText("dev")).run(KUSTOMIZE, [...EXEC, "base"]);
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stderr, /warning auth-disabled spec\.auth\.enabled/);
    assert.ok(objectsOf(built.stdout).length > 0);
  });
});

describe("a kustomize overlay on natskube's objects (the caveats of docs/gitops.md)", () => {
  const find = (objects: Obj[], kind: string, name?: string) => objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name))!;

  it("namespace: moves every object, but names written inside values keep spec.namespace", (t) => {
    const objects = buildOverlay(t, "namespace: other\n");
    assert.deepEqual([...new Set(objects.map((o) => o.metadata.namespace))], ["other"]);
    // Why the docs say: set spec.namespace instead. The certificate names and client URLs still say "nats".
    const cert = find(objects, "Certificate") as { spec?: { dnsNames: string[] } };
    assert.ok(cert.spec!.dnsNames.includes("nats.nats.svc.cluster.local"));
    assert.ok(!cert.spec!.dnsNames.some((n) => n.includes(".other")));
    const contexts = find(objects, "Secret", "nats-box-contexts") as { stringData?: Record<string, string> };
    assert.match(Object.values(contexts.stringData!).join(), /nats\.nats\.svc\.cluster\.local/);
    const account = find(objects, "Account") as { spec?: { servers: string[] } };
    assert.deepEqual(account.spec!.servers, ["tls://nats.nats.svc.cluster.local:4222"]);
  });

  it("namePrefix: renames the objects, but nats.conf's routes still name the old headless Service and pods", (t) => {
    const objects = buildOverlay(t, "namePrefix: eu-\n");
    assert.ok(find(objects, "Service", "eu-nats-headless"));
    const conf = (find(objects, "ConfigMap", "eu-nats-config") as { data?: Record<string, string> }).data!["nats.conf"]!;
    assert.match(conf, /"tls:\/\/nats-0\.nats-headless:6222"/);
    assert.doesNotMatch(conf, /eu-nats/);
  });

  it("labels (without includeSelectors): on every object, selectors and pod templates untouched", (t) => {
    const ws = base(t, exampleText("production"));
    overlay(ws, "labels:\n  - pairs: {env: prod}\n");
    const built = ws.run(KUSTOMIZE, [...EXEC, "overlay"]);
    assert.equal(built.code, 0, built.stderr);
    const objects = objectsOf(built.stdout);
    const plain = objectsOf(ws.run(KUSTOMIZE, [...EXEC, "base"]).stdout);
    for (const o of objects) assert.equal(o.metadata.labels?.["env"], "prod", idOf(o));
    const sts = (os: Obj[]) => find(os, "StatefulSet") as { spec?: { selector: unknown; template: { metadata: unknown } } };
    assert.deepEqual(sts(objects).spec!.selector, sts(plain).spec!.selector);
    assert.deepEqual(sts(objects).spec!.template.metadata, sts(plain).spec!.template.metadata, "no label on the pods: no rollout");
  });

  it("commonLabels changes the StatefulSet's selector, which Kubernetes refuses to change on a running cluster", (t) => {
    const sts = find(buildOverlay(t, "commonLabels:\n  env: prod\n"), "StatefulSet") as { spec?: { selector: { matchLabels: Record<string, string> } } };
    assert.equal(sts.spec!.selector.matchLabels["env"], "prod");
  });
});

describe("kubectl kustomize (kubectl of scripts/tools.env) and the generator", () => {
  it("has no --enable-exec: without --enable-alpha-plugins it refuses the generator", (t) => {
    const ws = base(t, exampleText("dev"));
    const r = ws.run(KUBECTL, ["kustomize", "base"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /external plugins disabled; unable to load external plugin 'KubernetesNats'/);
    assert.match(ws.run(KUBECTL, ["kustomize", "--enable-exec", "base"]).stderr, /unknown flag: --enable-exec/);
  });

  it("with --enable-alpha-plugins it exits 0 and renders NOTHING for the generator (the silent trap)", (t) => {
    const r = base(t, exampleText("dev")).run(KUBECTL, ["kustomize", "--enable-alpha-plugins", "base"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(objectsOf(r.stdout), []);
  });

  it("what works: natskube render --out, and an overlay on that folder", (t) => {
    const ws = workspace(t);
    ws.write("nats.yaml", exampleText("production"));
    assert.equal(ws.run("natskube", ["render", "nats.yaml", "--out", "base"]).code, 0);
    overlay(ws, "labels:\n  - pairs: {env: prod}\n");
    const built = ws.run(KUBECTL, ["kustomize", "overlay"]);
    assert.equal(built.code, 0, built.stderr);
    const rendered = objectsOf(ws.run("natskube", ["render", "nats.yaml"]).stdout);
    const got = objectsOf(built.stdout);
    assert.deepEqual(got.map(idOf).sort(), rendered.map(idOf).sort());
    for (const o of got) assert.equal(o.metadata.labels?.["env"], "prod", idOf(o));
  });
});

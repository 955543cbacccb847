import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseText } from "../../src/pipeline.js";
import { exampleText } from "../support/examples.js";
import { diagnosticsOf, manifest, render } from "../support/render.js";

const resourceOf = (text: string) => {
  const r = parseText(text, "t.yaml");
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === "error"), []);
  return r.parsed[0]!.resource!;
};

describe("defaults", () => {
  it("a minimal manifest gets documented defaults", () => {
    const s = resourceOf(manifest()).spec;
    assert.equal(s.replicas, 3);
    assert.equal(s.image.repository, "nats");
    assert.equal(s.image.tag, "2.14.2-alpine");
    assert.deepEqual([s.jetstream.enabled, s.jetstream.persistence.mode], [true, "FILE"]);
    assert.deepEqual([s.auth.enabled, s.auth.mode, s.tls.enabled, s.natsBox.enabled], [false, "TOKEN", false, true]);
    assert.deepEqual([s.externalAccess.type, s.nack.enabled, s.monitoring.enabled, s.networkPolicy.enabled], ["NONE", false, false, false]);
    assert.equal(s.clusterDomain, "cluster.local");
  });
  it("FILE size defaults to 10Gi with max_file_store 10% below", () => {
    const m = render(manifest()).model;
    assert.equal(m.jetstream.pvcSize, "10Gi");
    assert.equal(m.jetstream.maxFileStore, 9216 * 2 ** 20);
    assert.equal(m.jetstream.maxMemoryStore, 0, "no memory limit: memory streams refused, as the chart");
  });
  it("the memory limit derives GOMEMLIMIT (80%) and the memory store", () => {
    const m = render(manifest({ resources: { limits: { memory: "8Gi" } } })).model;
    assert.equal(m.goMemLimit, "6553MiB");
    assert.equal(m.jetstream.maxMemoryStore, 2 * 2 ** 30);
    const mem = render(manifest({ resources: { limits: { memory: "4Gi" } }, jetstream: { persistence: { mode: "MEMORY" } } })).model;
    assert.equal(mem.jetstream.maxMemoryStore, 2 * 2 ** 30, "MEMORY without size: half the limit");
  });
});

describe("jetstream.persistence.maxFileStore and maxMemoryStore", () => {
  it("set the FILE limits as written, and apply to FILE only", () => {
    const m = render(manifest({ resources: { limits: { memory: "8Gi" } }, jetstream: { persistence: { maxFileStore: "5Gi", maxMemoryStore: "0" } } })).model;
    assert.deepEqual([m.jetstream.maxFileStore, m.jetstream.maxMemoryStore], [5 * 2 ** 30, 0]);
    const mem = diagnosticsOf(manifest({ jetstream: { persistence: { mode: "MEMORY", maxMemoryStore: "1Gi" } } }));
    assert.deepEqual(mem.map((d) => [d.path, d.code, d.severity]), [["spec.jetstream.persistence.maxMemoryStore", "cross-field", "error"]]);
  });
});

describe("snake_case and camelCase", () => {
  it("every key may be written in snake_case", () => {
    const camel = resourceOf(manifest({ natsBox: { enabled: false }, externalAccess: { type: "LOADBALANCER", hostname: "n.example.com" }, createNamespace: true }));
    const snake = resourceOf(manifest({ nats_box: { enabled: false }, external_access: { type: "LOADBALANCER", hostname: "n.example.com" }, create_namespace: true }));
    assert.deepEqual(snake, camel);
  });
  it("user maps keep their keys (labels, nodeSelector)", () => {
    const r = resourceOf(manifest({ scheduling: { nodeSelector: { "node_pool": "nats" } } }, { labels: { cost_center: "a1" } }));
    assert.deepEqual(r.spec.scheduling.nodeSelector, { node_pool: "nats" });
    assert.deepEqual(r.metadata.labels, { cost_center: "a1" });
  });
  it("both spellings with the same value are fine, different values conflict", () => {
    assert.deepEqual(diagnosticsOf(manifest({ replicas: 3, createNamespace: true, create_namespace: true })), []);
    const d = diagnosticsOf(manifest({ createNamespace: true, create_namespace: false }));
    assert.equal(d[0]?.code, "conflict");
  });
});

describe("Project Planton's API loads unchanged and means the same", () => {
  const planton = resourceOf(exampleText("planton"));
  it("maps every field", () => {
    const s = planton.spec;
    assert.equal(s.namespace, "nats-demo");
    assert.equal(s.replicas, 3);
    assert.deepEqual(s.resources, { limits: { cpu: "1000m", memory: "2Gi" }, requests: { cpu: "100m", memory: "256Mi" } });
    assert.equal(s.jetstream.persistence.size, "10Gi");
    assert.deepEqual([s.auth.enabled, s.auth.mode], [true, "TOKEN"]);
    assert.equal(s.tls.enabled, true);
    assert.deepEqual([s.externalAccess.type, s.externalAccess.hostname], ["LOADBALANCER", "nats-gcp-dev.example.com"]);
    assert.equal(s.natsBox.enabled, true);
    assert.deepEqual([s.nack.enabled, s.nack.controlLoop], [true, true]);
    assert.equal(s.image.tag, "2.12.3-alpine", "chart 2.12.3 pins server 2.12.3");
    assert.equal(s.streams[0]?.consumers[0]?.durableName, "orders-processor");
    assert.deepEqual(planton.planton, { natsHelmChartVersion: "2.12.3", targetCluster: { clusterKind: 607, clusterName: "gke-dev" }, dialect: true });
  });
  it("metadata id, org and env become labels", () => {
    const labels = render(exampleText("planton")).model.labels;
    assert.equal(labels["planton.ai/organization"], "acme");
    assert.equal(labels["planton.ai/environment"], "dev");
  });
  it("disableJetStream, disableNatsBox, basic_auth, nackController.appVersion", () => {
    const s = resourceOf(manifest({ disableJetStream: true, disableNatsBox: true, auth: { enabled: true, scheme: "basic_auth" }, nackController: { enabled: true, appVersion: "0.21.1" } })).spec;
    assert.deepEqual([s.jetstream.enabled, s.natsBox.enabled, s.auth.mode, s.nack.image.tag], [false, false, "BASIC", "0.21.1"]);
  });
  it("kind NatsKubernetes is accepted", () => {
    assert.equal(resourceOf(manifest().replace("kind: KubernetesNats", "kind: NatsKubernetes")).kind, "NatsKubernetes");
  });
  it("the same thing set both ways with different values is an error at the Planton field", () => {
    const d = diagnosticsOf(manifest({ jetstream: { enabled: true }, disableJetStream: true }));
    assert.equal(d.length, 1);
    assert.equal(d[0]!.code, "conflict");
    assert.equal(d[0]!.path, "spec.disableJetStream");
    assert.ok(d[0]!.source && d[0]!.source.line > 1);
    assert.deepEqual(diagnosticsOf(manifest({ jetstream: { enabled: false }, disableJetStream: true })), []);
  });
  it("ingress disabled with a hostname renders no external access", () => {
    assert.equal(resourceOf(manifest({ ingress: { enabled: false, hostname: "x.example.com" } })).spec.externalAccess.type, "NONE");
  });
});

describe("cross-field rules", () => {
  it("warnings do not block rendering", () => {
    const d = diagnosticsOf(manifest({ jetstream: { enabled: false, persistence: { size: "5Gi" } } }));
    assert.deepEqual(d.map((x) => [x.severity, x.code, x.path]), [["warning", "cross-field", "spec.jetstream.persistence.size"]]);
    render(manifest({ jetstream: { enabled: false, persistence: { size: "5Gi" } } }));
  });
  it("auth settings without auth.enabled warn", () => {
    assert.equal(diagnosticsOf(manifest({ auth: { mode: "BASIC" } }))[0]?.severity, "warning");
  });
  it("several documents in one file, each with its own problems", () => {
    const text = `${manifest({ replicas: 0 })}---\n${manifest({ replicas: "x" })}`;
    const d = diagnosticsOf(text);
    assert.deepEqual(d.map((x) => [x.code, x.source?.line]), [["range", 7], ["type", 15]]);
  });
});

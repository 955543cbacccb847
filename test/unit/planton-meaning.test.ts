import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { lintDocument } from "../../src/lint/run.js";
import { requiredSecrets } from "../../src/render/secrets.js";
import { diagnosticsOf, parseValid, render } from "../support/render.js";

// Project Planton's first API read as Planton reads it (cluster-audit M6).
const planton = (spec: Record<string, unknown>, apiVersion = "kubernetes.project-planton.org/v1") =>
  stringify({ apiVersion, kind: "KubernetesNats", metadata: { name: "gcp-dev" }, spec: { namespace: { value: "nats" }, server_container: { replicas: 3 }, ...spec } });

describe("Project Planton's first API means what it means in Planton", () => {
  it("empty strings and `unspecified` enums are unset, as protojson writes them", () => {
    const text = planton({
      auth: { enabled: true, scheme: "basic_auth" },
      nack_controller: { enabled: true, enable_control_loop: true, app_version: "" },
      nats_helm_chart_version: "",
      streams: [
        {
          name: "orders",
          subjects: ["orders.>"],
          replicas: 3,
          storage: "storage_unspecified",
          retention: "unspecified",
          max_age: "",
          description: "",
          consumers: [{ durable_name: "p", ack_policy: "unspecified", deliver_policy: "", ack_wait: "", filter_subject: "", deliver_subject: "", deliver_group: "" }],
        },
      ],
    });
    assert.deepEqual(diagnosticsOf(text).filter((d) => d.severity === "error"), []);
    const st = parseValid(text).resource!.spec.streams[0]!;
    assert.equal(st.storage, undefined);
    assert.equal(st.maxAge, undefined);
    assert.equal(st.consumers[0]!.ackPolicy, undefined);
  });

  it("auth.enabled with an unspecified scheme: Planton deploys no auth; natskube renders TOKEN and says so", () => {
    const d = diagnosticsOf(planton({ auth: { enabled: true, scheme: "nats_kubernetes_auth_scheme_unspecified" } }));
    const w = d.find((x) => x.path === "spec.auth.scheme");
    assert.equal(w?.severity, "warning");
    assert.match(w!.message, /Planton then deploys no authentication at all; natskube renders its default, TOKEN/);
  });

  it("no natsHelmChartVersion: Planton's default chart 2.12.3, so nats 2.12.3; natskube's own manifests keep natskube's default", () => {
    assert.equal(render(planton({})).model.spec.image.tag, "2.12.3-alpine");
    assert.equal(render(planton({ nats_helm_chart_version: "2.14.2" })).model.spec.image.tag, "2.14.2-alpine");
    assert.equal(render(planton({ image: { tag: "2.15.3-alpine" } })).model.spec.image.tag, "2.15.3-alpine");
    const own = stringify({ apiVersion: "kubernetes.project-planton.org/v1", kind: "KubernetesNats", metadata: { name: "n" }, spec: { namespace: "nats" } });
    assert.notEqual(render(own).model.spec.image.tag, "2.12.3-alpine");
  });

  it("the no-auth user's password comes from Planton's own Secret, <name>-no-auth-user", () => {
    const m = render(planton({ auth: { enabled: true, scheme: "basic_auth", no_auth_user: { enabled: true, publish_subjects: ["public.>"] } } })).model;
    assert.deepEqual(
      requiredSecrets(m).map((s) => [s.name, s.keys]),
      [
        ["gcp-dev-auth", ["user", "password"]],
        ["gcp-dev-no-auth-user", ["password"]],
      ],
    );
  });

  it("lint warns where natskube deliberately replaces Planton's unsafe stream and consumer defaults", () => {
    const text = planton({ nack_controller: { enabled: true, enable_control_loop: true }, streams: [{ name: "orders", subjects: ["orders.>"], replicas: 3, consumers: [{ durable_name: "w" }] }] });
    const findings = lintDocument(parseValid(text))!.findings.filter((f) => f.ruleId === "planton-default-replaced");
    assert.deepEqual(findings.map((f) => f.path), ["spec.streams[0]", "spec.streams[0].consumers[0]"]);
    assert.match(findings[0]!.message, /Project Planton deploys it in memory/);
  });
});

describe("Project Planton's module labels", () => {
  it("the Namespace and the generated Secrets of a Planton manifest carry planton.ai/resource, name and kind; the chart's objects do not; natskube's own manifests neither", async () => {
    const { withGeneratedSecrets } = await import("../../src/render/secrets.js");
    const r = render(planton({ create_namespace: true, auth: { enabled: true, scheme: "bearer_token" } }));
    const out = withGeneratedSecrets(r.model, r.objects);
    const mod = { "planton.ai/resource": "true", "planton.ai/name": "gcp-dev", "planton.ai/kind": "KubernetesNats" };
    for (const kind of ["Namespace", "Secret"]) {
      const o = out.find((x) => x.kind === kind)!;
      for (const [k, v] of Object.entries(mod)) assert.equal(o.metadata.labels?.[k], v, `${kind} ${k}`);
    }
    assert.equal(out.find((x) => x.kind === "StatefulSet")!.metadata.labels?.["planton.ai/resource"], undefined);
    const own = stringify({ apiVersion: "kubernetes.project-planton.org/v1", kind: "KubernetesNats", metadata: { name: "n" }, spec: { namespace: "nats", createNamespace: true } });
    assert.equal(render(own).objects.find((x) => x.kind === "Namespace")!.metadata.labels?.["planton.ai/resource"], undefined);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { redesignOutputs } from "../../src/outputs.js";
import { parseText } from "../../src/pipeline.js";
import { diagnosticsOf, podSpecsOf, render } from "../support/render.js";

const V1 = "kubernetes.planton.dev/v1";
const V1ALPHA1 = "kubernetes.planton.dev/v1alpha1";

/** A redesigned (B) manifest: namespace plus `spec`. */
const b = (spec: Record<string, unknown> = {}, apiVersion = V1) =>
  stringify({ apiVersion, kind: "KubernetesNats", metadata: { name: "nats" }, spec: { namespace: { value: "nats" }, ...spec } });

const specOf = (text: string) => {
  const r = parseText(text, "t.yaml");
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === "error"), []);
  return r.parsed[0]!.resource!.spec;
};
const errors = (text: string) => diagnosticsOf(text).filter((d) => d.severity === "error");

/** The one error at `path`: its code, and its line is the line of `needle` in the text (the field the user wrote). */
function expectError(text: string, path: string, code: Diagnostic["code"], needle: string): Diagnostic {
  const found = errors(text).filter((d) => d.path === path);
  assert.equal(found.length, 1, `one error at ${path}: ${JSON.stringify(errors(text), null, 1)}`);
  const d = found[0]!;
  assert.equal(d.code, code, JSON.stringify(d));
  const line = text.split("\n").findIndex((l) => l.includes(needle)) + 1;
  assert.ok(line > 0, `${needle} is in the text`);
  assert.equal(d.source?.line, line, `${path} located at ${needle}: ${JSON.stringify(d)}`);
  return d;
}

describe("the redesign's defaults (Planton's meaning)", () => {
  it("a manifest with only namespace: one server, JetStream on with 10Gi, nats-box on, no auth, ClusterIP only", () => {
    const r = render(b());
    const s = r.model.spec;
    assert.equal(s.replicas, 1);
    assert.deepEqual([s.jetstream.enabled, s.jetstream.persistence.mode, r.model.jetstream.pvcSize], [true, "FILE", "10Gi"]);
    assert.deepEqual([s.natsBox.enabled, s.auth.enabled, s.tls.enabled, s.externalAccess.type, s.monitoring.enabled], [true, false, false, "NONE", false]);
    assert.equal(s.createNamespace, false);
    assert.equal(s.image.tag, "2.14.2-alpine", "chart 2.14.2 runs nats-server 2.14.2");
    assert.ok(!r.objects.some((o) => o.kind === "Secret" && o.metadata.name === "nats-auth"));
  });
  it("cluster.enabled: 3 servers unless replicas says otherwise; replicas alone has no effect (a warning)", () => {
    assert.equal(specOf(b({ cluster: { enabled: true } })).replicas, 3);
    assert.equal(specOf(b({ cluster: { enabled: true, replicas: 5 } })).replicas, 5);
    const text = b({ cluster: { replicas: 5 } });
    assert.equal(specOf(text).replicas, 1);
    const w = diagnosticsOf(text).find((d) => d.path === "spec.cluster.replicas");
    assert.equal(w?.severity, "warning");
  });
  it("jetStream: enabled, diskSize, storageClass; snake_case keys", () => {
    assert.equal(specOf(b({ jetStream: { enabled: false } })).jetstream.enabled, false);
    const s = specOf(b({ jet_stream: { disk_size: "20Gi", storage_class: { value: "fast-ssd" } }, nats_box_enabled: false, create_namespace: true }));
    assert.deepEqual(s.jetstream.persistence, { mode: "FILE", size: "20Gi", storageClass: "fast-ssd", maxMemoryStore: "0" });
    assert.deepEqual([s.natsBox.enabled, s.createNamespace], [false, true]);
  });
  it("the memory store is Planton's: memoryStoreMaxSize, else none whatever the memory limit; maxFileStore as written", () => {
    const limited = render(b({ resources: { limits: { memory: "2Gi" } } })).model.jetstream;
    assert.equal(limited.maxMemoryStore, 0, "the chart writes max_memory_store: 0 without a memory tier");
    const sized = render(b({ jetStream: { maxFileStore: "18Gi", memoryStoreMaxSize: "1Gi", diskSize: "20Gi" } })).model.jetstream;
    assert.deepEqual([sized.maxFileStore, sized.maxMemoryStore, sized.pvcSize], [18 * 2 ** 30, 2 ** 30, "20Gi"]);
    assert.deepEqual(diagnosticsOf(b({ jetStream: { enabled: false } })), [], "no sizing is reported when JetStream is off and none was written");
    const decimal = render(b({ jetStream: { maxFileStore: "5G", memoryStoreMaxSize: "512K" } })).model.jetstream;
    assert.deepEqual([decimal.maxFileStore, decimal.maxMemoryStore], [5e9, 512e3], "decimal units, as nats-server reads them");
  });
  it("tls.secretName: client TLS from that Secret, routes stay plain (Planton's TLS covers the client listener only)", () => {
    const s = specOf(b({ tls: { secretName: { value: "nats-server-tls" } } }));
    assert.deepEqual([s.tls.enabled, s.tls.secretName, s.tls.routes], [true, "nats-server-tls", false]);
  });
  it("metrics: the exporter with a PodMonitor, no alerts or dashboards", () => {
    const s = specOf(b({ metrics: { exporterEnabled: true, podMonitorEnabled: true }, images: { exporter: { repo: "r/exp", tag: "1" } } }));
    assert.deepEqual([s.monitoring.enabled, s.monitoring.scrape, s.monitoring.alerts.enabled, s.monitoring.dashboards], [true, "PODMONITOR", false, false]);
    assert.deepEqual([s.monitoring.image.repository, s.monitoring.image.tag], ["r/exp", "1"]);
  });
  it("service.type load_balancer / node_port (by name or number) is the client Service's type, with the annotations, as Planton's chart sets them", () => {
    for (const [type, want] of [["load_balancer", "LoadBalancer"], [1, "LoadBalancer"], ["node_port", "NodePort"], [2, "NodePort"]] as const) {
      const s = specOf(b({ service: { type, annotations: { "external-dns.alpha.kubernetes.io/hostname": "nats.example.com" } } }));
      assert.deepEqual([s.service.type, s.externalAccess.type], [want, "NONE"], String(type));
      assert.deepEqual(s.service.annotations, { "external-dns.alpha.kubernetes.io/hostname": "nats.example.com" });
    }
    assert.deepEqual(specOf(b({ service: { type: "load_balancer", annotations: { my_note: "x" } } })).service.annotations, { my_note: "x" }, "annotation keys are not renamed");
    const internal = specOf(b({ service: { annotations: { "networking.gke.io/load-balancer-type": "Internal" } } }));
    assert.deepEqual([internal.service.type, internal.service.annotations], ["ClusterIP", { "networking.gke.io/load-balancer-type": "Internal" }]);
    assert.equal(specOf(b({ service: { type: "cluster_ip" } })).service.type, "ClusterIP");
    assert.equal(specOf(b({ service: { type: 0 } })).service.type, "ClusterIP");
  });
  it("resources, scheduling, images and chartVersion; empty strings are unset", () => {
    const s = specOf(
      b({
        chartVersion: "2.11.17",
        resources: { requests: { cpu: "100m", memory: "" }, limits: { memory: "2Gi" } },
        scheduling: { nodeSelector: { tier: "messaging" }, tolerations: [{ key: "k", operator: "Exists", value: "", effect: "", tolerationSeconds: "30" }] },
        images: { natsBox: { repo: "mirror/nats-box", tag: "" } },
        helmValues: "",
      }),
    );
    assert.equal(s.image.tag, "2.11.17-alpine");
    assert.deepEqual(s.resources, { requests: { cpu: "100m" }, limits: { memory: "2Gi" } });
    assert.deepEqual(s.scheduling.nodeSelector, { tier: "messaging" });
    assert.deepEqual(s.scheduling.tolerations, [{ key: "k", operator: "Exists", tolerationSeconds: 30 }]);
    assert.deepEqual([s.natsBox.image.repository, s.natsBox.image.tag], ["mirror/nats-box", "0.19.7"]);
    assert.equal(specOf(b({ chartVersion: "", images: { nats: { repo: "mirror/nats", tag: "2.12.1-alpine" } } })).image.tag, "2.12.1-alpine");
  });
  it("images.*.pullSecretName: every pod pulls with each Secret, once, in the order nats, reloader, exporter, natsBox (Planton's global.image.pullSecretNames)", () => {
    const text = b({
      metrics: { exporterEnabled: true, podMonitorEnabled: true },
      images: { natsBox: { pullSecretName: "box" }, nats: { pullSecretName: "regcred" }, reloader: { pullSecretName: "regcred" }, exporter: { pullSecretName: "" } },
    });
    assert.deepEqual(specOf(text).imagePullSecrets, ["regcred", "box"]);
    const pods = podSpecsOf(render(text));
    assert.deepEqual(pods.map((p) => p.key), ["StatefulSet/nats", "Deployment/nats-box"]);
    assert.deepEqual(
      pods.map((p) => [p.key, p.spec.imagePullSecrets]),
      pods.map((p) => [p.key, [{ name: "regcred" }, { name: "box" }]]),
    );
  });
  it("a pull Secret name that is not a DNS name is located at the pullSecretName Planton's manifest wrote", () => {
    const text = b({ images: { nats: { pullSecretName: "ok" }, reloader: { pullSecretName: "Bad_Name" } } });
    expectError(text, "spec.images.reloader.pullSecretName", "dns-name", "Bad_Name");
  });
  it("images.reloader: the config reloader's image", () => {
    const s = specOf(b({ images: { reloader: { repo: "mirror/reloader", tag: "0.1.0" } } }));
    assert.deepEqual([s.reloader.image.repository, s.reloader.image.tag], ["mirror/reloader", "0.1.0"]);
  });
  it("stack outputs carry the redesign's names and values", () => {
    const m = render(b({ tls: { secretName: { value: "cert" } } })).model;
    assert.equal(m.resource.planton.redesign, true);
    assert.deepEqual(redesignOutputs(m), {
      namespace: "nats",
      serviceName: "nats",
      headlessServiceName: "nats-headless",
      clientEndpoint: "nats://nats.nats.svc.cluster.local:4222",
      websocketEndpoint: "",
      authSecretName: "",
      portForwardCommand: "kubectl port-forward svc/nats -n nats 4222:4222",
    });
    const full = redesignOutputs(render(b({ websocket: { enabled: true, port: 8081 }, auth: { users: [{ username: "app" }] } })).model);
    assert.equal(full.websocketEndpoint, "ws://nats.nats.svc.cluster.local:8081");
    assert.equal(full.authSecretName, "nats-auth");
  });
  it("v1alpha1 is the same schema", () => {
    assert.deepEqual(render(b({ cluster: { enabled: true } }, V1ALPHA1)).objects, render(b({ cluster: { enabled: true } })).objects);
  });
});

describe("the redesign's validation rules, located", () => {
  it("namespace: required, non-empty, no bare string, valueFrom needs a name", () => {
    const text = stringify({ apiVersion: V1, kind: "KubernetesNats", metadata: { name: "nats" }, spec: { createNamespace: true } });
    assert.ok(errors(text).some((d) => d.path === "spec.namespace" && d.code === "required"));
    expectError(b({ namespace: {} }), "spec.namespace", "required", "namespace:");
    expectError(b({ namespace: { value: "" } }), "spec.namespace", "required", "namespace:");
    expectError(b({ namespace: "nats" }), "spec.namespace", "type", "namespace:");
    expectError(b({ namespace: { valueFrom: { kind: "KubernetesNamespace" } } }), "spec.namespace.valueFrom.name", "required", "valueFrom:");
  });
  it("cluster.replicas 2..9, checked even when the cluster is off", () => {
    expectError(b({ cluster: { enabled: true, replicas: 1 } }), "spec.cluster.replicas", "range", "replicas:");
    expectError(b({ cluster: { replicas: 10 } }), "spec.cluster.replicas", "range", "replicas:");
  });
  it("sizes follow Planton's pattern; `10 Gi` passes it but is no Kubernetes quantity", () => {
    expectError(b({ jetStream: { diskSize: "10" } }), "spec.jetStream.diskSize", "quantity", "diskSize:");
    expectError(b({ jetStream: { diskSize: "" } }), "spec.jetStream.diskSize", "quantity", "diskSize:");
    expectError(b({ jetStream: { maxFileStore: "18GB" } }), "spec.jetStream.maxFileStore", "quantity", "maxFileStore:");
    expectError(b({ jetStream: { memoryStoreMaxSize: "1g" } }), "spec.jetStream.memoryStoreMaxSize", "quantity", "memoryStoreMaxSize:");
    expectError(b({ jetStream: { diskSize: "10 Gi" } }), "spec.jetStream.diskSize", "quantity", "diskSize:");
    expectError(b({ jetStream: { storageClass: {} } }), "spec.jetStream.storageClass", "required", "storageClass:");
  });
  it("usernames and account names; an account has at least one user", () => {
    expectError(b({ auth: { users: [{ username: "-svc" }] } }), "spec.auth.users[0].username", "format", "username:");
    expectError(b({ auth: { users: [{ username: "" }] } }), "spec.auth.users[0].username", "format", "username:");
    expectError(b({ auth: { accounts: [{ name: "team a", users: [{ username: "a" }] }] } }), "spec.auth.accounts[0].name", "format", "name: team a");
    expectError(b({ auth: { accounts: [{ name: "team-a", users: [] }] } }), "spec.auth.accounts[0].users", "range", "users: []");
  });
  it("tls needs a secretName; listener ports 1..65535; service.type and toleration enums", () => {
    expectError(b({ tls: { verifyClients: false } }), "spec.tls.secretName", "required", "tls:");
    expectError(b({ tls: { secretName: { value: "" } } }), "spec.tls.secretName", "required", "secretName:");
    expectError(b({ websocket: { port: 0 } }), "spec.websocket.port", "range", "port:");
    expectError(b({ mqtt: { port: 70000 } }), "spec.mqtt.port", "range", "port:");
    expectError(b({ leafnodes: { port: 1.5 } }), "spec.leafnodes.port", "range", "port:");
    expectError(b({ service: { type: "ClusterIP" } }), "spec.service.type", "enum", "type:");
    expectError(b({ scheduling: { tolerations: [{ operator: "In" }] } }), "spec.scheduling.tolerations[0].operator", "enum", "operator:");
    expectError(b({ scheduling: { tolerations: [{ effect: "NoRun" }] } }), "spec.scheduling.tolerations[0].effect", "enum", "effect:");
  });
  it("MQTT needs JetStream when JetStream is explicitly off", () => {
    const d = expectError(b({ mqtt: { enabled: false, port: 1883 }, jetStream: { enabled: false } }).replace("enabled: false\n    port", "enabled: true\n    port"), "spec.mqtt.enabled", "cross-field", "enabled: true");
    assert.match(d.message, /MQTT needs JetStream/);
  });
  it("auth: users xor accounts, at least one, noAuthUser declared, usernames unique", () => {
    const user = (username: string) => ({ username });
    expectError(b({ auth: { users: [user("a")], accounts: [{ name: "t", users: [user("b")] }] } }), "spec.auth.accounts", "cross-field", "accounts:");
    expectError(b({ auth: {} }), "spec.auth", "cross-field", "auth:");
    expectError(b({ auth: { users: [user("a")], noAuthUser: "guest" } }), "spec.auth.noAuthUser", "cross-field", "noAuthUser:");
    const dup = b({ auth: { users: [user("a"), user("a")] } });
    const d = errors(dup).find((e) => e.path === "spec.auth.users[1].username");
    assert.equal(d?.code, "cross-field");
    assert.equal(d?.source?.line, dup.split("\n").lastIndexOf("      - username: a") + 1, "at the second declaration");
    const across = b({ auth: { accounts: [{ name: "t1", users: [user("x")] }, { name: "t2", users: [user("x")] }] } });
    assert.ok(errors(across).some((d) => d.path === "spec.auth.accounts[1].users[0].username" && d.code === "cross-field"));
  });
  it("metadata.name at most 50 characters (Planton refuses longer names at deploy time)", () => {
    const long = (n: number) => b().replace("name: nats\n", `name: ${"a".repeat(n)}\n`);
    expectError(long(51), "metadata.name", "name-too-long", "name: aaaa");
    assert.deepEqual(errors(long(50)), []);
  });
  it("podMonitorEnabled needs exporterEnabled", () => {
    expectError(b({ metrics: { podMonitorEnabled: true } }), "spec.metrics.podMonitorEnabled", "cross-field", "podMonitorEnabled:");
  });
  it("every error in one run", () => {
    const text = b({ cluster: { replicas: 1 }, jetStream: { diskSize: "10" }, metrics: { podMonitorEnabled: true }, service: { type: "x" }, auth: {} });
    assert.deepEqual(errors(text).map((d) => d.path).sort(), ["spec.auth", "spec.cluster.replicas", "spec.jetStream.diskSize", "spec.metrics.podMonitorEnabled", "spec.service.type"]);
  });
  it("an unknown field is named as written", () => {
    const d = expectError(b({ jet_stream: { disk_sise: "1Gi" } }), "spec.jet_stream.disk_sise", "unknown-field", "disk_sise:");
    assert.match(d.hint ?? "", /diskSize/);
  });
});

describe("fields natskube lacks are unsupported, never dropped", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["an exporter without PodMonitor", { metrics: { exporterEnabled: true } }, "spec.metrics.exporterEnabled"],
    ["a storage class reference", { jetStream: { storageClass: { valueFrom: { name: "ssd" } } } }, "spec.jetStream.storageClass.valueFrom"],
    ["a TLS Secret reference", { tls: { secretName: { valueFrom: { name: "cert" } } } }, "spec.tls.secretName.valueFrom"],
    ["a namespace reference", { namespace: { valueFrom: { name: "ns" } } }, "spec.namespace.valueFrom"],
    ["helmValues", { helmValues: "a: 1\n" }, "spec.helmValues"],
  ];
  for (const [what, spec, path] of cases)
    it(what, () => {
      assert.deepEqual(errors(b(spec)).map((d) => [d.path, d.code]), [[path, "unsupported"]]);
    });
  it("a listener that is off is not reported (Planton ignores its port too)", () => {
    assert.deepEqual(errors(b({ websocket: { enabled: false, port: 8081 }, mqtt: {}, leafnodes: { enabled: false } })), []);
  });
});

describe("generations", () => {
  const a = (apiVersion: string, extra: Record<string, unknown> = {}) =>
    stringify({ apiVersion, kind: "KubernetesNats", metadata: { name: "nats-demo" }, spec: { namespace: { value: "nats-demo" }, serverContainer: { replicas: 3, diskSize: "10Gi" }, ...extra } });
  it("generation A (planton.dev/v1) and openmcf.org/v1 render as project-planton.org/v1 does", () => {
    const base = render(a("kubernetes.project-planton.org/v1")).objects;
    assert.deepEqual(render(a(V1)).objects, base);
    assert.deepEqual(render(a("kubernetes.openmcf.org/v1")).objects, base);
  });
  it("targetCluster: gone from planton.dev/v1, still in openmcf.org/v1", () => {
    expectError(a(V1, { target_cluster: { clusterName: "c" } }), "spec.target_cluster", "unknown-field", "target_cluster:");
    assert.deepEqual(errors(a("kubernetes.openmcf.org/v1", { targetCluster: { clusterName: "c" } })), []);
  });
  it("a manifest mixing A and B fields says so, at each redesign field", () => {
    const text = a(V1, { cluster: { enabled: true }, auth: { users: [{ username: "u" }] } });
    const e = errors(text);
    assert.deepEqual(e.map((d) => [d.path, d.code]), [["spec.cluster", "cross-field"], ["spec.auth.users", "cross-field"]]);
    assert.match(e[0]!.message, /redesigned KubernetesNats.*generation A fields \(spec\.serverContainer\)/);
    expectError(text, "spec.cluster", "cross-field", "cluster:");
  });
  it("v1alpha1 is the redesign only: generation A fields are unknown there", () => {
    expectError(a(V1ALPHA1), "spec.serverContainer", "unknown-field", "serverContainer:");
  });
  it("another apiVersion is refused, naming the ones natskube loads", () => {
    const d = errors(a("kubernetes.planton.dev/v2"))[0]!;
    assert.equal(d.code, "api-version");
    assert.match(d.message, /kubernetes\.planton\.dev\/v1alpha1/);
  });
});

describe("redesign auth as natskube's declared users", () => {
  it("accounts keep their JetStream switch, noAuthUser its user, permissions their lists; located at what Planton wrote", () => {
    const text = b({
      jetStream: { enabled: true },
      auth: {
        accounts: [
          { name: "team-a", jetStreamEnabled: true, users: [{ username: "svc-a", permissions: { publishAllow: ["a.>"], subscribeDeny: ["b.>"] } }] },
          { name: "team-b", users: [{ username: "svc-b" }] },
        ],
        noAuthUser: "svc-b",
      },
    });
    const m = render(text).model;
    assert.deepEqual(m.auth.accounts.map((a) => [a.name, a.jetstream, a.users.map((u) => u.name)]), [
      ["team-a", true, ["svc-a"]],
      ["team-b", false, ["svc-b"]],
    ]);
    assert.deepEqual(m.auth.users[0]!.permissions, { publish: { allow: ["a.>"] }, subscribe: { deny: ["b.>"] } });
    assert.equal(m.auth.noAuthUser, "svc-b");
    // A finding on a translated field points at Planton's spelling.
    const shadowed = b({ auth: { users: [{ username: "natskube-system" }] } });
    const d = errors(shadowed).find((e) => /system account user/.test(e.message));
    assert.equal(d?.path, "spec.auth.users[0].username");
    assert.equal(d?.source?.line, shadowed.split("\n").findIndex((l) => l.includes("username: natskube-system")) + 1);
  });
});

describe("helmValues: chart values with a natskube meaning set that field, the rest is located and refused", () => {
  it("mapped values win over the typed fields, as Helm's -f does", () => {
    const text = b({
      cluster: { enabled: true, replicas: 3 },
      helmValues: "config:\n  cluster:\n    replicas: 5\n  merge:\n    max_payload: 4194304\n  jetstream:\n    fileStore:\n      pvc:\n        size: 20Gi\nnatsBox:\n  enabled: false\nglobal:\n  image:\n    pullSecretNames: [regcred]\n",
    });
    assert.deepEqual(errors(text), []);
    const m = render(text).model;
    assert.equal(m.replicas, 5);
    assert.deepEqual(m.spec.configMerge, { max_payload: 4194304 });
    assert.equal(m.spec.jetstream.persistence.size, "20Gi");
    assert.equal(m.spec.natsBox.enabled, false);
    assert.deepEqual(m.spec.imagePullSecrets, ["regcred"]);
  });
  it("the rest: one unsupported finding per chart subtree, at helmValues, saying what to use; bad YAML is an error", () => {
    const text = b({ helmValues: "podTemplate:\n  patch:\n    - op: remove\n      path: /spec/affinity\npromExporter:\n  enabled: true\n" });
    const e = errors(text);
    assert.deepEqual(e.map((d) => [d.path, d.code]), [["spec.helmValues", "unsupported"]]);
    assert.match(e[0]!.message, /helmValues podTemplate.patch, promExporter.enabled \(chart values without a natskube field/);
    assert.match(e[0]!.hint!, /podTemplate: use patch the rendered StatefulSet with kustomize.*promExporter: use spec.monitoring/);
    // The pod template's labels and annotations have fields: podTemplate.merge.metadata and patch ops that add them.
    const pod = render(b({ helmValues: "podTemplate:\n  merge:\n    metadata:\n      labels: {tier: messaging}\n  patch:\n    - op: add\n      path: /metadata/annotations\n      value: {team: platform}\n    - op: add\n      path: /metadata/annotations/example.com~1owner\n      value: ops\n" })).model;
    assert.deepEqual([pod.spec.podAnnotations, pod.spec.podLabels], [{ team: "platform", "example.com/owner": "ops" }, { tier: "messaging" }]);
    assert.equal(e[0]!.source?.line, text.split("\n").findIndex((l) => l.startsWith("  helmValues:")) + 1);
    assert.deepEqual(errors(b({ helmValues: "a: [1\n" })).map((d) => d.code), ["yaml-syntax"]);
    // configMerge's own rules apply to what config.merge became.
    assert.match(errors(b({ helmValues: "config:\n  merge:\n    port: 4333\n" })).map((d) => d.message).join(), /nats.conf key port is rendered by natskube/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findObject, manifest, natsConfOf, render } from "../support/render.js";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const podOf = (text: string) => (findObject(render(text), "StatefulSet") as Any).spec.template.spec as Any;

describe("core render", () => {
  it("names derive from metadata.name; objects in apply order", () => {
    const r = render(manifest({ createNamespace: true }, { name: "orders-bus" }));
    const core = r.objects.filter((o) => ["Namespace", "ServiceAccount", "ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget"].includes(o.kind));
    assert.deepEqual(core.map((o) => `${o.kind}/${o.metadata.name}`), [
      "Namespace/nats",
      "ServiceAccount/orders-bus",
      "ConfigMap/orders-bus-config",
      "Service/orders-bus-headless",
      "Service/orders-bus",
      "StatefulSet/orders-bus",
      "PodDisruptionBudget/orders-bus",
    ]);
    for (const o of r.objects) if (o.kind !== "Namespace") assert.equal(o.metadata.namespace, "nats");
  });

  it("labels: standard keys plus the user's; selectors without the version", () => {
    const r = render(manifest({}, { name: "orders-bus", labels: { team: "payments" }, annotations: { owner: "ops" } }));
    const sts = findObject(r, "StatefulSet") as Any;
    assert.deepEqual(sts.metadata.labels, {
      "app.kubernetes.io/component": "nats",
      "app.kubernetes.io/instance": "orders-bus",
      "app.kubernetes.io/managed-by": "natskube",
      "app.kubernetes.io/name": "nats",
      "app.kubernetes.io/version": "2.14.2",
      team: "payments",
    });
    assert.deepEqual(sts.metadata.annotations, { owner: "ops" });
    assert.equal(sts.spec.selector.matchLabels["app.kubernetes.io/version"], undefined);
    assert.deepEqual(sts.spec.selector.matchLabels, (findObject(r, "Service", "orders-bus") as Any).spec.selector);
  });

  it("one replica: no cluster block, no cluster port, no anti-affinity", () => {
    const r = render(manifest({ replicas: 1 }));
    assert.doesNotMatch(natsConfOf(r), /cluster \{/);
    const pod = (findObject(r, "StatefulSet") as Any).spec.template.spec;
    assert.deepEqual(pod.containers[0].ports.map((p: Any) => p.name), ["nats", "monitor"]);
    assert.equal(pod.affinity, undefined);
    assert.deepEqual((findObject(r, "Service", "nats-headless") as Any).spec.ports.map((p: Any) => p.name), ["nats", "monitor"]);
  });

  it("routes list every pod through the headless Service", () => {
    const conf = natsConfOf(render(manifest({ replicas: 5 }, { name: "bus" })));
    for (let i = 0; i < 5; i++) assert.match(conf, new RegExp(`"nats://bus-${i}\\.bus-headless:6222"`));
    assert.match(conf, /name: "bus"/);
    assert.match(conf, /no_advertise: true/);
  });

  it("anti-affinity: preferred by default, required, none, or a full override", () => {
    assert.equal(podOf(manifest()).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight, 100);
    assert.equal(podOf(manifest({ scheduling: { antiAffinity: "REQUIRED" } })).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, "kubernetes.io/hostname");
    assert.equal(podOf(manifest({ scheduling: { antiAffinity: "NONE" } })).affinity, undefined);
    const custom = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "pool", operator: "In", values: ["nats"] }] }] } } };
    assert.deepEqual(podOf(manifest({ scheduling: { affinity: custom } })).affinity, custom);
  });

  it("scheduling passes through nodeSelector, tolerations, priorityClassName; zone spread is soft", () => {
    const tolerations = [{ key: "dedicated", operator: "Equal", value: "nats", effect: "NoSchedule" }];
    const pod = podOf(manifest({ scheduling: { nodeSelector: { pool: "nats" }, tolerations, priorityClassName: "high" } }));
    assert.deepEqual([pod.nodeSelector, pod.tolerations, pod.priorityClassName], [{ pool: "nats" }, tolerations, "high"]);
    assert.deepEqual(pod.topologySpreadConstraints[0].whenUnsatisfiable, "ScheduleAnyway");
    assert.equal(podOf(manifest({ scheduling: { topologySpread: false } })).topologySpreadConstraints, undefined);
  });

  it("FILE mode: a claim template with the storage class; MEMORY mode: an emptyDir", () => {
    const sts = findObject(render(manifest({ jetstream: { persistence: { size: "50Gi", storageClass: "fast-ssd" } } })), "StatefulSet") as Any;
    assert.deepEqual(sts.spec.volumeClaimTemplates[0].spec, { accessModes: ["ReadWriteOnce"], storageClassName: "fast-ssd", resources: { requests: { storage: "50Gi" } } });
    const mem = findObject(render(manifest({ jetstream: { persistence: { mode: "MEMORY" } } })), "StatefulSet") as Any;
    assert.equal(mem.spec.volumeClaimTemplates, undefined);
    assert.deepEqual(mem.spec.template.spec.volumes.find((v: Any) => v.name === "nats-js"), { name: "nats-js", emptyDir: {} });
    const off = findObject(render(manifest({ jetstream: { enabled: false } })), "StatefulSet") as Any;
    assert.equal(off.spec.template.spec.volumes.find((v: Any) => v.name === "nats-js"), undefined);
    assert.doesNotMatch(natsConfOf(render(manifest({ jetstream: { enabled: false } }))), /jetstream/);
  });

  it("resources and GOMEMLIMIT reach the nats container; image and pull policy", () => {
    const resources = { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "2", memory: "8Gi" } };
    const nats = podOf(manifest({ resources, image: { repository: "registry.example.com/nats", tag: "2.11.6", pullPolicy: "IfNotPresent" } })).containers[0];
    assert.deepEqual(nats.resources, resources);
    assert.deepEqual(nats.env.find((e: Any) => e.name === "GOMEMLIMIT"), { name: "GOMEMLIMIT", value: "6553MiB" });
    assert.equal(nats.image, "registry.example.com/nats:2.11.6");
    assert.equal(nats.imagePullPolicy, "IfNotPresent");
  });

  it("the PodDisruptionBudget keeps a RAFT majority", () => {
    assert.deepEqual((findObject(render(manifest()), "PodDisruptionBudget") as Any).spec.maxUnavailable, 1);
  });
});

// The live view of src/live/normalize.ts: an object as the API server returns it, compared on the
// fields natskube renders and owns. Live objects here are the render plus what an API server adds
// (checked against the real one in test/kube/live.test.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { againstLive } from "../../src/live/side.js";
import { comparable, liveView, looksLive, ownedFields } from "../../src/live/normalize.js";
import { ownerValue, waveOf } from "../../src/live/ownership.js";
import { rolloutState } from "../../src/live/rollout.js";
import { buildPlan, sideFromObjects, sideFromRendered } from "../../src/plan/index.js";
import type { KubeObject } from "../../src/render/object.js";
import { exampleText } from "../support/examples.js";
import { render } from "../support/render.js";

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** What an API server makes of a rendered object: stamps, status, defaults, other managers' fields. */
function served(o: KubeObject, i: number): KubeObject {
  const l = copy(o) as Any;
  Object.assign(l.metadata, {
    uid: `00000000-0000-0000-0000-00000000000${i % 10}`,
    resourceVersion: String(1000 + i),
    generation: 2,
    creationTimestamp: "2026-01-01T00:00:00Z",
    annotations: { ...(l.metadata.annotations ?? {}), "kubectl.kubernetes.io/last-applied-configuration": "{}", "deployment.kubernetes.io/revision": "1" },
    labels: { ...(l.metadata.labels ?? {}), "controller.example/added": "yes" },
  });
  l.status = { phase: "Active", replicas: 3 };
  const pod = l.spec?.template?.spec;
  if (pod) {
    Object.assign(pod, { dnsPolicy: "ClusterFirst", schedulerName: "default-scheduler", restartPolicy: "Always", terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds ?? 30 });
    pod.securityContext ??= {};
    for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
      Object.assign(c, { terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", imagePullPolicy: c.imagePullPolicy ?? "IfNotPresent" });
      for (const p of c.ports ?? []) p.protocol ??= "TCP";
    }
    // An admission webhook's sidecar: not natskube's, never compared.
    pod.containers.push({ name: "mesh-proxy", image: "proxy:1" });
  }
  if (o.kind === "StatefulSet") {
    Object.assign(l.spec, { podManagementPolicy: l.spec.podManagementPolicy ?? "OrderedReady", revisionHistoryLimit: 10, persistentVolumeClaimRetentionPolicy: l.spec.persistentVolumeClaimRetentionPolicy ?? { whenDeleted: "Retain", whenScaled: "Retain" } });
    l.spec.updateStrategy ??= { type: "RollingUpdate", rollingUpdate: { partition: 0 } };
    for (const t of l.spec.volumeClaimTemplates ?? []) {
      t.apiVersion = "v1";
      t.kind = "PersistentVolumeClaim";
      t.spec.volumeMode = "Filesystem";
      t.status = { phase: "Pending" };
    }
  }
  if (o.kind === "Service") {
    l.spec.clusterIP ??= "10.96.0.10";
    Object.assign(l.spec, { clusterIPs: [l.spec.clusterIP], ipFamilies: ["IPv4"], ipFamilyPolicy: "SingleStack", sessionAffinity: "None", internalTrafficPolicy: "Cluster" });
    for (const p of l.spec.ports ?? []) p.protocol ??= "TCP";
  }
  if (o.kind === "Secret") {
    l.data = comparable(o)["data"];
    delete l.stringData;
  }
  l.metadata.managedFields = [{ manager: "kube-controller-manager", operation: "Update", fieldsV1: { "f:status": {} } }];
  return l;
}

const rendered = (text: string) => render(text);
const live = (objects: readonly KubeObject[]) => objects.map(served);

describe("plan --rendered with live objects (kubectl get -o yaml)", () => {
  for (const name of ["dev", "production"]) {
    it(`an unchanged ${name} cluster is no change, whatever the server added`, () => {
      const doc = rendered(exampleText(name));
      const newSide = sideFromRendered("new.yaml", [doc]);
      const sides = againstLive(sideFromObjects("live.yaml", live(doc.objects)), newSide);
      const plan = buildPlan(sides.old, sides.new);
      assert.deepEqual(plan.objects.map((o) => `${o.ref.kind}/${o.ref.name}: ${o.fields.map((f) => f.path).join(", ")}`), []);
      assert.equal(plan.severity, "safe");
      assert.equal(plan.unchanged, doc.objects.length);
    });
  }

  it("a changed image still shows, and only it", () => {
    const doc = rendered(exampleText("dev"));
    const old = copy(doc.objects);
    const sts = old.find((o) => o.kind === "StatefulSet") as Any;
    sts.spec.template.spec.containers[0].image = "nats:2.11.0-alpine";
    const sides = againstLive(sideFromObjects("live.yaml", live(old)), sideFromRendered("new.yaml", [doc]));
    const plan = buildPlan(sides.old, sides.new);
    assert.deepEqual(
      plan.objects.flatMap((o) => o.fields.map((f) => f.path)),
      [`spec.template.spec.containers[${sts.spec.template.spec.containers[0].name}].image`],
    );
  });

  it("objects natskube neither renders nor manages are left out, with a note", () => {
    const doc = rendered(exampleText("dev"));
    const rootCa = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kube-root-ca.crt", namespace: "nats-dev", uid: "x" }, data: { "ca.crt": "..." } };
    const sides = againstLive(sideFromObjects("live.yaml", [...live(doc.objects), rootCa]), sideFromRendered("new.yaml", [doc]));
    const plan = buildPlan(sides.old, sides.new);
    assert.deepEqual(plan.objects, []);
    assert.ok(sides.old.notes.some((n) => n.includes("ConfigMap/kube-root-ca.crt")), sides.old.notes.join("\n"));
  });

  it("a side without live objects (a previous render) is left as it is", () => {
    const doc = rendered(exampleText("dev"));
    const old = sideFromObjects("old.yaml", copy(doc.objects));
    const newSide = sideFromRendered("new.yaml", [doc]);
    const sides = againstLive(old, newSide);
    assert.equal(sides.old, old);
    assert.equal(sides.new, newSide);
  });
});

describe("liveView", () => {
  const desired: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "n", labels: { a: "1" } }, data: { x: "1" } };

  it("keeps the fields natskube's manager owns and the render no longer sets, so they show as removed", () => {
    const l = {
      ...desired,
      metadata: {
        ...desired.metadata,
        uid: "u",
        managedFields: [{ manager: "natskube", operation: "Apply", fieldsV1: { "f:data": { "f:x": {}, "f:old": {} }, "f:metadata": { "f:labels": { "f:a": {} } } } }],
      },
      data: { x: "1", old: "2", other: "3" },
    } as KubeObject;
    assert.ok(looksLive(l));
    assert.deepEqual(liveView(l, desired), { ...desired, data: { x: "1", old: "2" } });
  });

  // A merge key's fields are owned only where listed: a Service port keyed by port and protocol, whose
  // protocol the server defaulted, is owned without its protocol.
  it("matches owned list items by their merge key, leaves other managers' items out", () => {
    const fields = { "f:spec": { "f:containers": { 'k:{"name":"nats"}': { ".": {}, "f:image": {}, "f:name": {} } }, "f:ports": { 'k:{"port":4222,"protocol":"TCP"}': { ".": {}, "f:name": {}, "f:port": {} } } } };
    const l = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", managedFields: [{ manager: "natskube", operation: "Apply", fieldsV1: fields }] }, spec: { containers: [{ name: "nats", image: "a", imagePullPolicy: "Always" }, { name: "sidecar", image: "b" }], ports: [{ name: "nats", port: 4222, protocol: "TCP" }] } } as KubeObject;
    assert.deepEqual(ownedFields(l), fields);
    assert.deepEqual(liveView(l, undefined), { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "nats", image: "a" }], ports: [{ name: "nats", port: 4222 }] } });
  });

  it("compares a Secret's stringData as the base64 data the server stores", () => {
    const s = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { k: "value" } } as KubeObject;
    assert.deepEqual(comparable(s), { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { k: Buffer.from("value").toString("base64") } });
    const l = { apiVersion: "v1", kind: "Secret", metadata: { name: "s", uid: "u" }, type: "Opaque", data: { k: Buffer.from("value").toString("base64") } } as KubeObject;
    assert.deepEqual(liveView(l, s), comparable(s));
  });

  it("quantities compare by amount (the server writes 1000m as 1), other strings by text", () => {
    const d = { apiVersion: "v1", kind: "X", metadata: { name: "x" }, resources: { limits: { cpu: "1000m", memory: "1Gi" }, requests: { cpu: "250m" } }, version: "2.10" } as KubeObject;
    const l = { ...d, metadata: { name: "x", uid: "u" }, resources: { limits: { cpu: "1", memory: "1024Mi" }, requests: { cpu: "500m" } }, version: "2.1" } as KubeObject;
    assert.deepEqual(liveView(l, d), { ...d, resources: { limits: { cpu: "1000m", memory: "1Gi" }, requests: { cpu: "500m" } }, version: "2.1" });
  });

  it("a scalar list is compared whole: an item the server would not add shows", () => {
    const d = { apiVersion: "v1", kind: "X", metadata: { name: "x" }, args: ["a"] } as KubeObject;
    const l = { ...d, metadata: { name: "x", uid: "u" }, args: ["a", "b"] } as KubeObject;
    assert.deepEqual(liveView(l, d)["args"], ["a", "b"]);
  });
});

describe("ownership and rollout", () => {
  it("the owner label value fits a label (63 characters) and stays unique", () => {
    assert.equal(ownerValue("nats", "orders"), "orders.nats");
    const long = ownerValue("n".repeat(63), "c".repeat(52));
    assert.ok(long.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(long), long);
    assert.notEqual(long, ownerValue("n".repeat(62), "c".repeat(52)));
  });

  it("apply waves: namespace, config, workloads, JetStream", () => {
    assert.deepEqual(
      [["v1", "Namespace"], ["v1", "Secret"], ["apps/v1", "StatefulSet"], ["jetstream.nats.io/v1beta2", "Stream"], ["policy/v1", "PodDisruptionBudget"]].map(([apiVersion, kind]) => waveOf({ apiVersion: apiVersion!, kind: kind! })),
      ["namespace", "config", "workloads", "jetstream", "config"],
    );
  });

  it("a StatefulSet has rolled out when every pod is updated, Ready and on the update revision", () => {
    const sts = (status: Record<string, unknown>, generation = 2) => ({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "nats", namespace: "n", generation }, spec: { replicas: 3 }, status }) as KubeObject;
    const done = { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, currentRevision: "r2", updateRevision: "r2" };
    assert.equal(rolloutState(sts(done)).done, true);
    assert.equal(rolloutState(sts({ ...done, currentRevision: "r1" })).done, false);
    assert.equal(rolloutState(sts({ ...done, readyReplicas: 2 })).done, false);
    assert.equal(rolloutState(sts(done, 3)).done, false);
    assert.match(rolloutState(sts({ ...done, updatedReplicas: 1, readyReplicas: 2 })).line, /StatefulSet n\/nats: 1\/3 updated, 2\/3 ready/);
  });
});

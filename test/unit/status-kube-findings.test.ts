// The Kubernetes half of `natskube status` on pod and claim states kwok's nodes never reach (an OOM
// kill, a pending claim, a smaller volume); test/kube/live.test.ts runs it against the control plane.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../src/render/object.js";
import { kubeFindings, type KubeView } from "../../src/status/kube-findings.js";
import { manifest, render } from "../support/render.js";

const model = render(manifest({ replicas: 3, jetstream: { enabled: true, persistence: { mode: "FILE", size: "10Gi" } } })).model;

function pod(name: string, node: string, over: { ready?: boolean; waiting?: string; oom?: boolean } = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "nats" },
    spec: { nodeName: node },
    status: {
      phase: over.ready === false ? "Pending" : "Running",
      conditions: [{ type: "Ready", status: over.ready === false ? "False" : "True" }],
      containerStatuses: [{ name: "nats", restartCount: over.oom ? 2 : 0, ...(over.waiting ? { state: { waiting: { reason: over.waiting } } } : {}), ...(over.oom ? { lastState: { terminated: { reason: "OOMKilled" } } } : {}) }],
    },
  } as unknown as KubeObject;
}

function claim(name: string, phase = "Bound", size = "10Gi"): KubeObject {
  return { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace: "nats" }, status: { phase, capacity: { storage: size } } } as unknown as KubeObject;
}

const zones = new Map([
  ["n1", "a"],
  ["n2", "b"],
  ["n3", "c"],
]);
const healthy = (): KubeView => ({
  objects: [],
  pods: [pod("nats-0", "n1"), pod("nats-1", "n2"), pod("nats-2", "n3")],
  claims: ["nats-js-nats-0", "nats-js-nats-1", "nats-js-nats-2"].map((c) => claim(c)),
  zones,
});
const codes = (v: KubeView) => kubeFindings(model, "nats.yaml", v).map((f) => `${f.severity} ${f.code} ${f.subject}`);

describe("status: the Kubernetes view", () => {
  it("a healthy cluster has no finding", () => {
    assert.deepEqual(codes(healthy()), []);
  });

  it("a missing pod, one not Ready (CrashLoopBackOff), an OOM kill", () => {
    const v = healthy();
    v.pods = [pod("nats-0", "n1", { oom: true }), pod("nats-1", "n2", { ready: false, waiting: "CrashLoopBackOff" })];
    const f = kubeFindings(model, "nats.yaml", v);
    assert.deepEqual(f.map((x) => `${x.severity} ${x.code} ${x.subject}`), ["warning pod-oom-killed nats-0", "error pod-not-ready nats-1", "error pod-missing nats-2"]);
    assert.match(f[1]!.message, /not Ready \(Pending, nats CrashLoopBackOff, on n2\)/);
    assert.match(f[0]!.fix, /limits\.memory/);
  });

  it("pods sharing a node, and all in one zone while the nodes span three", () => {
    const v = healthy();
    v.pods = [pod("nats-0", "n1"), pod("nats-1", "n1"), pod("nats-2", "n1")];
    assert.deepEqual(codes(v), ["warning pods-share-node n1", "warning pods-share-zone a"]);
  });

  it("claims missing, pending, or smaller than the render asks", () => {
    const v = healthy();
    v.claims = [claim("nats-js-nats-0", "Pending"), claim("nats-js-nats-1", "Bound", "5Gi")];
    assert.deepEqual(codes(v), ["error claim-not-bound nats-js-nats-0", "warning claim-smaller nats-js-nats-1", "error claim-missing nats-js-nats-2"]);
  });

  it("objects missing, drifted and left over, as the plan over the live objects says", () => {
    const ref = (kind: string, name: string) => ({ apiVersion: "v1", kind, namespace: "nats", name });
    const v = healthy();
    v.objects = [
      { ref: ref("Service", "nats"), action: "create", severity: "safe", fields: [], changes: [] },
      { ref: ref("ConfigMap", "nats-config"), action: "update", severity: "attention", fields: [{ path: "data", op: "replace" }], changes: [] },
      { ref: ref("ConfigMap", "old"), action: "delete", severity: "safe", fields: [], changes: [] },
    ] as unknown as KubeView["objects"];
    assert.deepEqual(codes(v), ["error object-missing Service nats/nats", "warning object-drift ConfigMap nats/nats-config", "warning object-left-over ConfigMap nats/old"]);
  });
});

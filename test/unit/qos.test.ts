// Pods promised Guaranteed QoS are Guaranteed: the nats container's requests equal its limits (the
// examples, presets and lint say so), and Kubernetes grants the class per pod, over every container.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { podSpecs } from "../support/pods.js";
import { podQos } from "../support/qos.js";
import { manifest, render } from "../support/render.js";

const GUARANTEED = { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } };
const FULL = { jetstream: { enabled: true }, monitoring: { enabled: true }, tls: { enabled: true }, auth: { enabled: true }, nack: { enabled: true, controlLoop: true } };

/** QoS of every rendered pod, by object. */
function classes(text: string): Record<string, string> {
  return Object.fromEntries(podSpecs(render(text).objects).map((p) => [p.where.split(".")[0]!, podQos(p.spec)]));
}

describe("QoS as Kubernetes computes it", () => {
  it("the function itself: Guaranteed needs every container's CPU and memory limits, summed requests equal to limits", () => {
    const c = (resources: object) => ({ name: "c", resources });
    assert.equal(podQos({ containers: [c({})] }), "BestEffort");
    assert.equal(podQos({ containers: [c({ limits: { cpu: "1", memory: "1Gi" } })] }), "Guaranteed", "requests default to limits");
    assert.equal(podQos({ containers: [c(GUARANTEED), c({ requests: { cpu: "10m" }, limits: { memory: "64Mi" } })] }), "Burstable");
    assert.equal(podQos({ containers: [c(GUARANTEED)], initContainers: [c({ requests: { cpu: "10m", memory: "1Mi" } })] }), "Burstable");
  });

  for (const name of EXAMPLES) {
    it(`${name}: the NATS pods are Guaranteed exactly when the nats container asks for it`, () => {
      const text = exampleText(name);
      const pod = podSpecs(render(text).objects).find((p) => p.where.startsWith("StatefulSet/"))!;
      const nats = pod.spec.containers.find((c) => c.name === "nats")!;
      // The promise: the nats container alone would be Guaranteed.
      const promised = podQos({ containers: [nats] }) === "Guaranteed";
      if (promised) assert.equal(podQos(pod.spec), "Guaranteed");
      else assert.notEqual(podQos(pod.spec), "Guaranteed");
      if (name === "production") assert.ok(promised, "production promises Guaranteed QoS in its comments");
    });
  }

  it("every feature on (exporter, reloader, TLS, NACK): requests = limits gives Guaranteed NATS pods; unequal gives Burstable", () => {
    const on = classes(manifest({ ...FULL, resources: GUARANTEED }));
    assert.equal(on["StatefulSet/nats"], "Guaranteed", JSON.stringify(on));
    const off = classes(manifest({ ...FULL, resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } } }));
    assert.equal(off["StatefulSet/nats"], "Burstable");
    // No pod is BestEffort (first evicted): every container of every pod declares its resources.
    for (const [where, qos] of Object.entries({ ...on, ...off })) assert.notEqual(qos, "BestEffort", where);
  });

  it("a Guaranteed pod's sidecars get CPU and memory limits equal to their requests; otherwise no CPU limit", () => {
    const sidecars = (spec: Record<string, unknown>) => {
      const pod = podSpecs(render(manifest(spec)).objects).find((p) => p.where.startsWith("StatefulSet/"))!;
      return Object.fromEntries(pod.spec.containers.filter((c) => c.name !== "nats").map((c) => [c.name, c.resources]));
    };
    assert.deepEqual(sidecars({ ...FULL, resources: GUARANTEED }), {
      reloader: { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "10m", memory: "64Mi" } },
      "prom-exporter": { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
    });
    assert.deepEqual(sidecars(FULL), {
      reloader: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
      "prom-exporter": { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "256Mi" } },
    });
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { unknownFields, validateWithModels } from "../support/kube.js";
import { manifest, render } from "../support/render.js";

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

describe("every rendered object passes the upstream Kubernetes schemas", () => {
  // Besides the examples: every pod with pull Secrets, a registry and every image's pullPolicy.
  const images = manifest({
    imageRegistry: "registry.example.com/mirror",
    imagePullSecrets: ["regcred"],
    reloader: { image: { pullPolicy: "IfNotPresent" } },
    monitoring: { enabled: true, image: { pullPolicy: "IfNotPresent" } },
    nack: { enabled: true, image: { pullPolicy: "IfNotPresent" } },
    natsBox: { image: { pullPolicy: "IfNotPresent" } },
  });
  const all = [...EXAMPLES.flatMap((name) => render(exampleText(name), {}, `examples/${name}.yaml`).objects), ...render(images, {}, "images.yaml").objects];

  it("kubernetes-models validation (types, enums, required fields)", async () => {
    assert.deepEqual(await validateWithModels(all), []);
  });

  it("no unknown fields (typed against the generated interfaces)", () => {
    assert.deepEqual(unknownFields(all), []);
  });

  it("names are valid DNS names; Services are DNS-1035 labels", () => {
    for (const o of all) {
      assert.match(o.metadata.name, DNS_1123_SUBDOMAIN, `${o.kind} ${o.metadata.name}`);
      assert.ok(o.metadata.name.length <= 253);
      if (o.kind === "Service") assert.match(o.metadata.name, DNS_1035_LABEL, o.metadata.name);
    }
  });

  it("label values fit Kubernetes' 63-character limit", () => {
    for (const o of all)
      for (const [k, v] of Object.entries(o.metadata.labels ?? {})) assert.ok(v.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v), `${o.kind}/${o.metadata.name} ${k}=${v}`);
  });

  it("a NodePort (with a fixed nodePort) and a LoadBalancer client Service (service.type) pass too", async () => {
    for (const service of [{ type: "NodePort", nodePort: 30422 }, { type: "LoadBalancer", annotations: { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" } }]) {
      const objects = render(manifest({ service, auth: { enabled: true }, networkPolicy: { enabled: true } })).objects;
      assert.deepEqual(await validateWithModels(objects), [], service.type);
      assert.deepEqual(unknownFields(objects), [], service.type);
    }
  });

  it("the model checks catch a broken object (the check can fail)", async () => {
    const sts = structuredClone(all.find((o) => o.kind === "StatefulSet")!) as unknown as { spec: { replicas: unknown } };
    sts.spec.replicas = "three";
    assert.equal((await validateWithModels([sts as never])).length, 1);
    const svc = structuredClone(all.find((o) => o.kind === "Service")!) as Record<string, unknown>;
    (svc["spec"] as Record<string, unknown>)["clusterIp"] = "None";
    assert.equal(unknownFields([svc as never]).length, 1);
  });
});

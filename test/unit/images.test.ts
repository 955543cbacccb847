import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diagnosticsOf, manifest, podSpecsOf, render } from "../support/render.js";

/** Every pod natskube renders: NATS with the exporter, nats-box and NACK. */
const ALL_PODS = { monitoring: { enabled: true }, nack: { enabled: true } };
const KEYS = ["StatefulSet/nats", "Deployment/nats-box", "Deployment/nats-nack"];

/** container name -> image, over every pod. */
const imagesOf = (spec: Record<string, unknown>) =>
  Object.fromEntries(podSpecsOf(render(manifest({ ...ALL_PODS, ...spec }))).flatMap((p) => p.spec.containers.map((c) => [c.name, c.image])));

const DEFAULTS = {
  nats: "nats:2.14.2-alpine",
  reloader: "natsio/nats-server-config-reloader:0.23.0",
  "prom-exporter": "natsio/prometheus-nats-exporter:0.20.1",
  "nats-box": "natsio/nats-box:0.19.7",
  jsc: "natsio/jetstream-controller:0.23.0",
};

/** The one error at `path`, located at the line holding `needle`. */
function expectError(text: string, path: string, code: string, needle: string) {
  const found = diagnosticsOf(text).filter((d) => d.severity === "error");
  assert.deepEqual(found.map((d) => [d.path, d.code]), [[path, code]]);
  assert.equal(found[0]!.source?.line, text.split("\n").findIndex((l) => l.includes(needle)) + 1, JSON.stringify(found[0]));
}

describe("images", () => {
  it("defaults: the pinned images, no imagePullSecrets on any pod", () => {
    assert.deepEqual(imagesOf({}), DEFAULTS);
    const pods = podSpecsOf(render(manifest(ALL_PODS)));
    assert.deepEqual(pods.map((p) => p.key), KEYS);
    for (const p of pods) assert.equal("imagePullSecrets" in p.spec, false, p.key);
  });

  it("imagePullSecrets reach every pod, each Secret once, in the order written", () => {
    const pods = podSpecsOf(render(manifest({ ...ALL_PODS, imagePullSecrets: ["regcred", "mirror.creds", "regcred"] })));
    assert.deepEqual(pods.map((p) => p.key), KEYS);
    for (const p of pods) assert.deepEqual(p.spec.imagePullSecrets, [{ name: "regcred" }, { name: "mirror.creds" }], p.key);
  });

  it("imageRegistry prefixes every default repository as Docker Hub spells it", () => {
    const r = "registry.example.com/mirror";
    assert.deepEqual(imagesOf({ imageRegistry: r }), Object.fromEntries(Object.entries(DEFAULTS).map(([k, v]) => [k, `${r}/${v}`])));
    assert.equal(imagesOf({ imageRegistry: "registry.local:5000" })["nats"], "registry.local:5000/nats:2.14.2-alpine");
  });

  it("a repository the user set is used as written; a changed tag keeps the registry", () => {
    const got = imagesOf({
      imageRegistry: "registry.example.com/mirror",
      image: { tag: "2.12.1-alpine" },
      natsBox: { image: { repository: "other.example.com/tools/nats-box" } },
      reloader: { image: { repository: "ghcr.io/me/reloader", tag: "0.1.0", pullPolicy: "Always" } },
    });
    assert.equal(got["nats"], "registry.example.com/mirror/nats:2.12.1-alpine");
    assert.equal(got["nats-box"], "other.example.com/tools/nats-box:0.19.7");
    assert.equal(got["reloader"], "ghcr.io/me/reloader:0.1.0");
    assert.equal(got["jsc"], "registry.example.com/mirror/natsio/jetstream-controller:0.23.0");
  });

  it("the reloader's pullPolicy; the Model holds every resolved image", () => {
    const r = render(manifest({ ...ALL_PODS, imageRegistry: "r.example.com", reloader: { image: { pullPolicy: "IfNotPresent" } } }));
    const sts = podSpecsOf(r)[0]!.spec;
    assert.equal(sts.containers.find((c) => c.name === "reloader")?.imagePullPolicy, "IfNotPresent");
    assert.deepEqual(r.model.images, {
      nats: "r.example.com/nats:2.14.2-alpine",
      reloader: "r.example.com/natsio/nats-server-config-reloader:0.23.0",
      natsBox: "r.example.com/natsio/nats-box:0.19.7",
      exporter: "r.example.com/natsio/prometheus-nats-exporter:0.20.1",
      nack: "r.example.com/natsio/jetstream-controller:0.23.0",
      pullSecrets: [],
    });
  });

  it("snake_case spellings", () => {
    const got = render(manifest({ image_registry: "r.example.com", image_pull_secrets: ["regcred"] }));
    assert.equal(got.model.images.nats, "r.example.com/nats:2.14.2-alpine");
    assert.deepEqual(got.model.images.pullSecrets, [{ name: "regcred" }]);
  });

  it("a pull Secret name that is not a DNS subdomain is located at its entry", () => {
    expectError(manifest({ imagePullSecrets: ["regcred", "Reg_Cred"] }), "spec.imagePullSecrets[1]", "dns-name", "Reg_Cred");
  });

  for (const bad of ["https://registry.example.com", "registry.example.com/mirror/", "registry.example.com/Mirror", ""])
    it(`imageRegistry ${JSON.stringify(bad)} is refused at the field`, () => {
      expectError(manifest({ imageRegistry: bad }), "spec.imageRegistry", "format", "imageRegistry");
    });
});

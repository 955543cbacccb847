// The client Service's type and annotations (spec.service): ClusterIP renders as before; NodePort and
// LoadBalancer change only that Service (and open 4222 in the NetworkPolicy); contradictions are located errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lintDocument } from "../../src/lint/run.js";
import type { KubeObject } from "../../src/render/index.js";
import { unknownFields, validateWithModels } from "../support/kube.js";
import { delta, diagnosticsOf, findObject, manifest, parseValid, render } from "../support/render.js";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const objectsOf = (spec: Record<string, unknown>) => render(manifest(spec)).objects;
const clientService = (spec: Record<string, unknown>) => findObject(render(manifest(spec)), "Service", "nats") as Any;
const errorsOf = (text: string) => diagnosticsOf(text).filter((d) => d.severity === "error");

async function assertValid(objects: KubeObject[]) {
  assert.deepEqual(await validateWithModels(objects), []);
  assert.deepEqual(unknownFields(objects), []);
}

describe("service.type", () => {
  it("ClusterIP (the default, also when written) renders the Service exactly as before: no type field", () => {
    assert.deepEqual(objectsOf({ service: { type: "ClusterIP" } }), objectsOf({}));
    assert.equal(clientService({}).spec.type, undefined);
  });

  it("NodePort: only the client Service changes; nodePort pins the client port", async () => {
    const objects = objectsOf({ service: { type: "NodePort", nodePort: 30422 } });
    assert.deepEqual(delta(objectsOf({}), objects), { added: [], removed: [], changed: ["Service/nats"] });
    const svc = clientService({ service: { type: "NodePort", nodePort: 30422 } });
    assert.equal(svc.spec.type, "NodePort");
    assert.deepEqual(svc.spec.ports, [{ name: "nats", port: 4222, targetPort: "nats", appProtocol: "tcp", nodePort: 30422 }]);
    assert.equal(clientService({ service: { type: "NodePort" } }).spec.ports[0].nodePort, undefined, "Kubernetes picks the port");
    await assertValid(objects);
  });

  it("LoadBalancer with annotations (an internal load balancer); the user's annotations win", async () => {
    const spec = { service: { type: "LoadBalancer", annotations: { "networking.gke.io/load-balancer-type": "Internal", team: "b" } } };
    const text = manifest(spec, { annotations: { team: "a" } });
    const svc = findObject(render(text), "Service", "nats") as Any;
    assert.equal(svc.spec.type, "LoadBalancer");
    assert.deepEqual(svc.metadata.annotations, { "networking.gke.io/load-balancer-type": "Internal", team: "b" });
    assert.equal(findObject(render(text), "Service", "nats-headless").metadata.annotations?.["networking.gke.io/load-balancer-type"], undefined);
    await assertValid(render(text).objects);
  });

  it("annotations on a ClusterIP Service", () => {
    const svc = clientService({ service: { annotations: { "prometheus.io/probe": "true" } } });
    assert.deepEqual([svc.spec.type, svc.metadata.annotations], [undefined, { "prometheus.io/probe": "true" }]);
  });

  it("snake_case is accepted (node_port)", () => {
    assert.equal(clientService({ service: { type: "NodePort", node_port: 31000 } }).spec.ports[0].nodePort, 31000);
  });

  it("a NetworkPolicy lets every source reach 4222 of a NodePort or LoadBalancer Service", () => {
    const policy = (type: string) => (findObject(render(manifest({ networkPolicy: { enabled: true }, service: { type } })), "NetworkPolicy", "nats") as Any).spec.ingress[0];
    assert.deepEqual(policy("ClusterIP").from, [{ namespaceSelector: {} }]);
    for (const type of ["NodePort", "LoadBalancer"]) assert.equal(policy(type).from, undefined, type);
    const warned = diagnosticsOf(manifest({ networkPolicy: { enabled: true, clientNamespaces: ["apps"] }, service: { type: "NodePort" } }));
    assert.deepEqual(warned.filter((d) => d.path === "spec.networkPolicy.clientNamespaces").map((d) => d.severity), ["warning"]);
  });
});

describe("service: located errors", () => {
  const text = (service: string, extra = "") =>
    `apiVersion: kubernetes.project-planton.org/v1\nkind: KubernetesNats\nmetadata:\n  name: nats\nspec:\n  namespace: nats\n${extra}  service:\n${service}`;
  const at = (t: string) => errorsOf(t).map((d) => [d.code, d.path, d.source ? `${d.source.file}:${d.source.line}:${d.source.col}` : undefined]);

  it("nodePort outside 30000-32767, or not an integer", () => {
    for (const port of [29999, 32768, 80, 30000.5]) {
      const got = at(text(`    type: NodePort\n    nodePort: ${port}\n`));
      assert.equal(got.length, 1, String(port));
      assert.deepEqual(got[0]!.slice(1), ["spec.service.nodePort", "test.yaml:9:5"], String(port));
    }
    for (const port of [30000, 32767]) assert.deepEqual(at(text(`    type: NodePort\n    nodePort: ${port}\n`)), [], String(port));
  });

  it("an unknown type", () => {
    assert.deepEqual(at(text("    type: ExternalName\n")).map((x) => x.slice(1)), [["spec.service.type", "test.yaml:8:5"]]);
  });

  it("nodePort with type ClusterIP has no effect: an error at nodePort", () => {
    assert.deepEqual(at(text("    nodePort: 30422\n")), [["cross-field", "spec.service.nodePort", "test.yaml:8:5"]]);
  });

  it("LoadBalancer together with externalAccess LOADBALANCER: two load balancers for one port, an error at service.type", () => {
    const d = errorsOf(text("    type: LoadBalancer\n", "  externalAccess:\n    type: LOADBALANCER\n"));
    assert.deepEqual(d.map((x) => [x.code, x.path, `${x.source?.line}:${x.source?.col}`]), [["cross-field", "spec.service.type", "10:5"]]);
    assert.match(d[0]!.hint ?? "", /externalAccess LOADBALANCER/);
    assert.deepEqual(errorsOf(text("    type: NodePort\n", "  externalAccess:\n    type: LOADBALANCER\n")), [], "a NodePort beside the public load balancer is fine");
  });
});

describe("lint client-service-exposed", () => {
  const hits = (spec: Record<string, unknown>) =>
    (lintDocument(parseValid(manifest(spec)), { preset: "recommended" })?.findings ?? []).filter((f) => f.ruleId === "client-service-exposed").map((f) => [f.severity, f.path]);
  const tls = { enabled: true, certManager: { issuerRef: { name: "ca", kind: "ClusterIssuer" } } };

  it("warns for a NodePort or LoadBalancer Service without auth or TLS, at service.type", () => {
    for (const type of ["NodePort", "LoadBalancer"]) {
      assert.deepEqual(hits({ service: { type } }), [["warning", "spec.service.type"]], type);
      assert.deepEqual(hits({ service: { type }, auth: { enabled: true } }), [["warning", "spec.service.type"]], `${type} without TLS`);
      assert.deepEqual(hits({ service: { type }, tls }), [["warning", "spec.service.type"]], `${type} without auth`);
      assert.deepEqual(hits({ service: { type }, auth: { enabled: true }, tls }), [], `${type} with both`);
    }
    assert.deepEqual(hits({}), []);
  });
});

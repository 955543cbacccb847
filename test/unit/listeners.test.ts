import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IService } from "kubernetes-models/v1/Service";
import { validateWithModels } from "../support/kube.js";
import { diagnosticsOf, findObject, manifest, natsConfOf, render } from "../support/render.js";

const ALL = { jetstream: { enabled: true }, websocket: { enabled: true }, mqtt: { enabled: true }, leafnodes: { enabled: true, port: 7500 } };
const TLS = { tls: { enabled: true, certManager: { issuerRef: { name: "ca", kind: "ClusterIssuer" } } } };
const errorsOf = (spec: Record<string, unknown>) => diagnosticsOf(manifest(spec)).filter((d) => d.severity === "error").map((d) => `${d.path}: ${d.message}`);

describe("WebSocket, MQTT and leaf node listeners", () => {
  it("nats.conf: one block each with its port; plain without spec.tls, the server certificate with it", () => {
    const plain = natsConfOf(render(manifest(ALL)));
    assert.match(plain, /websocket \{\n {2}port: 8080\n {2}no_tls: true\n\}\nmqtt \{\n {2}port: 1883\n\}\nleafnodes \{\n {2}port: 7500\n\}/);
    const tls = natsConfOf(render(manifest({ ...ALL, ...TLS })));
    for (const block of ["websocket", "mqtt", "leafnodes"]) assert.match(tls, new RegExp(`${block} \\{\\n {2}port: \\d+\\n {2}tls \\{\\n {4}cert_file: `), block);
    const optOut = natsConfOf(render(manifest({ ...ALL, ...TLS, mqtt: { enabled: true, tls: false } })));
    assert.match(optOut, /mqtt \{\n {2}port: 1883\n\}/);
  });

  it("ports on the container, both Services and the NetworkPolicy; every object passes the Kubernetes schemas", async () => {
    const r = render(manifest({ ...ALL, networkPolicy: { enabled: true } }));
    const sts = findObject(r, "StatefulSet") as IStatefulSet;
    assert.deepEqual(sts.spec!.template.spec!.containers[0]!.ports!.map((p) => `${p.name}:${p.containerPort}`), ["nats:4222", "websocket:8080", "mqtt:1883", "leafnodes:7500", "cluster:6222", "monitor:8222"]);
    for (const name of ["nats", "nats-headless"]) {
      const svc = r.objects.find((o) => o.kind === "Service" && o.metadata.name === name) as IService;
      assert.deepEqual(svc.spec!.ports!.filter((p) => ["websocket", "mqtt", "leafnodes"].includes(p.name!)).map((p) => `${p.name}:${p.port}:${p.appProtocol}`), ["websocket:8080:http", "mqtt:1883:tcp", "leafnodes:7500:tcp"]);
    }
    const np = r.objects.find((o) => o.kind === "NetworkPolicy") as unknown as { spec: { ingress: { ports: { port: number }[] }[] } };
    assert.deepEqual(np.spec.ingress[0]!.ports.map((p) => p.port), [4222, 8080, 1883, 7500]);
    assert.deepEqual(await validateWithModels(r.objects), []);
  });

  it("externalAccess INGRESS opens the WebSocket listener on websocket.port; its termination decides TLS", () => {
    const r = render(manifest({ externalAccess: { type: "INGRESS", hostname: "nats.example.com" }, websocket: { port: 8443 } }));
    assert.match(natsConfOf(r), /websocket \{\n {2}port: 8443\n {2}no_tls: true\n\}/);
    const ingress = findObject(r, "Ingress") as unknown as { spec: { rules: { http: { paths: { backend: { service: { port: { name?: string; number?: number } } } }[] } }[] } };
    const backend = ingress.spec.rules[0]!.http.paths[0]!.backend.service.port;
    assert.ok(backend.name === "websocket" || backend.number === 8443, JSON.stringify(backend));
  });

  it("validation: MQTT needs JetStream, TLS needs spec.tls, ports are not shared; settings of a closed listener warn", () => {
    assert.match(errorsOf({ mqtt: { enabled: true }, jetstream: { enabled: false } }).join(), /spec.mqtt.enabled: MQTT needs JetStream/);
    assert.match(errorsOf({ leafnodes: { enabled: true, tls: true } }).join(), /spec.leafnodes.tls: leafnodes.tls needs the server certificate, but spec.tls is off/);
    assert.match(errorsOf({ mqtt: { enabled: true, port: 4222 } }).join(), /spec.mqtt.port: mqtt.port 4222 is also the client port/);
    assert.match(errorsOf({ websocket: { enabled: true, port: 7422 }, leafnodes: { enabled: true } }).join(), /spec.leafnodes.port: leafnodes.port 7422 is also the websocket port/);
    const w = diagnosticsOf(manifest({ mqtt: { port: 1884 } })).filter((d) => d.severity === "warning");
    assert.deepEqual(w.map((d) => d.path), ["spec.mqtt.port"]);
    const ingressTls = diagnosticsOf(manifest({ externalAccess: { type: "INGRESS", hostname: "n.example.com" }, websocket: { tls: true } })).filter((d) => d.path === "spec.websocket.tls");
    assert.deepEqual(ingressTls.map((d) => d.severity), ["warning"]);
  });
});

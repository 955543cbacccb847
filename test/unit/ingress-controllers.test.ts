// W2/W3 of the cluster audit: the WebSocket Ingress reaches the pods through natskube's own
// NetworkPolicy, and TLS re-encryption is rendered only where the controller is told to speak TLS
// to the WebSocket port; every combination that cannot work as rendered is a located diagnostic.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { buildConf } from "../../src/conf/index.js";
import { isRaw, type ConfBlock } from "../../src/conf/value.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { unknownFields, validateWithModels } from "../support/kube.js";
import { allowed, type Pod } from "../support/network-policy.js";
import { diagnosticsOf, findObject, manifest, render } from "../support/render.js";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const plain = (b: ConfBlock | undefined): Any => JSON.parse(JSON.stringify(b ?? null, (_k, v) => (isRaw(v) ? v.raw : v)));
const INGRESS = { type: "INGRESS", hostname: "nats.example.com", tlsSecretName: "nats-ws-tls" };

/** The diagnostic at `path`, which must point at the line of the field's key in the text. */
function located(text: string, path: string): Diagnostic {
  const d = diagnosticsOf(text).find((x) => x.path === path);
  assert.ok(d, `a diagnostic at ${path}: ${JSON.stringify(diagnosticsOf(text))}`);
  const key = path.split(".").at(-1)!;
  const line = text.split("\n").findIndex((l) => l.trimStart().startsWith(`${key}:`)) + 1;
  assert.equal(d.source?.line, line, `${path} points at its line`);
  assert.ok((d.source?.col ?? 0) > 0);
  assert.ok(d.hint && d.hint.length > 0, "with a hint");
  return d;
}

describe("W2: the WebSocket Ingress through natskube's NetworkPolicy", () => {
  const controller: Pod = { namespace: "ingress-nginx", labels: { "app.kubernetes.io/name": "ingress-nginx" } };
  const app: Pod = { namespace: "apps", labels: { app: "web" } };
  const stranger: Pod = { namespace: "other", labels: { app: "x" } };
  const policiesOf = (np: Record<string, unknown>, ea: Record<string, unknown> = INGRESS) => {
    const r = render(manifest({ networkPolicy: { enabled: true, ...np }, externalAccess: ea }));
    const nats: Pod = { namespace: "nats", labels: (findObject(r, "StatefulSet") as Any).spec.template.metadata.labels };
    return { policies: r.objects.filter((o) => o.kind === "NetworkPolicy") as unknown as INetworkPolicy[], nats, r };
  };

  it("clientNamespaces without the controller's namespace: the controller is denied on 8080, and validate says so where clientNamespaces is", () => {
    const { policies, nats } = policiesOf({ clientNamespaces: ["apps"] });
    assert.equal(allowed(policies, controller, nats, 8080), false, "this is what fails every wss:// connection");
    assert.equal(allowed(policies, app, nats, 8080), true);
    const text = manifest({ networkPolicy: { enabled: true, clientNamespaces: ["apps"] }, externalAccess: INGRESS });
    const d = located(text, "spec.networkPolicy.clientNamespaces");
    assert.equal(d.severity, "warning");
    assert.match(d.message, /8080.*\[apps\].*wss:\/\//);
    assert.match(d.hint!, /ingressControllerNamespaces/);
  });

  it("ingressControllerNamespaces lets the controller in on the WebSocket port only; clients and peers are unchanged", () => {
    const { policies, nats, r } = policiesOf({ clientNamespaces: ["apps"], ingressControllerNamespaces: ["ingress-nginx"] });
    assert.equal(allowed(policies, controller, nats, 8080), true);
    assert.equal(allowed(policies, controller, nats, 4222), false, "not the NATS port");
    assert.equal(allowed(policies, controller, nats, 6222), false, "not the route port");
    assert.equal(allowed(policies, app, nats, 4222), true);
    assert.equal(allowed(policies, stranger, nats, 8080), false);
    assert.equal(allowed(policies, stranger, nats, 4222), false);
    assert.deepEqual(diagnosticsOf(manifest({ networkPolicy: { enabled: true, clientNamespaces: ["apps"], ingressControllerNamespaces: ["ingress-nginx"] }, externalAccess: INGRESS })), []);
    const np = r.objects.filter((o) => o.kind === "NetworkPolicy");
    assert.deepEqual(unknownFields(np), []);
    return validateWithModels(np).then((e) => assert.deepEqual(e, []));
  });

  it("no clientNamespaces: every namespace, the controller's included, and no diagnostic", () => {
    const { policies, nats } = policiesOf({});
    assert.equal(allowed(policies, controller, nats, 8080), true);
    assert.deepEqual(diagnosticsOf(manifest({ networkPolicy: { enabled: true }, externalAccess: INGRESS })), []);
  });

  it("ALB and GKE reach the pods from outside the pod network: a warning at ingressClassName", () => {
    for (const cls of ["alb", "gce"]) {
      const text = manifest({ networkPolicy: { enabled: true }, externalAccess: { ...INGRESS, ingressClassName: cls } });
      const d = located(text, "spec.externalAccess.ingressClassName");
      assert.equal(d.severity, "warning");
      assert.match(d.hint!, /ipBlock|35\.191\.0\.0\/16/);
    }
  });

  it("ingressControllerNamespaces without INGRESS, or without the policy, has no effect: a warning", () => {
    assert.equal(located(manifest({ networkPolicy: { enabled: true, ingressControllerNamespaces: ["x"] } }), "spec.networkPolicy.ingressControllerNamespaces").severity, "warning");
    assert.equal(located(manifest({ networkPolicy: { ingressControllerNamespaces: ["x"] }, externalAccess: INGRESS }), "spec.networkPolicy.ingressControllerNamespaces").severity, "warning");
  });
});

describe("W3: TLS re-encryption only where the controller is told to speak TLS to the pods", () => {
  const rendered = (ea: Record<string, unknown>) => {
    const r = render(manifest({ tls: { enabled: true }, externalAccess: { ...INGRESS, ...ea } }));
    const ing = findObject(r, "Ingress", "nats-ws") as Any;
    const svc = findObject(r, "Service", "nats") as Any;
    return { ws: plain(buildConf(r.model)).websocket, ingress: ing.metadata.annotations as Record<string, string>, service: (svc.metadata.annotations ?? {}) as Record<string, string>, appProtocol: svc.spec.ports[1].appProtocol, objects: r.objects };
  };
  const ours = (a: Record<string, string>) => Object.fromEntries(Object.entries(a).filter(([k]) => !k.includes("proxy-read-timeout") && !k.includes("proxy-send-timeout")));

  const REENCRYPTING: [string, Record<string, string>, Record<string, string>][] = [
    ["nginx", { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS", "nginx.org/ssl-services": "nats", "nginx.org/websocket-services": "nats" }, {}],
    ["nginx-internal", { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS", "nginx.org/ssl-services": "nats", "nginx.org/websocket-services": "nats" }, {}],
    ["haproxy", { "haproxy.org/server-ssl": "true", "haproxy-ingress.github.io/backend-protocol": "h1-ssl" }, {}],
    ["contour", { "projectcontour.io/websocket-routes": "/" }, { "projectcontour.io/upstream-protocol.tls": "websocket" }],
    ["alb", { "alb.ingress.kubernetes.io/backend-protocol": "HTTPS" }, {}],
  ];
  for (const [cls, ingress, service] of REENCRYPTING)
    it(`${cls}: re-encrypts by default, with the controller's backend-TLS setting on the ${Object.keys(service).length ? "Service" : "Ingress"}`, async () => {
      const r = rendered({ ingressClassName: cls });
      assert.ok(r.ws.tls, "the WebSocket port serves TLS");
      assert.equal(r.appProtocol, "https");
      assert.deepEqual(ours(r.ingress), ingress);
      assert.deepEqual(r.service, service);
      assert.deepEqual(diagnosticsOf(manifest({ tls: { enabled: true }, externalAccess: { ...INGRESS, ingressClassName: cls } })).filter((d) => d.path.startsWith("spec.externalAccess")), []);
      assert.deepEqual(unknownFields(r.objects), []);
      assert.deepEqual(await validateWithModels(r.objects), []);
    });

  for (const cls of [undefined, "traefik", "gce", "cilium"])
    it(`${cls ?? "no ingressClassName"}: plain WebSocket behind the TLS-terminating Ingress by default, said in an info line`, () => {
      const r = rendered(cls ? { ingressClassName: cls } : {});
      assert.deepEqual(r.ws, { port: 8080, no_tls: true });
      assert.equal(r.appProtocol, "http");
      assert.equal(Object.keys(ours(r.ingress)).filter((k) => /backend-protocol|ssl|upstream/.test(k)).length, 0, JSON.stringify(r.ingress));
      const text = manifest({ tls: { enabled: true }, externalAccess: { ...INGRESS, ...(cls ? { ingressClassName: cls } : {}) } });
      const d = located(text, cls ? "spec.externalAccess.ingressClassName" : "spec.externalAccess.type");
      assert.equal(d.severity, "info");
      // Saying INGRESS explicitly silences it.
      assert.deepEqual(diagnosticsOf(manifest({ tls: { enabled: true }, externalAccess: { ...INGRESS, tlsTermination: "INGRESS", ...(cls ? { ingressClassName: cls } : {}) } })).filter((x) => x.path.startsWith("spec.externalAccess")), []);
    });

  for (const cls of [undefined, "traefik", "cilium"])
    it(`explicit REENCRYPT on ${cls ?? "no ingressClassName"}: a located warning at tlsTermination`, () => {
      const text = manifest({ tls: { enabled: true }, externalAccess: { ...INGRESS, tlsTermination: "REENCRYPT", ...(cls ? { ingressClassName: cls } : {}) } });
      const d = located(text, "spec.externalAccess.tlsTermination");
      assert.equal(d.severity, "warning");
      assert.match(d.message, /400\/502/);
      if (cls === "traefik") assert.match(d.message, /ServersTransport/);
      assert.match(d.hint!, /tlsTermination: INGRESS/);
      assert.ok(rendered({ tlsTermination: "REENCRYPT", ...(cls ? { ingressClassName: cls } : {}) }).ws.tls, "still rendered as asked");
    });
});

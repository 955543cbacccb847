// nats-box and external access (LoadBalancer, WebSocket + Ingress): feature renders are the
// defaults plus a known delta, compared object by object.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildConf } from "../../src/conf/index.js";
import { isRaw, type ConfBlock } from "../../src/conf/value.js";
import { stackOutputs } from "../../src/outputs.js";
import type { KubeObject } from "../../src/render/index.js";
import { EXTERNAL_DNS_HOSTNAME, NGINX_BACKEND_HTTPS, NGINX_WEBSOCKET_ANNOTATIONS } from "../../src/render/external-access.js";
import { anchorObjects } from "../support/anchors.js";
import { unknownFields, validateWithModels } from "../support/kube.js";
import { delta, diagnosticsOf, findObject, manifest, objectKey as key, render } from "../support/render.js";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any


const plain = (b: ConfBlock | undefined): Any => JSON.parse(JSON.stringify(b ?? null, (_k, v) => (isRaw(v) ? v.raw : v)));
const objectsOf = (spec: Record<string, unknown>) => render(manifest(spec)).objects;
const container = (o: Any, name: string): Any => (o as Any).spec.template.spec.containers.find((c: Any) => c.name === name);
const errorsOf = (spec: Record<string, unknown>) => diagnosticsOf(manifest(spec)).filter((d) => d.severity === "error");

async function assertValid(objects: KubeObject[]) {
  assert.deepEqual(await validateWithModels(objects), []);
  assert.deepEqual(unknownFields(objects), []);
}

describe("nats-box", () => {
  const r = render(manifest());
  const secret = findObject(r, "Secret", "nats-box-contexts") as Any;
  const deploy = findObject(r, "Deployment", "nats-box") as Any;
  const pod = deploy.spec.template.spec;
  const box = container(deploy, "nats-box");
  const contextOf = (o: KubeObject[]) => JSON.parse((o.find((x) => key(x) === "Secret/nats-box-contexts") as Any).stringData["default.json"]);

  it("is on by default: contexts Secret then Deployment, right after the PodDisruptionBudget", () => {
    const keys = r.objects.map(key);
    const pdb = keys.indexOf("PodDisruptionBudget/nats");
    assert.deepEqual(keys.slice(pdb + 1, pdb + 3), ["Secret/nats-box-contexts", "Deployment/nats-box"]);
  });

  it("has the chart's names and selector, and the nats-box component label", () => {
    const chart = anchorObjects("dev");
    const chartBox = chart.find((o) => o.kind === "Deployment" && o.metadata.name === "nats-box") as Any;
    assert.ok(chart.find((o) => o.kind === "Secret" && o.metadata.name === "nats-box-contexts"));
    assert.deepEqual(deploy.spec.selector, chartBox.spec.selector);
    assert.equal(deploy.spec.replicas, 1);
    assert.equal(box.image, chartBox.spec.template.spec.containers[0].image);
    assert.equal(deploy.metadata.labels["app.kubernetes.io/component"], "nats-box");
    assert.equal(secret.metadata.labels["app.kubernetes.io/component"], "nats-box");
  });

  it("the default context points at the client Service, with no credentials in it", () => {
    assert.deepEqual(Object.keys(secret.stringData), ["default.json"]);
    assert.deepEqual(JSON.parse(secret.stringData["default.json"]), {
      description: "nats/nats (rendered by natskube)",
      url: "nats://nats.nats.svc.cluster.local:4222",
    });
    assert.equal(JSON.parse(secret.stringData["default.json"]).url, stackOutputs(r.model).clientUrlInternal);
  });

  it("restricted pod security, read-only root with writable HOME/XDG dirs, small resources", () => {
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: "OnRootMismatch", seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(box.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    assert.equal(pod.automountServiceAccountToken, false);
    assert.deepEqual(box.resources, { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } });
    const env = Object.fromEntries(box.env.map((e: Any) => [e.name, e.value]));
    const mounts = Object.fromEntries(box.volumeMounts.map((v: Any) => [v.mountPath, v.name]));
    const emptyDirs = pod.volumes.filter((v: Any) => v.emptyDir).map((v: Any) => v.name);
    for (const dir of [env.HOME, env.XDG_CONFIG_HOME, env.XDG_DATA_HOME, env.NKEYS_PATH, "/tmp"]) {
      const mount = Object.keys(mounts).find((p) => dir === p || dir.startsWith(`${p}/`));
      assert.ok(mount && emptyDirs.includes(mounts[mount]), `${dir} is on a writable emptyDir`);
    }
    // kubectl exec starts in workingDir: the writable HOME emptyDir, not the image's root-only /root.
    assert.equal(box.workingDir, env.HOME);
    assert.equal(mounts[box.workingDir], "home");
    assert.equal(mounts["/etc/nats-contexts"], "contexts");
    assert.match(box.command[2], /ln -s \/etc\/nats-contexts context/);
    assert.match(box.command[2], /printf %s default > context\.txt/);
  });

  it("without auth the container gets no credentials", () => {
    assert.equal(box.env.some((e: Any) => e.name.startsWith("NATS_")), false);
  });

  it("TOKEN: NATS_USER from the auth Secret's token key (the CLI sends a user without password as a token)", () => {
    const o = objectsOf({ auth: { enabled: true, mode: "TOKEN" } });
    const env = container(o.find((x) => key(x) === "Deployment/nats-box")!, "nats-box").env.filter((e: Any) => e.name.startsWith("NATS_"));
    assert.deepEqual(env, [{ name: "NATS_USER", valueFrom: { secretKeyRef: { name: "nats-auth", key: "token" } } }]);
    assert.deepEqual(delta(render(manifest()).objects, o).changed.filter((k) => k.includes("box")), ["Deployment/nats-box"], "the context does not change");
  });

  it("BASIC with your own Secret and keys: NATS_USER and NATS_PASSWORD by reference, never a value", () => {
    const o = objectsOf({ auth: { enabled: true, mode: "BASIC", secretName: "app-creds", userKey: "u", passwordKey: "p" } });
    const env = container(o.find((x) => key(x) === "Deployment/nats-box")!, "nats-box").env.filter((e: Any) => e.name.startsWith("NATS_"));
    assert.deepEqual(env, [
      { name: "NATS_USER", valueFrom: { secretKeyRef: { name: "app-creds", key: "u" } } },
      { name: "NATS_PASSWORD", valueFrom: { secretKeyRef: { name: "app-creds", key: "p" } } },
    ]);
    const ctx = contextOf(o);
    for (const k of ["user", "password", "token", "creds", "nkey"]) assert.equal(ctx[k], undefined, k);
  });

  it("TLS: tls:// URL, the CA path, and only the CA key of the TLS Secret is mounted", () => {
    const base = render(manifest()).objects;
    const o = objectsOf({ tls: { enabled: true } });
    assert.deepEqual(contextOf(o), {
      description: "nats/nats (rendered by natskube)",
      url: "tls://nats.nats.svc.cluster.local:4222",
      ca: "/etc/nats-certs/nats/ca.crt",
    });
    const d = o.find((x) => key(x) === "Deployment/nats-box") as Any;
    const before = base.find((x) => key(x) === "Deployment/nats-box") as Any;
    const vols = d.spec.template.spec.volumes;
    assert.deepEqual(vols.slice(0, -1), before.spec.template.spec.volumes);
    assert.deepEqual(vols.at(-1), { name: "tls-ca", secret: { secretName: "nats-tls", items: [{ key: "ca.crt", path: "ca.crt" }] } });
    assert.deepEqual(container(d, "nats-box").volumeMounts.at(-1), { name: "tls-ca", mountPath: "/etc/nats-certs/nats", readOnly: true });
  });

  it("TLS from your Secret with another CA key; without a CA the context relies on system roots", () => {
    const withCa = objectsOf({ replicas: 1, tls: { enabled: true, secretName: "my-tls", caKey: "root.pem" } });
    const d = withCa.find((x) => key(x) === "Deployment/nats-box") as Any;
    assert.deepEqual(d.spec.template.spec.volumes.at(-1).secret, { secretName: "my-tls", items: [{ key: "root.pem", path: "ca.crt" }] });
    const noCa = objectsOf({ replicas: 1, tls: { enabled: true, secretName: "my-tls" } });
    assert.equal(contextOf(noCa).ca, undefined);
    const nd = noCa.find((x) => key(x) === "Deployment/nats-box") as Any;
    assert.equal(nd.spec.template.spec.volumes.some((v: Any) => v.name === "tls-ca"), false);
  });

  it("natsBox.enabled false (and Planton's disableNatsBox) removes exactly the two objects", () => {
    const d = delta(render(manifest()).objects, objectsOf({ natsBox: { enabled: false } }));
    assert.deepEqual(d, { added: [], removed: ["Secret/nats-box-contexts", "Deployment/nats-box"], changed: [] });
    assert.deepEqual(delta(render(manifest()).objects, objectsOf({ disableNatsBox: true })).removed, d.removed);
  });

  it("natsBox.resources replace the defaults", () => {
    const resources = { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "1", memory: "1Gi" } };
    const o = objectsOf({ natsBox: { resources } });
    assert.deepEqual(container(o.find((x) => key(x) === "Deployment/nats-box")!, "nats-box").resources, resources);
  });

  it("passes the Kubernetes schemas (auth + TLS variant)", async () => {
    await assertValid(objectsOf({ auth: { enabled: true, mode: "BASIC" }, tls: { enabled: true } }).filter((o) => o.metadata.name.includes("box")));
  });
});

describe("external access: LOADBALANCER", () => {
  const base = render(manifest()).objects;

  it("adds exactly one Service <name>-external and changes nothing else", () => {
    const o = objectsOf({ externalAccess: { type: "LOADBALANCER", hostname: "nats.example.com" } });
    assert.deepEqual(delta(base, o), { added: ["Service/nats-external"], removed: [], changed: [] });
    const svc = o.find((x) => key(x) === "Service/nats-external") as Any;
    const client = base.find((x) => key(x) === "Service/nats") as Any;
    assert.deepEqual(svc, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "nats-external", namespace: "nats", labels: client.metadata.labels, annotations: { [EXTERNAL_DNS_HOSTNAME]: "nats.example.com" } },
      spec: { type: "LoadBalancer", selector: client.spec.selector, ports: [{ name: "nats", port: 4222, targetPort: "nats", appProtocol: "tcp" }] },
    });
    const keys = o.map(key);
    assert.equal(keys.indexOf("Service/nats-external"), keys.indexOf("Deployment/nats-box") + 1);
  });

  it("TLS, annotations, source ranges; no hostname means no external-dns annotation", () => {
    const o = objectsOf({
      tls: { enabled: true },
      externalAccess: { type: "LOADBALANCER", hostname: "nats.example.com", annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" }, loadBalancerSourceRanges: ["10.0.0.0/8"] },
    });
    const svc = o.find((x) => key(x) === "Service/nats-external") as Any;
    assert.deepEqual(svc.metadata.annotations, { [EXTERNAL_DNS_HOSTNAME]: "nats.example.com", "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" });
    assert.deepEqual(svc.spec.ports, [{ name: "nats", port: 4222, targetPort: "nats", appProtocol: "tls" }]);
    assert.deepEqual(svc.spec.loadBalancerSourceRanges, ["10.0.0.0/8"]);
    const bare = objectsOf({ externalAccess: { type: "LOADBALANCER" } }).find((x) => key(x) === "Service/nats-external") as Any;
    assert.equal(bare.metadata.annotations, undefined);
    assert.equal(stackOutputs(render(manifest({ externalAccess: { type: "LOADBALANCER" } })).model).clientUrlExternal, undefined);
  });

  it("outputs nats:// or tls:// host:4222", () => {
    const url = (tls: boolean) => stackOutputs(render(manifest({ tls: { enabled: tls }, externalAccess: { type: "LOADBALANCER", hostname: "nats.example.com" } })).model).clientUrlExternal;
    assert.equal(url(false), "nats://nats.example.com:4222");
    assert.equal(url(true), "tls://nats.example.com:4222");
  });

  it("passes the Kubernetes schemas", async () => {
    await assertValid(objectsOf({ externalAccess: { type: "LOADBALANCER", hostname: "a.example.com", loadBalancerSourceRanges: ["1.2.3.4/32"] } }).filter((o) => o.metadata.name === "nats-external"));
  });
});

describe("external access: INGRESS (WebSocket)", () => {
  const base = render(manifest()).objects;
  const ingressSpec = { type: "INGRESS", hostname: "nats.example.com", ingressClassName: "nginx", tlsSecretName: "nats-ws-tls" };

  it("adds the Ingress, and the websocket port to nats.conf, the container and both Services", () => {
    const r = render(manifest({ externalAccess: ingressSpec }));
    assert.deepEqual(delta(base, r.objects), {
      added: ["Ingress/nats-ws"],
      removed: [],
      changed: ["ConfigMap/nats-config", "Service/nats-headless", "Service/nats", "StatefulSet/nats"],
    });
    assert.deepEqual(plain(buildConf(r.model)).websocket, { port: 8080, no_tls: true });
    const ws = { name: "websocket", port: 8080, targetPort: "websocket", appProtocol: "http" };
    const client = r.objects.find((x) => key(x) === "Service/nats") as Any;
    const headless = r.objects.find((x) => key(x) === "Service/nats-headless") as Any;
    assert.deepEqual(client.spec.ports.map((p: Any) => p.name), ["nats", "websocket"]);
    assert.deepEqual(client.spec.ports[1], ws);
    assert.deepEqual(headless.spec.ports[1], ws);
    const sts = r.objects.find((x) => key(x) === "StatefulSet/nats")!;
    const before = base.find((x) => key(x) === "StatefulSet/nats")!;
    assert.deepEqual(container(sts, "nats").ports.filter((p: Any) => p.name !== "websocket"), container(before, "nats").ports);
    assert.deepEqual(container(sts, "nats").ports[1], { name: "websocket", containerPort: 8080 });
  });

  it("the chart's websocket-ingress scenario means the same (conf, ports, Ingress rule)", () => {
    const r = render(manifest({ replicas: 1, jetstream: { enabled: false }, externalAccess: ingressSpec }));
    const ing = findObject(r, "Ingress", "nats-ws") as Any;
    assert.deepEqual(ing.spec, {
      ingressClassName: "nginx",
      tls: [{ hosts: ["nats.example.com"], secretName: "nats-ws-tls" }],
      rules: [{ host: "nats.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "nats", port: { name: "websocket" } } } }] } }],
    });
    // The chart's scenario sets the same two timeouts through merge (shared/anchors/helm-nats-2.14.2/websocket-ingress.values.yaml);
    // natskube adds the key NGINX Inc.'s controller (same class name "nginx") needs to proxy WebSocket at all.
    assert.deepEqual(ing.metadata.annotations, { ...NGINX_WEBSOCKET_ANNOTATIONS, "nginx.org/websocket-services": "nats" });
    assert.deepEqual(container(findObject(r, "StatefulSet", "nats"), "nats").ports.map((p: Any) => p.name), ["nats", "websocket", "monitor"]);
  });

  it("user annotations win over natskube's; no ingressClassName or TLS section when unset", () => {
    const o = objectsOf({ externalAccess: { type: "INGRESS", hostname: "ws.example.com", annotations: { "nginx.ingress.kubernetes.io/proxy-read-timeout": "86400", "cert-manager.io/cluster-issuer": "le" } } });
    const ing = o.find((x) => key(x) === "Ingress/nats-ws") as Any;
    assert.deepEqual(ing.metadata.annotations, {
      "cert-manager.io/cluster-issuer": "le",
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "86400",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
    });
    assert.equal(ing.spec.ingressClassName, undefined);
    assert.equal(ing.spec.tls, undefined);
  });

  it("with server TLS and an nginx class the Ingress re-encrypts by default: websocket tls block, https port, backend TLS for both nginx controllers", () => {
    const r = render(manifest({ tls: { enabled: true }, externalAccess: ingressSpec }));
    const conf = plain(buildConf(r.model));
    assert.deepEqual(conf.websocket, { port: 8080, tls: conf.tls });
    assert.equal((findObject(r, "Service", "nats") as Any).spec.ports[1].appProtocol, "https");
    assert.deepEqual((findObject(r, "Ingress", "nats-ws") as Any).metadata.annotations, {
      ...NGINX_WEBSOCKET_ANNOTATIONS,
      ...NGINX_BACKEND_HTTPS,
      "nginx.org/ssl-services": "nats",
      "nginx.org/websocket-services": "nats",
    });
  });

  it("tlsTermination INGRESS with server TLS: plain WebSocket behind the Ingress, TLS stays on 4222", () => {
    const r = render(manifest({ tls: { enabled: true }, externalAccess: { ...ingressSpec, tlsTermination: "INGRESS" } }));
    const conf = plain(buildConf(r.model));
    assert.deepEqual(conf.websocket, { port: 8080, no_tls: true });
    assert.ok(conf.tls.cert_file);
    assert.equal((findObject(r, "Service", "nats") as Any).spec.ports[1].appProtocol, "http");
    assert.equal((findObject(r, "Ingress", "nats-ws") as Any).metadata.annotations["nginx.ingress.kubernetes.io/backend-protocol"], undefined);
  });

  it("validation: REENCRYPT needs tls.enabled; tlsTermination only with INGRESS", () => {
    const e = errorsOf({ externalAccess: { ...ingressSpec, tlsTermination: "REENCRYPT" } });
    assert.deepEqual(e.map((d) => [d.code, d.path]), [["cross-field", "spec.externalAccess.tlsTermination"]]);
    const lb = errorsOf({ externalAccess: { type: "LOADBALANCER", tlsTermination: "INGRESS" } });
    assert.deepEqual(lb.map((d) => [d.code, d.path]), [["cross-field", "spec.externalAccess.tlsTermination"]]);
    assert.deepEqual(errorsOf({ tls: { enabled: true }, externalAccess: { ...ingressSpec, tlsTermination: "REENCRYPT" } }), []);
    assert.deepEqual(errorsOf({ externalAccess: { ...ingressSpec, tlsTermination: "PASSTHROUGH" } }).map((d) => d.code), ["enum"]);
  });

  it("outputs wss://host", () => {
    assert.equal(stackOutputs(render(manifest({ externalAccess: ingressSpec })).model).clientUrlExternal, "wss://nats.example.com");
  });

  it("passes the Kubernetes schemas (plain and re-encrypting)", async () => {
    await assertValid(objectsOf({ externalAccess: ingressSpec }));
    await assertValid(objectsOf({ tls: { enabled: true }, externalAccess: ingressSpec }));
  });
});

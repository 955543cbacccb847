// Auth, TLS and NetworkPolicy as rendered objects (issue 3). The real server runs these
// configurations in test/integration/auth-tls.test.ts; here: shapes, validation and the secret contract.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { stackOutputs } from "../../src/outputs.js";
import { serverDnsNames } from "../../src/render/certificates.js";
import type { KubeObject } from "../../src/render/object.js";
import { watchedFiles } from "../../src/render/pod/reloader-container.js";
import { generatedSecrets, randomSecret, requiredSecrets, SECRET_LENGTH, withGeneratedSecrets } from "../../src/render/secrets.js";
import { cli } from "../support/cli.js";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { unknownFields, validateWithModels } from "../support/kube.js";
import { diagnosticsOf, findObject, manifest, natsConfOf, render } from "../support/render.js";

type Obj = KubeObject & { spec?: any; data?: Record<string, string>; stringData?: Record<string, string> };

const sts = (objects: readonly KubeObject[]) => objects.find((o) => o.kind === "StatefulSet") as unknown as IStatefulSet;
const container = (objects: readonly KubeObject[], name: string) => sts(objects).spec!.template.spec!.containers.find((c) => c.name === name) as IContainer;
const errorsOf = (text: string) => diagnosticsOf(text).filter((d) => d.severity === "error");
const kinds = (objects: readonly KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

const NAU = { enabled: true, publishSubjects: ["public.>"] };

describe("auth: nats.conf refers to Secret-filled env vars, never values", () => {
  it("TOKEN: an unquoted $NATS_TOKEN, filled from <name>-auth key token", () => {
    const r = render(manifest({ auth: { enabled: true, mode: "TOKEN" } }));
    assert.match(natsConfOf(r), /\nauthorization \{\n {2}token: \$NATS_TOKEN\n\}\n/);
    assert.deepEqual(container(r.objects, "nats").env!.find((e) => e.name === "NATS_TOKEN"), {
      name: "NATS_TOKEN",
      valueFrom: { secretKeyRef: { name: "nats-auth", key: "token" } },
    });
  });

  it("BASIC: one user whose name and password come from the Secret", () => {
    const r = render(manifest({ auth: { enabled: true, mode: "BASIC" } }));
    assert.match(natsConfOf(r), /authorization \{\n {2}users: \[\n {4}\{\n {6}user: \$NATS_USER\n {6}password: \$NATS_PASSWORD\n {4}\}\n {2}\]\n\}/);
    assert.doesNotMatch(natsConfOf(r), /no_auth_user/);
    const env = container(r.objects, "nats").env!.filter((e) => e.name.startsWith("NATS_"));
    assert.deepEqual(
      env.map((e) => [e.name, e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key]),
      [
        ["NATS_USER", "nats-auth", "user"],
        ["NATS_PASSWORD", "nats-auth", "password"],
      ],
    );
  });

  it("Project Planton's scheme maps to the mode: bearer_token = TOKEN, basic_auth = BASIC", () => {
    assert.match(natsConfOf(render(manifest({ auth: { enabled: true, scheme: "bearer_token" } }))), /token: \$NATS_TOKEN/);
    assert.match(natsConfOf(render(manifest({ auth: { enabled: true, scheme: "basic_auth" } }))), /user: \$NATS_USER/);
  });

  it("a Secret you manage: its name and key names, and natskube generates nothing", () => {
    const r = render(manifest({ auth: { enabled: true, mode: "BASIC", secretName: "app-creds", userKey: "username", passwordKey: "pw" } }));
    const refs = container(r.objects, "nats").env!.flatMap((e) => (e.valueFrom?.secretKeyRef ? [`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`] : []));
    assert.deepEqual(refs, ["app-creds/username", "app-creds/pw"]);
    assert.deepEqual(generatedSecrets(r.model), []);
    assert.deepEqual(withGeneratedSecrets(r.model, r.objects), r.objects);
    assert.deepEqual(requiredSecrets(r.model), [{ name: "app-creds", keys: ["username", "pw"], generated: false, purpose: "client credentials" }]);
    assert.deepEqual(stackOutputs(r.model).authSecret, { name: "app-creds", keys: ["username", "pw"] });
  });

  it("auth off: no authorization block, no credential env", () => {
    const r = render(manifest({}));
    assert.doesNotMatch(natsConfOf(r), /authorization|no_auth_user/);
    assert.ok(!container(r.objects, "nats").env!.some((e) => e.name.startsWith("NATS_")));
  });

  it("noAuthUser: a restricted user with a Secret-filled password, publish only to its subjects, subscribe to nothing", () => {
    const r = render(manifest({ auth: { enabled: true, mode: "BASIC", noAuthUser: { enabled: true, publishSubjects: ["public.>", "telemetry.*"] } } }));
    const conf = natsConfOf(r);
    // Not `_INBOX.>`: every user shares one account, so that would be every reply in it (cluster-audit M2).
    assert.match(conf, /\{\n {6}user: "anonymous"\n {6}password: \$NATS_NO_AUTH_PASSWORD\n {6}permissions \{\n {8}publish \{\n {10}allow: \[\n {12}"public\.>"\n {12}"telemetry\.\*"\n {10}\]\n {8}\}\n {8}subscribe \{\n {10}deny: \[\n {12}">"\n {10}\]/);
    assert.doesNotMatch(conf, /_INBOX/);
    assert.match(conf, /\nno_auth_user: "anonymous"\n/);
    const env = container(r.objects, "nats").env!.find((e) => e.name === "NATS_NO_AUTH_PASSWORD");
    assert.deepEqual(env?.valueFrom, { secretKeyRef: { name: "nats-auth", key: "noAuthPassword" } });
    assert.deepEqual(requiredSecrets(r.model)[0]?.keys, ["user", "password", "noAuthPassword"]);
  });
});

describe("noAuthUser.subscribeSubjects", () => {
  it("opts in to the subjects listed, e.g. an inbox prefix of the anonymous clients' own", () => {
    const r = render(manifest({ auth: { enabled: true, mode: "BASIC", noAuthUser: { enabled: true, publishSubjects: ["public.>"], subscribeSubjects: ["_INBOX_anon.>"] } } }));
    assert.match(natsConfOf(r), /subscribe \{\n {10}allow: \[\n {12}"_INBOX_anon\.>"\n {10}\]/);
  });
  it("each is validated as a subject, located", () => {
    const d = errorsOf(manifest({ auth: { enabled: true, mode: "BASIC", noAuthUser: { enabled: true, publishSubjects: ["public.>"], subscribeSubjects: ["ok.>", "bad..subject"] } } }));
    assert.deepEqual(d.map((x) => x.path), ["spec.auth.noAuthUser.subscribeSubjects[1]"]);
  });
});

describe("auth validation", () => {
  it("TOKEN + noAuthUser is an error with a way out (nats-server refuses token + users)", () => {
    const d = errorsOf(manifest({ auth: { enabled: true, mode: "TOKEN", noAuthUser: NAU } }));
    assert.equal(d.length, 1);
    assert.equal(d[0]!.path, "spec.auth.noAuthUser");
    assert.match(d[0]!.message, /token next to users/);
    assert.match(d[0]!.hint!, /mode: BASIC/);
    // Project Planton's default scheme is the same case.
    assert.equal(errorsOf(manifest({ auth: { enabled: true, scheme: "bearer_token", noAuthUser: NAU } })).length, 1);
  });

  it("noAuthUser needs at least one valid subject", () => {
    const none = errorsOf(manifest({ auth: { enabled: true, mode: "BASIC", noAuthUser: { enabled: true } } }));
    assert.deepEqual(none.map((d) => d.path), ["spec.auth.noAuthUser.publishSubjects"]);
    const bad = errorsOf(manifest({ auth: { enabled: true, mode: "BASIC", noAuthUser: { enabled: true, publishSubjects: ["ok.>", "a..b", "x.>.y", "has space", "fo*"] } } }));
    // `fo*` is a literal token to nats-server (it accepts it in a permission), as it is for stream subjects.
    assert.deepEqual(
      bad.map((d) => d.path),
      [1, 2, 3].map((i) => `spec.auth.noAuthUser.publishSubjects[${i}]`),
    );
  });

  it("Secret keys must be valid keys and must not collide", () => {
    assert.equal(errorsOf(manifest({ auth: { enabled: true, tokenKey: "my token" } }))[0]?.path, "spec.auth.tokenKey");
    assert.equal(errorsOf(manifest({ auth: { enabled: true, mode: "BASIC", userKey: "k", passwordKey: "k" } }))[0]?.path, "spec.auth.passwordKey");
    const clash = errorsOf(manifest({ auth: { enabled: true, mode: "BASIC", noAuthUser: { ...NAU, passwordKey: "password" } } }));
    assert.equal(clash[0]?.path, "spec.auth.noAuthUser.passwordKey");
  });

  it("settings that do nothing are warnings", () => {
    const w = diagnosticsOf(manifest({ auth: { enabled: true, mode: "TOKEN", userKey: "u" } })).filter((d) => d.severity === "warning");
    assert.deepEqual(w.map((d) => d.path), ["spec.auth.userKey"]);
    const off = diagnosticsOf(manifest({ auth: { enabled: false, mode: "BASIC" } })).filter((d) => d.severity === "warning");
    assert.deepEqual(off.map((d) => d.path), ["spec.auth.mode"]);
  });
});

describe("generated auth Secret (render --generate-secrets only)", () => {
  it("random letters only (the server re-parses env values as config tokens), at least 32 characters, different every time", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = randomSecret();
      assert.match(s, /^[A-Za-z]+$/);
      assert.ok(s.length >= 32 && s.length === SECRET_LENGTH);
      seen.add(s);
    }
    assert.equal(seen.size, 200);
    const all = [...seen].join("");
    for (const cls of [/[a-z]/, /[A-Z]/]) assert.match(all, cls, "every symbol class is used");
  });

  it("TOKEN: <name>-auth with the configured key, placed before the pods", () => {
    const r = render(manifest({ createNamespace: true, auth: { enabled: true, mode: "TOKEN", tokenKey: "tok" } }));
    const out = withGeneratedSecrets(r.model, r.objects);
    assert.deepEqual(kinds(out).slice(0, 2), ["Namespace/nats", "Secret/nats-auth"]);
    const secret = out[1] as Obj;
    assert.deepEqual(Object.keys(secret.stringData!), ["tok"]);
    assert.match(secret.stringData!["tok"]!, /^[A-Za-z]{40}$/);
    assert.equal((secret as { type?: string }).type, "Opaque");
  });

  it("BASIC with noAuthUser: user, password and the anonymous user's password", () => {
    const r = render(manifest({ auth: { enabled: true, mode: "BASIC", noAuthUser: NAU } }));
    const secret = generatedSecrets(r.model)[0]!;
    assert.deepEqual(Object.keys(secret.stringData!), ["user", "password", "noAuthPassword"]);
    assert.notEqual(secret.stringData!["password"], secret.stringData!["noAuthPassword"]);
  });

  it("without the flag nothing random is rendered: the same input gives the same objects", () => {
    for (const name of EXAMPLES) assert.deepEqual(render(exampleText(name)).objects, render(exampleText(name)).objects);
    assert.ok(!render(exampleText("production")).objects.some((o) => o.kind === "Secret" && o.metadata.name === "nats-auth"));
  });

  it("the CLI: --generate-secrets adds the Secret; validate says it must exist before the pods start", () => {
    const plain = cli(["render", "examples/staging.yaml", "-o", "json"]);
    const gen = cli(["render", "examples/staging.yaml", "-o", "json", "--generate-secrets"]);
    assert.equal(gen.code, 0, gen.stderr);
    const items = (JSON.parse(gen.stdout) as { items: Obj[] }).items;
    const isAuth = (o: Obj) => o.kind === "Secret" && o.metadata.name === "nats-auth";
    assert.deepEqual(items.filter((o) => !isAuth(o)), (JSON.parse(plain.stdout) as { items: Obj[] }).items);
    assert.deepEqual(Object.keys(items.find(isAuth)!.stringData!), ["user", "password"]);
    const v = cli(["validate", "examples/staging.yaml"]);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /note: Secret nats-staging\/nats-auth \(client credentials; keys user, password\) must exist before the pods start; natskube render --generate-secrets creates it/);
    assert.equal(v.stderr, "", "a note, not a diagnostic");
    const nothing = cli(["render", "examples/dev.yaml", "--generate-secrets"]);
    assert.equal(nothing.code, 0);
    assert.match(nothing.stderr, /--generate-secrets generated nothing/);
  });
});

describe("TLS sources", () => {
  const tlsOf = (tls: Record<string, unknown>, extra: Record<string, unknown> = {}) => render(manifest({ replicas: 3, tls: { enabled: true, ...tls }, ...extra }));

  it("tls.enabled alone (Project Planton's tlsEnabled) means certManager.selfSigned, said as an info", () => {
    const r = render(manifest({ replicas: 3, tlsEnabled: true }));
    assert.equal(r.model.tls?.source, "selfSigned");
    assert.deepEqual(kinds(r.objects.filter((o) => o.apiVersion === "cert-manager.io/v1")), ["Issuer/nats-selfsigned", "Certificate/nats-ca", "Issuer/nats-ca", "Certificate/nats-tls"]);
    const info = diagnosticsOf(manifest({ replicas: 3, tls: { enabled: true } })).filter((d) => d.severity === "info");
    assert.equal(info.length, 1);
    assert.match(info[0]!.message, /certManager\.selfSigned/);
  });

  it("selfSigned: self-signed Issuer -> CA Certificate -> CA Issuer -> server Certificate", () => {
    const r = tlsOf({ certManager: { selfSigned: true } });
    const [selfSigned, ca, caIssuer, server] = r.objects.filter((o) => o.apiVersion === "cert-manager.io/v1") as Obj[];
    assert.deepEqual(selfSigned!.spec, { selfSigned: {} });
    assert.equal(ca!.spec.isCA, true);
    assert.deepEqual(ca!.spec.issuerRef, { name: "nats-selfsigned", kind: "Issuer", group: "cert-manager.io" });
    assert.equal(ca!.spec.privateKey.rotationPolicy, "Never", "the CA keeps its key so earlier certificates still verify");
    assert.deepEqual(caIssuer!.spec, { ca: { secretName: ca!.spec.secretName } });
    assert.deepEqual(server!.spec.issuerRef, { name: "nats-ca", kind: "Issuer", group: "cert-manager.io" });
  });

  it("issuerRef: exactly one Certificate with every name, both usages and key rotation", () => {
    const r = tlsOf(
      { certManager: { issuerRef: { name: "corp-ca", kind: "ClusterIssuer" }, duration: "2160h", renewBefore: "360h" } },
      { externalAccess: { type: "LOADBALANCER", hostname: "nats.example.com" } },
    );
    const certs = r.objects.filter((o) => o.apiVersion === "cert-manager.io/v1") as Obj[];
    assert.deepEqual(kinds(certs), ["Certificate/nats-tls"]);
    const spec = certs[0]!.spec;
    assert.equal(spec.secretName, "nats-tls");
    assert.deepEqual(spec.dnsNames, [
      "nats",
      "nats.nats",
      "nats.nats.svc",
      "nats.nats.svc.cluster.local",
      "*.nats-headless",
      "*.nats-headless.nats.svc.cluster.local",
      "nats.example.com",
    ]);
    assert.deepEqual(spec.usages, ["digital signature", "server auth", "client auth"]);
    assert.equal(spec.privateKey.rotationPolicy, "Always");
    assert.deepEqual(spec.issuerRef, { name: "corp-ca", kind: "ClusterIssuer", group: "cert-manager.io" });
    assert.equal(spec.duration, "2160h");
    assert.equal(spec.renewBefore, "360h");
  });

  it("DNS names follow the namespace, the cluster domain and the hostname", () => {
    const r = render(manifest({ namespace: "msg", clusterDomain: "corp.local", tls: { enabled: true } }, { name: "bus" }));
    assert.deepEqual(serverDnsNames(r.model), ["bus", "bus.msg", "bus.msg.svc", "bus.msg.svc.corp.local", "*.bus-headless", "*.bus-headless.msg.svc.corp.local"]);
  });

  it("secretName: no cert-manager objects; the Secret is projected key by key, CA from caKey", () => {
    const r = tlsOf({ secretName: "my-tls", caKey: "issuer.pem" });
    assert.ok(!r.objects.some((o) => o.apiVersion === "cert-manager.io/v1"));
    const vol = sts(r.objects).spec!.template.spec!.volumes!.find((v) => v.name === "nats-tls");
    assert.deepEqual(vol?.secret, {
      secretName: "my-tls",
      items: [
        { key: "tls.crt", path: "tls.crt" },
        { key: "tls.key", path: "tls.key" },
        { key: "issuer.pem", path: "ca.crt" },
      ],
    });
    assert.match(natsConfOf(r), /ca_file: "\/etc\/nats-certs\/nats\/ca\.crt"/);
  });

  it("secretName without caKey: ca.crt when routes need a CA, no CA for a single server", () => {
    assert.equal(tlsOf({ secretName: "my-tls" }).model.tls?.caKey, "ca.crt");
    const solo = render(manifest({ replicas: 1, tls: { enabled: true, secretName: "my-tls" } }));
    assert.equal(solo.model.tls?.caKey, undefined);
    assert.doesNotMatch(natsConfOf(solo), /ca_file/);
    assert.deepEqual(watchedFiles(solo.model), ["/etc/nats-certs/nats/tls.crt", "/etc/nats-certs/nats/tls.key"]);
  });

  it("more than one source is an error; durations must be Go durations; caKey with cert-manager is a warning", () => {
    const two = errorsOf(manifest({ tls: { enabled: true, secretName: "x", certManager: { selfSigned: true } } }));
    assert.match(two[0]!.message, /exactly one certificate source/);
    assert.equal(errorsOf(manifest({ tls: { enabled: true, certManager: { selfSigned: true, duration: "90d" } } }))[0]?.path, "spec.tls.certManager.duration");
    const w = diagnosticsOf(manifest({ tls: { enabled: true, caKey: "x.pem", certManager: { selfSigned: true } } })).filter((d) => d.severity === "warning");
    assert.deepEqual(w.map((d) => d.path), ["spec.tls.caKey"]);
  });
});

describe("TLS in nats.conf, pods and outputs", () => {
  it("client TLS without verify; route TLS with verify; tls:// routes", () => {
    const conf = natsConfOf(render(manifest({ replicas: 3, tls: { enabled: true } })));
    const files = 'cert_file: "/etc/nats-certs/nats/tls.crt"\n {4}key_file: "/etc/nats-certs/nats/tls.key"\n {4}ca_file: "/etc/nats-certs/nats/ca.crt"';
    assert.match(conf, new RegExp(`\\ntls \\{\\n {2}${files.replaceAll(" {4}", " {2}")}\\n {2}timeout: 2\\n\\}`));
    assert.match(conf, new RegExp(`\\n {2}tls \\{\\n {4}${files}\\n {4}verify: true\\n {4}timeout: 2\\n {2}\\}`));
    assert.match(conf, /"tls:\/\/nats-0\.nats-headless:6222"/);
    assert.doesNotMatch(conf, /nats:\/\//);
  });

  it("tls.routes: false keeps client TLS and plain routes", () => {
    const conf = natsConfOf(render(manifest({ replicas: 3, tls: { enabled: true, routes: false } })));
    assert.match(conf, /\ntls \{/);
    assert.doesNotMatch(conf, /verify/);
    assert.match(conf, /"nats:\/\/nats-0\.nats-headless:6222"/);
  });

  it("TLS blocks hold no handshake_first or min_version: both would lock out clients, whatever the image", () => {
    for (const tag of ["2.11.17-alpine", "2.14.2-alpine", "latest"]) {
      const conf = natsConfOf(render(manifest({ replicas: 3, image: { tag }, tls: { enabled: true } })));
      for (const key of ["handshake_first", "min_version"]) assert.ok(!conf.includes(key), `${tag}: ${key}`);
    }
  });

  it("the certificate is mounted read-only in nats and the reloader, which watches its files", () => {
    const r = render(manifest({ replicas: 3, tls: { enabled: true } }));
    for (const c of ["nats", "reloader"])
      assert.deepEqual(container(r.objects, c).volumeMounts!.find((v) => v.name === "nats-tls"), { name: "nats-tls", mountPath: "/etc/nats-certs/nats", readOnly: true });
    const args = container(r.objects, "reloader").args!;
    for (const f of ["ca.crt", "tls.crt", "tls.key"]) assert.ok(args.join(" ").includes(`-config /etc/nats-certs/nats/${f}`), f);
    assert.deepEqual(sts(r.objects).spec!.template.spec!.volumes!.find((v) => v.name === "nats-tls")?.secret, { secretName: "nats-tls" });
  });

  it("outputs show tls:// URLs and where the certificate and its CA are", () => {
    const o = stackOutputs(render(manifest({ replicas: 3, tls: { enabled: true }, externalAccess: { type: "LOADBALANCER", hostname: "nats.example.com" } })).model);
    assert.equal(o.clientUrlInternal, "tls://nats.nats.svc.cluster.local:4222");
    assert.equal(o.clientUrlExternal, "tls://nats.example.com:4222");
    assert.deepEqual(o.tlsSecret, { name: "nats-tls", key: "tls.crt", caKey: "ca.crt" });
  });
});

describe("NetworkPolicy", () => {
  const policies = (spec: Record<string, unknown>) => render(manifest({ replicas: 3, ...spec })).objects.filter((o) => o.kind === "NetworkPolicy") as Obj[];

  it("clients on 4222 from chosen namespaces (and this instance), peers on 6222, monitoring on the metrics ports", () => {
    const [nats, other] = policies({ networkPolicy: { enabled: true, clientNamespaces: ["apps", "batch"], monitoringNamespace: "prom" }, monitoring: { enabled: true } });
    assert.deepEqual(nats!.spec.podSelector, { matchLabels: { "app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": "nats", "app.kubernetes.io/component": "nats" } });
    assert.deepEqual(nats!.spec.policyTypes, ["Ingress"]);
    const ns = (names: string[]) => ({ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: names }] } });
    assert.deepEqual(nats!.spec.ingress, [
      { ports: [{ protocol: "TCP", port: 4222 }], from: [ns(["apps", "batch"]), { podSelector: { matchLabels: { "app.kubernetes.io/instance": "nats" } } }] },
      { ports: [{ protocol: "TCP", port: 6222 }], from: [{ podSelector: { matchLabels: nats!.spec.podSelector.matchLabels } }] },
      { ports: [{ protocol: "TCP", port: 8222 }, { protocol: "TCP", port: 7777 }], from: [ns(["prom"])] },
    ]);
    // Every other pod of the instance (nats-box, NACK) gets no ingress at all.
    assert.deepEqual(other!.spec, {
      podSelector: {
        matchLabels: { "app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": "nats" },
        matchExpressions: [{ key: "app.kubernetes.io/component", operator: "NotIn", values: ["nats"] }],
      },
      policyTypes: ["Ingress"],
    });
  });

  it("no namespaces listed: any pod in the cluster; a LoadBalancer: any source; an Ingress: the WebSocket port too", () => {
    assert.deepEqual(policies({ networkPolicy: { enabled: true } })[0]!.spec.ingress[0].from, [{ namespaceSelector: {} }]);
    const lb = policies({ networkPolicy: { enabled: true }, externalAccess: { type: "LOADBALANCER", hostname: "n.example.com" } })[0]!;
    assert.equal(lb.spec.ingress[0].from, undefined);
    const ing = policies({ networkPolicy: { enabled: true }, externalAccess: { type: "INGRESS", hostname: "n.example.com" } })[0]!;
    assert.deepEqual(ing.spec.ingress[0].ports.map((p: { port: number }) => p.port), [4222, 8080]);
  });

  it("a single server has no route rule; disabled renders nothing; production enables it", () => {
    const solo = render(manifest({ replicas: 1, networkPolicy: { enabled: true } })).objects.find((o) => o.kind === "NetworkPolicy") as Obj;
    assert.ok(!JSON.stringify(solo.spec.ingress).includes("6222"));
    assert.deepEqual(policies({}), []);
    assert.equal(render(exampleText("production")).objects.filter((o) => o.kind === "NetworkPolicy").length, 2);
  });

  it("clientNamespaces behind a LoadBalancer is a warning (the port stays open)", () => {
    const w = diagnosticsOf(manifest({ networkPolicy: { enabled: true, clientNamespaces: ["apps"] }, externalAccess: { type: "LOADBALANCER", hostname: "n.example.com" } }));
    assert.deepEqual(w.filter((d) => d.severity === "warning").map((d) => d.path), ["spec.networkPolicy.clientNamespaces"]);
  });
});

describe("upstream schemas", () => {
  const variants = [
    manifest({ replicas: 3, tls: { enabled: true }, networkPolicy: { enabled: true, clientNamespaces: ["apps"] }, monitoring: { enabled: true } }),
    manifest({ replicas: 3, tls: { enabled: true, certManager: { issuerRef: { name: "ca", kind: "ClusterIssuer" }, duration: "2160h" } }, externalAccess: { type: "INGRESS", hostname: "n.example.com" }, networkPolicy: { enabled: true } }),
    manifest({ replicas: 1, auth: { enabled: true, mode: "BASIC", noAuthUser: NAU }, tls: { enabled: true, secretName: "mine", caKey: "ca.pem" }, networkPolicy: { enabled: true } }),
    ...EXAMPLES.map(exampleText),
  ];
  const objects = () => variants.flatMap((t) => {
    const r = render(t);
    return withGeneratedSecrets(r.model, r.objects);
  });

  it("cert-manager objects, NetworkPolicies, Secrets and StatefulSets pass the model validators", async () => {
    const all = objects();
    const checked = all.filter((o) => ["cert-manager.io/v1", "networking.k8s.io/v1"].includes(o.apiVersion) || ["Secret", "StatefulSet"].includes(o.kind));
    assert.ok(checked.filter((o) => o.kind === "Certificate").length >= 4 && checked.some((o) => o.kind === "Issuer") && checked.some((o) => o.kind === "NetworkPolicy"));
    assert.deepEqual(await validateWithModels(checked), []);
  });

  it("and carry no unknown fields", () => {
    const checked = objects().filter((o) => ["cert-manager.io/v1", "networking.k8s.io/v1"].includes(o.apiVersion) || o.kind === "Secret");
    assert.deepEqual(unknownFields(checked), []);
  });
});

describe("no secret value outside the Secrets rendered on request", () => {
  // Known values through the same generator the CLI uses: render can then be scanned for them.
  let n = 0;
  const counter = (max: number) => (n++ * 7 + 3) % max;

  /** Every string of an object except a Secret's data, with the place it was found. */
  function strings(value: unknown, where: string, out: [string, string][]): [string, string][] {
    if (typeof value === "string") out.push([where, value]);
    else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${where}[${i}]`, out));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) strings(v, `${where}.${k}`, out);
    return out;
  }

  it("in-process render of every example and auth variant: values only in the generated Secret", () => {
    const texts = [...EXAMPLES.map(exampleText), manifest({ replicas: 3, auth: { enabled: true, mode: "BASIC", noAuthUser: NAU }, tls: { enabled: true }, networkPolicy: { enabled: true } })];
    let scanned = 0;
    for (const text of texts) {
      const r = render(text);
      const out = withGeneratedSecrets(r.model, r.objects, counter);
      const secret = out.find((o) => o.kind === "Secret" && o.metadata.name === r.model.names.authSecret) as Obj | undefined;
      if (!r.model.spec.auth.enabled) {
        assert.equal(secret, undefined);
        continue;
      }
      const values = Object.entries(secret!.stringData!).filter(([k]) => k !== r.model.spec.auth.userKey).map(([, v]) => v);
      assert.ok(values.length >= 1);
      for (const o of out.filter((x) => x !== secret)) {
        for (const [where, s] of strings(o, `${o.kind}/${o.metadata.name}`, [])) {
          scanned++;
          for (const v of values) assert.ok(!s.includes(v), `secret value in ${where}`);
        }
      }
      const cliSide = JSON.stringify(stackOutputs(r.model)) + JSON.stringify(requiredSecrets(r.model));
      for (const v of values) assert.ok(!cliSide.includes(v), "outputs and notes name Secrets and keys only");
    }
    assert.ok(scanned > 500, `scanned ${scanned} strings`);
  });

  it("the CLI: render --generate-secrets, outputs and validate never print a value outside the Secret", () => {
    for (const name of EXAMPLES) {
      const r = cli(["render", `examples/${name}.yaml`, "-o", "json", "--generate-secrets"]);
      assert.equal(r.code, 0, r.stderr);
      const items = (JSON.parse(r.stdout) as { items: Obj[] }).items;
      const isAuth = (o: Obj) => o.kind === "Secret" && o.metadata.name.endsWith("-auth");
      const values = items.filter(isAuth).flatMap((s) => Object.entries(s.stringData ?? {}).filter(([k]) => k !== "user").map(([, v]) => v));
      assert.equal(values.length > 0, name !== "dev", name);
      const rest = JSON.stringify(items.filter((o) => !isAuth(o)));
      const printed = r.stderr + cli(["outputs", `examples/${name}.yaml`]).stdout + cli(["validate", `examples/${name}.yaml`]).stdout;
      for (const v of values) {
        assert.ok(!rest.includes(v), `${name}: value outside the Secret`);
        assert.ok(!printed.includes(v), `${name}: value printed`);
      }
    }
  });

  it("credential env vars are always Secret references, never inline values", () => {
    for (const text of [...EXAMPLES.map(exampleText), manifest({ auth: { enabled: true, mode: "BASIC", noAuthUser: NAU } })]) {
      for (const o of render(text).objects) {
        const containers = [...((o as Obj).spec?.template?.spec?.containers ?? []), ...((o as Obj).spec?.template?.spec?.initContainers ?? [])] as IContainer[];
        for (const c of containers)
          for (const e of c.env ?? [])
            if (/TOKEN|PASS|SECRET|CRED|^NATS_USER$/.test(e.name) && !/_(PATH|FILE|DIR)$/.test(e.name)) assert.ok(e.value === undefined && e.valueFrom?.secretKeyRef, `${o.kind}/${o.metadata.name} ${c.name} ${e.name}`);
      }
    }
  });
});

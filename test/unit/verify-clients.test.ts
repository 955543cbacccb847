import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requiredSecrets } from "../../src/render/secrets.js";
import { diagnosticsOf, findObject, manifest, natsConfOf, render } from "../support/render.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const TLS = { enabled: true, secretName: "nats-server-tls", verifyClients: true };
const STREAMS = { nack: { enabled: true }, streams: [{ name: "s", subjects: ["s.>"] }] };
const errorsOf = (spec: Record<string, unknown>) => diagnosticsOf(manifest(spec)).filter((d) => d.severity === "error");

/** The client certificate's paths in nats-box's context, and the Secret items mounted where they point. */
function natsBoxClient(spec: Record<string, unknown>) {
  const r = render(manifest(spec));
  const context = JSON.parse((findObject(r, "Secret", "nats-box-contexts") as Any).stringData["default.json"]);
  const pod = (findObject(r, "Deployment", "nats-box") as Any).spec.template.spec;
  const volume = pod.volumes.find((v: Any) => v.name === "tls-client");
  const mount = pod.containers[0].volumeMounts.find((vm: Any) => vm.name === "tls-client");
  return { r, context, volume, mount };
}

function nack(spec: Record<string, unknown>) {
  const r = render(manifest(spec));
  const pod = (findObject(r, "Deployment", "nats-nack") as Any).spec.template.spec;
  return { r, args: pod.containers[0].args as string[], pod, account: (findObject(r, "Account") as Any).spec };
}

describe("tls.verifyClients", () => {
  it("client TLS verifies certificates against the CA (ca.crt by default with secretName); the other listeners do not", () => {
    const conf = natsConfOf(render(manifest({ tls: TLS, natsBox: { enabled: false }, mqtt: { enabled: true } })));
    assert.match(conf, /^tls \{\n {2}cert_file: .*\n {2}key_file: .*\n {2}ca_file: "[^"]*\/ca\.crt"\n {2}timeout: 2\n {2}verify: true\n\}/m);
    assert.match(conf, /mqtt \{\n {2}port: 1883\n {2}tls \{\n(?: {4}.*\n)* {2}\}/);
    assert.ok(!/mqtt \{[^}]*verify/.test(conf));
  });

  it("with a server Secret you manage and no clientSecretName: refused beside nats-box and NACK, which would have no certificate", () => {
    const box = errorsOf({ tls: TLS });
    assert.deepEqual(box.map((d) => d.path), ["spec.tls.verifyClients"]);
    assert.match(box[0]!.message, /nats-box has no client certificate to present/);
    assert.match(box[0]!.hint!, /tls\.clientSecretName/);
    const streams = errorsOf({ tls: TLS, natsBox: { enabled: false }, ...STREAMS });
    assert.match(streams.map((d) => d.message).join(), /NACK has no client certificate to present/);
    assert.deepEqual(errorsOf({ tls: { ...TLS, clientSecretName: "nats-client" }, ...STREAMS }), []);
  });

  it("a client Secret you manage is listed with the Secrets that must exist (validate's notes); natskube's issued one is not", () => {
    const required = (tls: Record<string, unknown>) => requiredSecrets(render(manifest({ tls })).model).map((s) => [s.name, s.keys, s.generated]);
    assert.deepEqual(required({ ...TLS, clientSecretName: "ops-client" }), [
      ["nats-server-tls", ["tls.crt", "tls.key", "ca.crt"], false],
      ["ops-client", ["tls.crt", "tls.key", "ca.crt"], false],
    ]);
    assert.deepEqual(required({ enabled: true, verifyClients: true }), []);
  });

  it("unused settings warn: verifyClients without TLS, clientSecretName without verifyClients", () => {
    const warnings = (spec: Record<string, unknown>) => diagnosticsOf(manifest(spec)).filter((d) => d.severity === "warning").map((d) => d.path);
    assert.deepEqual(warnings({ tls: { verifyClients: true } }), ["spec.tls.verifyClients"]);
    assert.deepEqual(warnings({ tls: { enabled: true, clientSecretName: "c" } }), ["spec.tls.clientSecretName"]);
  });

  it("with cert-manager: a client Certificate from the server's issuer, client auth only, the server certificate's lifetime", () => {
    for (const [tls, issuer] of [
      [{ enabled: true, verifyClients: true }, { name: "nats-ca", kind: "Issuer", group: "cert-manager.io" }],
      [{ enabled: true, verifyClients: true, certManager: { issuerRef: { name: "corp", kind: "ClusterIssuer" }, duration: "720h" } }, { name: "corp", kind: "ClusterIssuer", group: "cert-manager.io" }],
    ] as const) {
      const r = render(manifest({ tls, natsBox: { enabled: false } }));
      assert.deepEqual(errorsOf({ tls, ...STREAMS }), []);
      const client = (findObject(r, "Certificate", "nats-client-tls") as Any).spec;
      const server = (findObject(r, "Certificate", "nats-tls") as Any).spec;
      assert.deepEqual(client.issuerRef, issuer);
      assert.deepEqual([client.secretName, client.commonName, client.usages, client.dnsNames], ["nats-client-tls", "nats-client", ["digital signature", "client auth"], undefined]);
      assert.deepEqual([client.duration, client.renewBefore], [server.duration, server.renewBefore]);
    }
    // No client Certificate without verifyClients, nor when you name your own.
    for (const tls of [{ enabled: true }, { enabled: true, verifyClients: true, clientSecretName: "mine" }])
      assert.deepEqual(render(manifest({ tls })).objects.filter((o) => o.kind === "Certificate").map((o) => o.metadata.name), ["nats-ca", "nats-tls"]);
  });

  it("nats-box mounts only the client certificate and key, and its context points at them", () => {
    const { context, volume, mount } = natsBoxClient({ tls: { ...TLS, clientSecretName: "box-client" } });
    assert.deepEqual(volume.secret, { secretName: "box-client", items: [{ key: "tls.crt", path: "tls.crt" }, { key: "tls.key", path: "tls.key" }] });
    assert.deepEqual([context.cert, context.key], [`${mount.mountPath}/tls.crt`, `${mount.mountPath}/tls.key`]);
    assert.equal(context.ca, "/etc/nats-certs/nats/ca.crt");
    const issued = natsBoxClient({ tls: { enabled: true, verifyClients: true } });
    assert.equal(issued.volume.secret.secretName, "nats-client-tls");
    const plain = natsBoxClient({ tls: { enabled: true } });
    assert.deepEqual([plain.context.cert, plain.volume], [undefined, undefined]);
  });

  it("NACK presents the client certificate: the controller's flags and the Account, whose one Secret also holds the CA", () => {
    const { args, pod, account } = nack({ tls: { enabled: true, verifyClients: true }, ...STREAMS });
    const mounted = pod.volumes.find((v: Any) => v.name === "nats-client");
    const at = pod.containers[0].volumeMounts.find((vm: Any) => vm.name === "nats-client").mountPath;
    assert.deepEqual(mounted.secret, { secretName: "nats-client-tls", items: [{ key: "tls.crt", path: "tls.crt" }, { key: "tls.key", path: "tls.key" }] });
    assert.deepEqual(args.filter((a) => a.startsWith("--tls")), ["--tlsca=/etc/nats-ca/ca.crt", `--tlscert=${at}/tls.crt`, `--tlskey=${at}/tls.key`]);
    assert.deepEqual(account.tls, { secret: { name: "nats-client-tls" }, ca: "ca.crt", cert: "tls.crt", key: "tls.key" });
    const plain = nack({ tls: { enabled: true }, ...STREAMS });
    assert.deepEqual(plain.account.tls, { secret: { name: "nats-tls" }, ca: "ca.crt" });
    assert.deepEqual(plain.args.filter((a) => a.startsWith("--tls")), ["--tlsca=/etc/nats-ca/ca.crt"]);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diagnosticsOf, manifest, natsConfOf, render } from "../support/render.js";

const TLS = { enabled: true, secretName: "nats-server-tls", verifyClients: true };

describe("tls.verifyClients", () => {
  it("client TLS verifies certificates against the CA (ca.crt by default with secretName); the other listeners do not", () => {
    const conf = natsConfOf(render(manifest({ tls: TLS, natsBox: { enabled: false }, mqtt: { enabled: true } })));
    assert.match(conf, /^tls \{\n {2}cert_file: .*\n {2}key_file: .*\n {2}ca_file: "[^"]*\/ca\.crt"\n {2}timeout: 2\n {2}verify: true\n\}/m);
    assert.match(conf, /mqtt \{\n {2}port: 1883\n {2}tls \{\n(?: {4}.*\n)* {2}\}/);
    assert.ok(!/mqtt \{[^}]*verify/.test(conf));
  });
  it("refused beside nats-box and NACK resources, which have no client certificate; ignored without TLS", () => {
    const errs = (spec: Record<string, unknown>) => diagnosticsOf(manifest(spec)).filter((d) => d.severity === "error").map((d) => d.message);
    assert.match(errs({ tls: TLS }).join(), /verifyClients with nats-box/);
    assert.match(errs({ tls: TLS, natsBox: { enabled: false }, nack: { enabled: true }, streams: [{ name: "s", subjects: ["s.>"] }] }).join(), /NACK would connect without a client certificate/);
    const w = diagnosticsOf(manifest({ tls: { verifyClients: true } })).filter((d) => d.severity === "warning");
    assert.deepEqual(w.map((d) => d.path), ["spec.tls.verifyClients"]);
  });
});

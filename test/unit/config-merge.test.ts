import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diagnosticsOf, manifest, natsConfOf, render } from "../support/render.js";

const errorsOf = (spec: Record<string, unknown>) => diagnosticsOf(manifest(spec)).filter((d) => d.severity === "error").map((d) => `${d.path}: ${d.message}`);

describe("spec.configMerge, the nats.conf escape hatch", () => {
  it("adds keys as nats.conf spells them (snake_case kept), inside rendered blocks too; an example renders the same bytes without it", () => {
    const conf = natsConfOf(render(manifest({ jetstream: { enabled: true }, config_merge: { max_payload: 4194304, write_deadline: "10s", jetstream: { max_outstanding_catchup: 134217728 }, ping_max: null } })));
    assert.match(conf, /^max_payload: 4194304$/m);
    assert.match(conf, /^write_deadline: "10s"$/m);
    assert.match(conf, /jetstream \{\n {2}store_dir: "\/data"\n(?: {2}.*\n)* {2}max_outstanding_catchup: 134217728\n\}/);
    assert.ok(!/ping_max/.test(conf), "null has no nats.conf spelling");
    assert.equal(natsConfOf(render(manifest({}))), natsConfOf(render(manifest({ configMerge: {} }))));
  });

  it("refuses to override a key natskube renders, at the key", () => {
    assert.deepEqual(errorsOf({ replicas: 3, configMerge: { port: 4333, cluster: { name: "x", pool_size: 3 }, http_port: 8223 } }).map((e) => e.split(":")[0]), [
      "spec.configMerge.port",
      "spec.configMerge.cluster.name",
      "spec.configMerge.http_port",
    ]);
    assert.match(errorsOf({ configMerge: { jetstream: { store_dir: "/x" } } }).join(), /nats.conf key jetstream.store_dir is rendered by natskube/);
  });

  it("refuses credentials, which would sit in the ConfigMap", () => {
    const e = errorsOf({ configMerge: { leafnodes: { remotes: [{ url: "nats://a:4222", password: "hunter2" }, { url: "nats://u:p4ss@b:7422" }] } } });
    assert.deepEqual(e.map((x) => x.split(":")[0]), ["spec.configMerge.leafnodes.remotes[0].password", "spec.configMerge.leafnodes.remotes[1].url"]);
    assert.match(e[0]!, /holds a credential: nats.conf is a ConfigMap/);
    assert.deepEqual(errorsOf({ configMerge: { leafnodes: { remotes: [{ url: "nats://b:7422" }] } } }), []);
  });

  it("values must be JSON (strings, numbers, booleans, lists, maps)", () => {
    const d = diagnosticsOf(manifest({}).replace("spec:\n", "spec:\n  configMerge:\n    debug: !!binary aGk=\n"));
    assert.ok(d.some((x) => x.severity === "error"), JSON.stringify(d));
  });
});

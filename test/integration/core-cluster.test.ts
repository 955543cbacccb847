// The core cluster as the pods run it: every example's nats.conf is parsed by the real
// nats-server, and clusters boot on loopback with the pods' env (issue: core render).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { connect } from "@nats-io/transport-node";
import { localTopology } from "../../src/model/topology.js";
import { checkConfig } from "../../src/verify/local-cluster.js";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { bootPods, defer, podsOf, tempDir, tlsSecretFiles, writeFiles } from "../support/local.js";
import { manifest, natsConfOf, render } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";

const bin = natsServerBin();
const HOSTS = ["127.0.8.2", "127.0.8.3", "127.0.8.4", "127.0.8.5", "127.0.8.6"];
const FIRST = HOSTS[0]!;

// Every test that starts processes has a bound: a hung one must fail, not hold the loopback locks.
describe("nats-server accepts every generated nats.conf", { timeout: 30_000 }, () => {
  for (const name of EXAMPLES) {
    it(`examples/${name}.yaml (Kubernetes paths, nats-server -t)`, async (t) => {
      let conf = natsConfOf(render(exampleText(name)));
      const dir = tempDir(t, "natskube-core-");
      // -t opens certificate files: with TLS, check the local-topology twin with real certificates in certs/.
      if (conf.includes("cert_file")) {
        conf = natsConfOf(render(exampleText(name), { topology: localTopology(HOSTS) }));
        writeFiles(dir, (await tlsSecretFiles(t)).files);
      }
      writeFileSync(join(dir, "nats.conf"), conf);
      // The env of the example's first pod, from its rendered StatefulSet (Secret values are throwaway ones).
      const { env } = podsOf(exampleText(name), { firstAddress: FIRST }).plan.servers[0]!;
      const result = await checkConfig(bin, join(dir, "nats.conf"), { env });
      assert.ok(result.ok, result.message);
    });
  }
});

describe("clusters boot on loopback as the pods would run them", { timeout: 45_000 }, () => {
  it("a 1-node server (examples/dev.yaml) is healthy and serves clients", async (t) => {
    const { cluster } = await bootPods(t, exampleText("dev"), { bin, firstAddress: FIRST });
    await cluster.waitHealthy(10_000);
    const nc = await connect({ servers: `nats://${HOSTS[0]}:4222`, timeout: 3000 });
    defer(t, () => nc.close());
    const sub = nc.subscribe("greet", { max: 1 });
    nc.publish("greet", "hi");
    for await (const m of sub) assert.equal(m.string(), "hi");
  });

  it("a 3-node FILE JetStream cluster forms routes and elects a meta leader", async (t) => {
    const started = Date.now();
    const { cluster, plan, leader } = await bootPods(t, manifest({ replicas: 3, jetstream: { persistence: { mode: "FILE", size: "1Gi" } } }), { bin, firstAddress: FIRST, formedWithinMs: 15_000 });
    await cluster.waitRoutes(2, 10_000);
    assert.ok(leader && plan.model.pods.includes(leader), leader);
    await cluster.waitHealthy(10_000);
    t.diagnostic(`routes + meta leader in ${Date.now() - started} ms`);
    // Server names are the pod names, as SERVER_NAME=$(POD_NAME) makes them in Kubernetes.
    const varz = (await (await fetch(`${cluster.servers[1]!.monitorUrl}/varz`)).json()) as { server_name: string; jetstream: { config: { max_storage: number; store_dir: string } } };
    assert.equal(varz.server_name, "nats-1");
    assert.equal(varz.jetstream.config.max_storage, Math.floor((2 ** 30 * 0.9) / 2 ** 20) * 2 ** 20);
    assert.match(varz.jetstream.config.store_dir, /data\/jetstream$/);
  });

  it("a 3-node MEMORY cluster (examples/staging.yaml without auth) forms", async (t) => {
    const text = exampleText("staging").replace(/  auth:\n    enabled: true\n    mode: BASIC[^\n]*\n/, "");
    assert.notEqual(text, exampleText("staging"), "staging example changed shape: update this test");
    const { cluster } = await bootPods(t, text, { bin, firstAddress: FIRST, formedWithinMs: 15_000 });
    const nc = await connect({ servers: `nats://${HOSTS[2]}:4222`, timeout: 3000 });
    defer(t, () => nc.close());
    const jsz = (await (await fetch(`${cluster.servers[0]!.monitorUrl}/jsz`)).json()) as { config: { max_memory: number; max_storage: number } };
    assert.equal(jsz.config.max_memory, 256 * 2 ** 20);
    assert.equal(jsz.config.max_storage, 0);
  });
});

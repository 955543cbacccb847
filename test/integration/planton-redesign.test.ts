// Project Planton's redesigned manifests, rendered and run by the real nats-server (issue: Planton redesign):
// the ones that validate pass `nats-server -t`, and the dev preset boots and means what Planton means
// (one JetStream server, memory streams refused).
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { localTopology } from "../../src/model/topology.js";
import { parseText } from "../../src/pipeline.js";
import { checkConfig } from "../../src/verify/local-cluster.js";
import { verify } from "../../src/verify/verify.js";
import { ROOT } from "../support/cli.js";
import { bootPods, defer, podsOf, tempDir, tlsSecretFiles, writeFiles } from "../support/local.js";
import { natsConfOf, render } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";

const bin = natsServerBin();
const HOSTS = ["127.0.13.2", "127.0.13.3", "127.0.13.4"];
const DIR = join(ROOT, "test", "fixtures", "planton-redesign");
const valid = readdirSync(DIR).filter((f) => !parseText(readFileSync(join(DIR, f), "utf8"), f).diagnostics.some((d) => d.severity === "error"));

/** A redesigned cluster with Planton's own sizes, the widest manifest natskube renders today. */
const CLUSTER = `apiVersion: kubernetes.planton.dev/v1
kind: KubernetesNats
metadata: {name: nats}
spec:
  namespace: {value: nats}
  cluster: {enabled: true}
  jet_stream: {disk_size: 2Gi, max_file_store: 1Gi, memory_store_max_size: 256Mi}
  resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {memory: 512Mi}}
  metrics: {exporter_enabled: true, pod_monitor_enabled: true}
  service: {type: load_balancer}
`;

/** The env of the first pod, from the rendered StatefulSet (throwaway Secret values), for `nats-server -t`. */
const firstPodEnv = (text: string) => podsOf(text, { firstAddress: HOSTS[0]! }).plan.servers[0]!.env;

describe("natskube verify boots every redesign fixture that validates", () => {
  // A v1alpha1 copy renders the same objects as its v1 twin (planton-redesign-fixtures.test.ts): booted once.
  for (const f of valid.filter((v) => !(v.startsWith("v1alpha1-") && valid.includes(v.replace("v1alpha1-", "v1-")))))
    it(f, { timeout: 60_000 }, async () => {
      const r = await verify(join(DIR, f), { firstAddress: "127.0.13.20", timeoutSeconds: 20 });
      assert.ok(r.ok, r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join("\n") + (r.error ?? ""));
      const auth = render(readFileSync(join(DIR, f), "utf8")).model.auth;
      if (auth.users.length > 0) {
        // As Planton's end-to-end check: the first declared user, and no anonymous access without a no-auth user.
        assert.match(r.checks.find((c) => c.name === "clients connect to every server")!.detail, /with user and password/);
        const anonymous = auth.noAuthUser ? `auth: clients without credentials become ${auth.noAuthUser}` : "auth: client without credentials refused";
        assert.ok(r.checks.some((c) => c.name === anonymous && c.ok), r.checks.map((c) => c.name).join(" | "));
      }
    });
});

describe("nats-server runs the redesign's renders", { timeout: 30_000 }, () => {
  assert.ok(valid.length >= 4, `valid fixtures: ${valid.join(", ")}`);
  // Fixtures with TLS need certificates on disk: verify boots those above, with a throwaway CA.
  const plain = valid.filter((f) => !render(readFileSync(join(DIR, f), "utf8")).model.tls);
  for (const [name, text] of [...plain.map((f) => [f, readFileSync(join(DIR, f), "utf8")]), ["a 3-server cluster with Planton's sizes", CLUSTER]] as const)
    it(`${name} (nats-server -t)`, async (t) => {
      const dir = tempDir(t, "natskube-planton-");
      writeFileSync(join(dir, "nats.conf"), natsConfOf(render(text)));
      const result = await checkConfig(bin, join(dir, "nats.conf"), { env: firstPodEnv(text) });
      assert.ok(result.ok, result.message);
    });

  it("client TLS from tls.secretName, routes plain as in Planton (nats-server -t, certificates on disk)", async (t) => {
    const text = CLUSTER.replace("  service:", "  tls: {secret_name: {value: nats-server-tls}}\n  service:");
    const r = render(text, { topology: localTopology(HOSTS) });
    assert.deepEqual([r.model.spec.tls.enabled, r.model.spec.tls.routes], [true, false]);
    const dir = tempDir(t, "natskube-planton-");
    const { "certs/ca.crt": _ca, ...serverFiles } = (await tlsSecretFiles(t)).files;
    writeFiles(dir, serverFiles);
    writeFileSync(join(dir, "nats.conf"), natsConfOf(r));
    const result = await checkConfig(bin, join(dir, "nats.conf"), { env: firstPodEnv(text) });
    assert.ok(result.ok, result.message);
  });

  it("the dev preset boots as one JetStream server that refuses memory streams, as Planton's chart does", async (t) => {
    const { plan, cluster } = await bootPods(t, readFileSync(join(DIR, "v1-preset-01-dev.yaml"), "utf8"), { bin, firstAddress: HOSTS[0]! });
    assert.equal(plan.model.pods.length, 1);
    await cluster.waitHealthy(10_000);
    const nc = await connect({ servers: `nats://${HOSTS[0]}:4222`, timeout: 3000 });
    defer(t, () => nc.close());
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    await jsm.streams.add({ name: "FILE", subjects: ["file.>"] });
    const js = jsm.jetstream();
    assert.equal((await js.publish("file.a", "kept")).seq, 1);
    await assert.rejects(jsm.streams.add({ name: "MEM", subjects: ["mem.>"], storage: "memory" as never }), /insufficient|resources|memory/i);
  });
});

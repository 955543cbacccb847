// The version table (src/nats/server-versions.ts) on the real servers of the matrix: each key is
// accepted (`nats-server -t`) exactly by the versions the table says, and the render for each
// version parses on that version's server and boots as a cluster. The targeted checks pick their
// binary with natsServerOf(version); the boot uses the server this run of the tier targets.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { acceptsKey, CONF_KEYS, type ConfKey } from "../../src/nats/server-versions.js";
import { checkConfig } from "../../src/verify/local-cluster.js";
import { natsServerVersion } from "../../src/verify/server-version.js";
import { bootPods, podsOf, tempDir } from "../support/local.js";
import { manifest } from "../support/render.js";
import { NATS_SERVER_VERSIONS, natsServerBin, natsServerOf } from "../support/tools.js";

const HOSTS = ["127.0.6.2", "127.0.6.3", "127.0.6.4"];
/** A clustered JetStream manifest for image `version`, with strict relaxed (a key of the table). */
const manifestFor = (version: string) => manifest({ replicas: 3, image: { tag: `${version}-alpine` }, jetstream: { persistence: { mode: "FILE", size: "1Gi" }, strict: false } });

/** `nats-server -t` of `conf`, with the env of the first pod of `version`'s render (from its StatefulSet). */
async function check(t: TestContext, bin: string, conf: string, version: string): Promise<{ ok: boolean; message: string }> {
  const dir = tempDir(t, "natskube-versions-");
  writeFileSync(join(dir, "nats.conf"), conf);
  return checkConfig(bin, join(dir, "nats.conf"), { env: podsOf(manifestFor(version), { firstAddress: HOSTS[0]! }).plan.servers[0]!.env });
}

/** The smallest nats.conf that holds each key of the table with a valid value. */
const SNIPPET: Record<ConfKey, string> = {
  "cluster.compression": "cluster { name: c, port: 6222, compression: s2_auto }",
  "cluster.pool_size": "cluster { name: c, port: 6222, pool_size: 3 }",
  "jetstream.sync_interval": "jetstream { sync_interval: \"2m\" }",
  "jetstream.request_queue_limit": "jetstream { request_queue_limit: 10000 }",
  "tls.handshake_first": "tls { cert_file: c.pem, key_file: k.pem, handshake_first: true }",
  "tls.min_version": "tls { cert_file: c.pem, key_file: k.pem, min_version: \"1.2\" }",
  "jetstream.strict": "jetstream { strict: false }",
  "jetstream.max_buffered_msgs": "jetstream { max_buffered_msgs: 10000 }",
  "jetstream.max_buffered_size": "jetstream { max_buffered_size: 1MB }",
  "jetstream.meta_compact": "jetstream { meta_compact: 1000 }",
  "cluster.write_deadline": "cluster { name: c, port: 6222, write_deadline: 10s }",
  write_timeout: "write_timeout: close",
  "jetstream.info_queue_limit": "jetstream { info_queue_limit: 1000 }",
  "jetstream.max_concurrent_io": "jetstream { max_concurrent_io: 8 }",
  "jetstream.limits.default_max_consumers": "jetstream { limits { default_max_consumers: 10 } }",
};

describe("the version table on every server of the matrix", () => {
  for (const version of NATS_SERVER_VERSIONS)
    it(`nats-server ${version} accepts exactly the keys the table gives it`, async (t) => {
      const mismatches: string[] = [];
      for (const key of Object.keys(CONF_KEYS) as ConfKey[]) {
        const r = await check(t, natsServerOf(version), SNIPPET[key], version);
        // A TLS snippet names files that do not exist: past the key, that is the only complaint.
        const accepted = r.ok || (key.startsWith("tls.") && !/unknown field/.test(r.message));
        if (accepted !== acceptsKey(version, key)) mismatches.push(`${key}: table says ${acceptsKey(version, key) ? "accepted" : "rejected"}, the server: ${r.message.split("\n")[0]}`);
      }
      assert.deepEqual(mismatches, []);
    });

  for (const version of NATS_SERVER_VERSIONS)
    it(`the render for ${version} parses on nats-server ${version}`, async (t) => {
      const own = await check(t, natsServerOf(version), podsOf(manifestFor(version), { firstAddress: HOSTS[0]! }).plan.confText, version);
      assert.ok(own.ok, `nats-server ${version}: ${own.message}`);
    });

  it("the render for the running server boots as a 3-node cluster that compresses routes", { timeout: 90_000 }, async (t) => {
    const bin = natsServerBin();
    const version = await natsServerVersion(bin);
    const { cluster } = await bootPods(t, manifestFor(version), { bin, firstAddress: HOSTS[0]!, formedWithinMs: 30_000 });
    // Every route to a peer negotiated s2_auto's mode (on loopback the RTT is low: "uncompressed").
    const routez = (await (await fetch(`${cluster.servers[0]!.monitorUrl}/routez`, { signal: AbortSignal.timeout(2000) })).json()) as { routes?: { remote_name?: string; compression?: string }[] };
    const modes = new Set((routez.routes ?? []).map((r) => r.compression));
    assert.ok((routez.routes ?? []).length >= 2, JSON.stringify(routez));
    assert.deepEqual([...modes].filter((m) => m === undefined || m === "off"), [], `route compression modes ${[...modes].join(", ")}`);
    if (acceptsKey(version, "jetstream.strict")) {
      // /varz omits strict when it is false; the default shows strict: true.
      const varz = (await (await fetch(`${cluster.servers[0]!.monitorUrl}/varz`, { signal: AbortSignal.timeout(2000) })).json()) as { jetstream?: { config?: { strict?: boolean; store_dir?: string } } };
      assert.ok(varz.jetstream?.config?.store_dir, "JetStream runs");
      assert.notEqual(varz.jetstream?.config?.strict, true, "strict: false is in force");
    }
  });
});

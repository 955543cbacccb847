// Keys gated by the target version (src/nats/server-versions.ts), on the real servers of the matrix:
// a render for each version carries the keys that version accepts, and that server parses (`-t`)
// and boots it; a render for an older version leaves out what the older server would reject, and
// that server accepts it. The targeted checks pick their binary with natsServerOf(version); the boot
// uses the server this run of the tier targets.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { localTopology } from "../../src/model/topology.js";
import { acceptsKey, compareVersions } from "../../src/nats/server-versions.js";
import { checkConfig, startLocalCluster } from "../../src/verify/local-cluster.js";
import { natsServerVersion } from "../../src/verify/server-version.js";
import { bootFormed, tempDir as tempDirFor } from "../support/local.js";
import { manifest, natsConfOf, render } from "../support/render.js";
import { NATS_SERVER_VERSIONS, natsServerBin, natsServerOf } from "../support/tools.js";

const HOSTS = ["127.0.6.2", "127.0.6.3", "127.0.6.4"];
const ENV = { POD_NAME: "nats-0", SERVER_NAME: "nats-0", POD_IP: HOSTS[0]! };

const tempDir = (t: TestContext) => tempDirFor(t, "natskube-versions-");

/** A clustered JetStream render for image `version`, with every gated field that version takes. */
function renderFor(version: string): string {
  const strict = acceptsKey(version, "jetstream.strict") ? { strict: false } : {};
  return natsConfOf(render(manifest({ replicas: 3, image: { tag: `${version}-alpine` }, jetstream: { persistence: { mode: "FILE", size: "1Gi" }, ...strict } }), { topology: localTopology(HOSTS) }));
}

async function check(t: TestContext, bin: string, conf: string): Promise<{ ok: boolean; message: string }> {
  const dir = tempDir(t);
  writeFileSync(join(dir, "nats.conf"), conf);
  return checkConfig(bin, join(dir, "nats.conf"), { env: ENV });
}

/** The gated keys as they appear in nats.conf. */
const RENDERED = [
  { key: "cluster.compression", line: /^\s+compression: "s2_auto"$/m, field: "compression" },
  { key: "jetstream.strict", line: /^\s+strict: false$/m, field: "strict" },
] as const;

describe("keys gated by the image's version, on every server of the matrix", () => {
  for (const version of NATS_SERVER_VERSIONS)
    it(`a render for ${version} holds exactly the keys ${version} accepts, and nats-server ${version} parses it`, async (t) => {
      const conf = renderFor(version);
      for (const r of RENDERED) assert.equal(r.line.test(conf), acceptsKey(version, r.key), `${r.key} in the render for ${version}`);
      const own = await check(t, natsServerOf(version), conf);
      assert.ok(own.ok, `nats-server ${version}: ${own.message}`);
    });

  it("a key left out for an older target is one that target's server really rejects", async (t) => {
    let pairs = 0;
    for (const newer of NATS_SERVER_VERSIONS)
      for (const older of NATS_SERVER_VERSIONS.filter((v) => compareVersions(v, newer) < 0)) {
        const missing = RENDERED.filter((r) => acceptsKey(newer, r.key) && !acceptsKey(older, r.key));
        if (missing.length === 0) continue;
        pairs++;
        // The newer render on the older server: refused, naming the gated key.
        const refused = await check(t, natsServerOf(older), renderFor(newer));
        assert.equal(refused.ok, false, `nats-server ${older} accepted the render for ${newer}`);
        assert.match(refused.message, new RegExp(`unknown field "(${missing.map((r) => r.field).join("|")})"`), `${older} on the render for ${newer}`);
      }
    assert.ok(pairs > 0, "the matrix has a version pair that differs in a rendered key");
  });

  it("the render for the running server boots as a 3-node cluster that compresses routes", { timeout: 90_000 }, async (t) => {
    const bin = natsServerBin();
    const version = await natsServerVersion(bin);
    const conf = renderFor(version);
    const { cluster } = await bootFormed(
      t,
      HOSTS.map((host, i) => ({ name: `nats-${i}`, host, confText: conf, env: { POD_NAME: `nats-${i}`, SERVER_NAME: `nats-${i}`, POD_IP: host } })),
      { bin, workDir: tempDir(t) },
      30_000,
    );
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

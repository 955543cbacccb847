// M5 against the real nats-server: what happens to route TLS (always verified) and to clients when
// the private CA is renewed as cert-manager renews natskube's bootstrap CA (same key, new
// certificate). Each server gets the rendered nats.conf and a TLS Secret's three files, as the pod
// mounts them. The rendered durations guarantee that ca.crt is refreshed inside the CA's overlap
// (test/unit/certificate-lifetimes.test.ts); this shows why that is needed and that it is enough.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { connect } from "@nats-io/transport-node";
import { makeRollover, type Rollover } from "../support/ca-rollover.js";
import { bootPods, defer, tempDir } from "../support/local.js";
import { manifest } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";

const HOSTS = ["127.0.12.3", "127.0.12.4", "127.0.12.5"];

type Mounted = { leaf: { cert: string; key: string }; ca: string };

const TEXT = manifest({ replicas: 3, jetstream: { enabled: false }, tls: { enabled: true } });

/** Server i gets the TLS Secret files `mounted[i]` (what its kubelet has synced so far), for bootPods. */
const mountedFiles = (mounted: Mounted[]) => (i: number) => ({ "certs/tls.crt": mounted[i]!.leaf.cert, "certs/tls.key": mounted[i]!.leaf.key, "certs/ca.crt": mounted[i]!.ca });
const PODS = { bin: natsServerBin(), firstAddress: HOSTS[0]! };

/** A client that trusts `ca` (one PEM or a bundle) connects to `host` and round-trips a request. */
async function clientWorks(t: TestContext, host: string, ca: string): Promise<boolean> {
  const file = join(tempDir(t, "natskube-rollover-client-"), "ca.pem");
  writeFileSync(file, ca);
  try {
    const nc = await connect({ servers: `tls://${host}:4222`, tls: { caFile: file }, timeout: 3000, maxReconnectAttempts: 0 });
    defer(t, () => nc.close());
    await nc.flush();
    return true;
  } catch {
    return false;
  }
}

let material: Rollover | undefined;
async function certs(t: TestContext): Promise<Rollover> {
  material ??= await makeRollover(tempDir(t, "natskube-rollover-certs-"), HOSTS);
  return material;
}

describe("private CA renewal with the same key, on the real server", { timeout: 90_000 }, () => {
  it("the window: servers and clients trusting only the expired CA certificate form no routes and refuse clients", async (t) => {
    const c = await certs(t);
    const { cluster } = await bootPods(t, TEXT, { ...PODS, files: mountedFiles(HOSTS.map(() => ({ leaf: c.oldLeaf, ca: c.oldCaExpired }))) });
    await assert.rejects(cluster.waitRoutes(1, 5000), /routes to 1 peer/, "route TLS refuses a peer whose chain ends in an expired root");
    assert.equal(await clientWorks(t, HOSTS[0]!, c.oldCaExpired), false, "a client with the expired root is refused");
    assert.equal(await clientWorks(t, HOSTS[0]!, c.newCa), true, "the same server certificate verifies under the renewed CA");
  });

  it("during the overlap: a pod still holding the old CA certificate and pods with the renewed one form a full mesh", async (t) => {
    const c = await certs(t);
    const { cluster } = await bootPods(t, TEXT, { ...PODS, files: mountedFiles([{ leaf: c.oldLeaf, ca: c.oldCaInOverlap }, { leaf: c.newLeaf, ca: c.newCa }, { leaf: c.newLeaf, ca: c.newCa }]) });
    await cluster.waitRoutes(2, 15_000);
    assert.equal(await clientWorks(t, HOSTS[0]!, c.newCa), true, "a client with the new CA reaches the server with the old certificate");
    assert.equal(await clientWorks(t, HOSTS[1]!, c.oldCaInOverlap), true, "a client not yet updated reaches a server with the new certificate");
  });

  it("after the old CA certificate expires: the renewed one (or a bundle of both) keeps everything verifying", async (t) => {
    const c = await certs(t);
    const { cluster } = await bootPods(t, TEXT, { ...PODS, files: mountedFiles([{ leaf: c.oldLeaf, ca: c.newCa }, { leaf: c.newLeaf, ca: c.newCa }, { leaf: c.newLeaf, ca: c.newCa }]) });
    await cluster.waitRoutes(2, 15_000);
    for (const host of HOSTS) assert.equal(await clientWorks(t, host, c.oldCaExpired + c.newCa), true, `bundle client to ${host}`);
  });
});

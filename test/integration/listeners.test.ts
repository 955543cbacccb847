// WebSocket, MQTT and leaf node listeners on the real nats-server (issue 12): verify's checks pass on
// every server, plain and over TLS; a real leaf server signs in to the rendered leaf node port as a
// declared user and bridges messages both ways; a wrong password is refused there as on 4222.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { parse, stringify } from "yaml";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { connectAsync as mqttConnectAsync } from "mqtt";
import type { VerifyReport } from "../../src/verify/report.js";
import { verify } from "../../src/verify/verify.js";
import { sleep } from "../../src/verify/checks.js";
import { ROOT } from "../support/cli.js";
import { bootPods, defer, tempDir } from "../support/local.js";
import { natsServerBin } from "../support/tools.js";

const bin = natsServerBin();
const FIXTURE = join(ROOT, "test", "fixtures", "users", "listeners.yaml");
// Own loopback ranges: 127.0.23.x for verify, 127.0.24.x for the hub and its leaf.
const HUB = "127.0.24.2";
const LEAF = "127.0.24.9";
const APP_PASSWORD = "LeafAppPasswordOnlyLetters";
const EDGE_PASSWORD = "LeafEdgePasswordOnlyLetters";

const failed = (r: VerifyReport) => r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join("\n") + (r.error ?? "");
const detail = (r: VerifyReport, name: string) => r.checks.find((c) => c.name === name)?.detail ?? `no check "${name}"`;

async function client(t: TestContext, url: string, user: string, pass: string): Promise<NatsConnection> {
  const nc = await connect({ servers: url, user, pass, timeout: 3000, reconnect: false });
  defer(t, () => nc.close());
  return nc;
}

/** A leaf server on `host` whose one remote is the hub's leaf node port, signed in as `user`. */
async function bootLeaf(t: TestContext, host: string, user: string, pass: string): Promise<{ logs: () => string }> {
  const dir = tempDir(t, "natskube-leaf-");
  writeFileSync(join(dir, "leaf.conf"), `listen: ${host}:4222\nserver_name: leaf-${host}\nleafnodes { remotes: [ { url: "nats://${user}:${pass}@${HUB}:7422" } ] }\n`);
  const proc = spawn(bin, ["-c", "leaf.conf"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout.on("data", (d: Buffer) => void (out += d.toString()));
  proc.stderr.on("data", (d: Buffer) => void (out += d.toString()));
  defer(t, () => new Promise<void>((done) => (proc.exitCode !== null ? done() : (proc.once("exit", () => done()), proc.kill("SIGTERM")))));
  return { logs: () => out };
}

async function waitFor(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("listeners on the real server", () => {
  it("verify: WebSocket, MQTT (as a declared user) and leaf node listeners answer on every server", { timeout: 60_000 }, async () => {
    const r = await verify(FIXTURE, { firstAddress: "127.0.23.2", timeoutSeconds: 20 });
    assert.ok(r.ok, failed(r));
    assert.match(detail(r, "WebSocket listener"), /upgraded to WebSocket on 127\.0\.23\.2:8080; the server sent INFO/);
    assert.match(detail(r, "MQTT listener"), /MQTT 3\.1\.1 CONNECT as app accepted/);
    assert.match(detail(r, "leaf node listener"), /leaf node port 127\.0\.23\.2:7422 sent INFO/);
  });

  it("verify with spec.tls: each listener serves the server certificate", { timeout: 60_000 }, async (t) => {
    const doc = parse(readFileSync(FIXTURE, "utf8")) as { spec: Record<string, unknown> };
    doc.spec["tls"] = { enabled: true, certManager: { issuerRef: { name: "ca", kind: "ClusterIssuer" } } };
    doc.spec["replicas"] = 1;
    const file = join(tempDir(t), "tls.yaml");
    writeFileSync(file, stringify(doc));
    const r = await verify(file, { firstAddress: "127.0.23.2", timeoutSeconds: 20 });
    assert.ok(r.ok, failed(r));
    assert.match(detail(r, "WebSocket listener"), /over TLS/);
    assert.match(detail(r, "MQTT listener"), /over TLS/);
    assert.match(detail(r, "leaf node listener"), /requiring TLS/);
  });

  it("an MQTT client (MQTT.js) signs in as a declared user: its publish reaches a NATS subscriber, a NATS publish reaches it", { timeout: 60_000 }, async (t) => {
    const text = readFileSync(FIXTURE, "utf8").replace("replicas: 3", "replicas: 1");
    await bootPods(t, text, { bin, firstAddress: "127.0.24.20", secretEnv: { NATS_PASSWORD_APP: APP_PASSWORD, NATS_PASSWORD_EDGE: EDGE_PASSWORD } });
    const nc = await client(t, "nats://127.0.24.20:4222", "app", APP_PASSWORD);
    const fromMqtt: string[] = [];
    nc.subscribe("sensors.temp", { callback: (_e, m) => void fromMqtt.push(m.string()) });
    await nc.flush();
    const mq = await mqttConnectAsync("mqtt://127.0.24.20:1883", { username: "app", password: APP_PASSWORD, clientId: "natskube-test", reconnectPeriod: 0, connectTimeout: 5000 });
    defer(t, () => mq.endAsync());
    const fromNats: string[] = [];
    mq.on("message", (topic, payload) => void fromNats.push(`${topic}=${payload.toString()}`));
    await mq.subscribeAsync("alerts/#", { qos: 1 });
    await mq.publishAsync("sensors/temp", "21.5", { qos: 1 });
    await waitFor("the MQTT publish on the NATS side", () => fromMqtt.includes("21.5"));
    await waitFor("a NATS publish on the MQTT side", () => {
      nc.publish("alerts.fire", "drill");
      return fromNats.includes("alerts/fire=drill");
    });
    // A wrong password is refused with CONNACK "bad user name or password" (MQTT.js: "Bad username or password").
    await assert.rejects(mqttConnectAsync("mqtt://127.0.24.20:1883", { username: "app", password: "wrong", reconnectPeriod: 0, connectTimeout: 5000 }), /bad user ?name or password|not authorized/i);
  });

  it("a leaf server signs in as a declared user and bridges both ways; a wrong password is refused", { timeout: 60_000 }, async (t) => {
    const text = readFileSync(FIXTURE, "utf8").replace("replicas: 3", "replicas: 1");
    await bootPods(t, text, { bin, firstAddress: HUB, secretEnv: { NATS_PASSWORD_APP: APP_PASSWORD, NATS_PASSWORD_EDGE: EDGE_PASSWORD } });
    const leaf = await bootLeaf(t, LEAF, "app", APP_PASSWORD);
    await waitFor("the leaf to connect", () => /Leafnode connection created/i.test(leaf.logs()));
    // Clients of the leaf are in the leaf's global account, which the remote binds to the hub user's account.
    const onHub = await client(t, `nats://${HUB}:4222`, "app", APP_PASSWORD);
    const onLeaf = await connect({ servers: `nats://${LEAF}:4222`, timeout: 3000, reconnect: false });
    defer(t, () => onLeaf.close());
    const got: string[] = [];
    onHub.subscribe("bridge.up", { callback: (_e, m) => void got.push(`hub:${m.string()}`) });
    onLeaf.subscribe("bridge.down", { callback: (_e, m) => void got.push(`leaf:${m.string()}`) });
    await Promise.all([onHub.flush(), onLeaf.flush()]);
    // Interest crosses the leaf connection asynchronously: repeat until each side has heard the other.
    await waitFor("messages both ways", () => {
      if (!got.includes("hub:up")) onLeaf.publish("bridge.up", "up");
      if (!got.includes("leaf:down")) onHub.publish("bridge.down", "down");
      return got.includes("hub:up") && got.includes("leaf:down");
    });

    const wrong = await bootLeaf(t, "127.0.24.10", "edge", "NotTheEdgePassword");
    await waitFor("the hub to refuse the wrong password", () => /authorization violation|authentication/i.test(wrong.logs()));
  });
});

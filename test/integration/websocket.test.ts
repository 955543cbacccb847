// The websocket block against the real nats-server: a rendered INGRESS config boots on loopback and
// a WebSocket client (RFC 6455, written out below: Node 20 has no WebSocket without a flag) speaks
// NATS on port 8080, with the server's auth, and with TLS when the Ingress re-encrypts.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { describe, it, type TestContext } from "node:test";
import { connect } from "@nats-io/transport-node";
import { AUTH_ENV } from "../../src/conf/auth.js";
import { bootPods, defer, tlsSecretFiles } from "../support/local.js";
import { manifest } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";

const bin = natsServerBin();
const HOSTS = ["127.0.4.1", "127.0.4.2", "127.0.4.3"];
const TOKEN = "WsTok3nValue9";
const WAIT_MS = 5000;
const INGRESS = { type: "INGRESS", hostname: "nats.example.com" };
// spec.websocket.port's default.
const WS_PORT = 8080;

// ---------------------------------------------------------------- a minimal RFC 6455 client

const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

class WsClient {
  private buffered = Buffer.alloc(0);
  /** Payloads of the data frames received so far, concatenated. */
  text = "";
  closed = false;
  private listeners = new Set<() => void>();

  private constructor(private readonly socket: Socket) {}

  /** Upgrades a TCP (or TLS) connection; rejects unless the server answers 101 with the right accept key. */
  static open(host: string, port: number, tls?: { ca: string }): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const key = randomBytes(16).toString("base64");
      const socket = tls ? tlsConnect({ host, port, ca: tls.ca }) : netConnect({ host, port });
      const timer = setTimeout(() => fail(new Error("WebSocket handshake timed out")), WAIT_MS);
      let head = Buffer.alloc(0);
      const fail = (e: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      };
      socket.once(tls ? "secureConnect" : "connect", () =>
        socket.write(
          [`GET / HTTP/1.1`, `Host: ${host}:${port}`, "Upgrade: websocket", "Connection: Upgrade", `Sec-WebSocket-Key: ${key}`,
            "Sec-WebSocket-Version: 13", "Origin: https://nats.example.com", "", ""].join("\r\n"),
        ),
      );
      socket.on("error", fail);
      socket.on("close", () => fail(new Error(`connection closed during the handshake: ${JSON.stringify(head.toString("latin1").slice(0, 200))}`)));
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        const lines = head.subarray(0, end).toString("latin1").split("\r\n");
        const accept = lines.find((l) => /^sec-websocket-accept:/i.test(l))?.split(":")[1]?.trim();
        const expected = createHash("sha1").update(key + WS_GUID).digest("base64");
        if (!/^HTTP\/1\.1 101 /.test(lines[0] ?? "") || accept !== expected) return fail(new Error(`not upgraded: ${lines.join(" | ")}`));
        clearTimeout(timer);
        socket.off("data", onData);
        socket.removeAllListeners("close");
        socket.removeAllListeners("error");
        const client = new WsClient(socket);
        socket.on("data", (d: Buffer) => client.receive(d));
        socket.on("close", () => client.notify(() => (client.closed = true)));
        socket.on("error", () => undefined);
        client.receive(head.subarray(end + 4));
        resolve(client);
      };
      socket.on("data", onData);
    });
  }

  private notify(change: () => void): void {
    change();
    for (const l of this.listeners) l();
  }

  private receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const b = this.buffered;
      if (b.length < 2) break;
      const opcode = b[0]! & 0x0f;
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) break;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) break;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b[1]! & 0x80) offset += 4; // servers never mask, but skip a mask if one is there
      if (b.length < offset + length) break;
      const payload = b.subarray(offset, offset + length);
      this.buffered = b.subarray(offset + length);
      if (opcode <= 2) this.notify(() => (this.text += payload.toString("utf8")));
      else if (opcode === 8) this.notify(() => (this.closed = true));
      else if (opcode === 9) this.frame(0x8a, payload);
    }
  }

  private frame(first: number, payload: Buffer): void {
    const mask = randomBytes(4);
    const len = payload.length;
    const header = len < 126 ? Buffer.from([first, 0x80 | len]) : Buffer.from([first, 0x80 | 126, len >> 8, len & 0xff]);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  /** One binary frame, as NATS WebSocket clients send the protocol. */
  send(text: string): void {
    this.frame(0x82, Buffer.from(text, "utf8"));
  }

  /** Resolves with the first match of `re` in everything received; bounded by WAIT_MS. */
  waitFor(re: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.text.match(re);
        if (m) done(() => resolve(m));
        else if (this.closed) done(() => reject(new Error(`closed before ${re}; received ${JSON.stringify(this.text.slice(-300))}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${re}; received ${JSON.stringify(this.text.slice(-300))}`))), WAIT_MS);
      const done = (f: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        f();
      };
      this.listeners.add(check);
      check();
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

// ---------------------------------------------------------------- helpers

/** Where the rendered pods run (bootPods: their env from the rendered StatefulSet). */
const PODS = { bin, firstAddress: HOSTS[0]! };
const TOKEN_ENV = { secretEnv: { [AUTH_ENV.token]: TOKEN } };

async function openWs(t: TestContext, host: string, tls?: { ca: string }): Promise<WsClient> {
  const ws = await WsClient.open(host, WS_PORT, tls);
  defer(t, () => ws.close());
  return ws;
}

async function info(ws: WsClient): Promise<Record<string, unknown>> {
  const m = await ws.waitFor(/^INFO (\{.*\}) ?\r\n/);
  return JSON.parse(m[1]!) as Record<string, unknown>;
}

const connectLine = (token: string) => `CONNECT ${JSON.stringify({ verbose: false, pedantic: false, protocol: 1, auth_token: token, name: "ws-test" })}\r\n`;

// ---------------------------------------------------------------- tests

// Every test that starts processes has a bound: a hung one must fail, not hold the loopback locks.
describe("websocket block on a booted server", { timeout: 30_000 }, () => {
  it("3 servers, token auth, no_tls: WebSocket clients on 8080 authenticate like TCP clients and reach the whole cluster", async (t) => {
    const { plan: { confText: conf, model }, cluster } = await bootPods(t, manifest({ replicas: 3, jetstream: { enabled: false }, auth: { enabled: true, mode: "TOKEN" }, externalAccess: INGRESS }), { ...PODS, ...TOKEN_ENV });
    assert.match(conf, /websocket \{\n  host: \$POD_IP\n  port: 8080\n  no_tls: true\n\}/);
    await cluster.waitRoutes(2, 10_000);

    // A TCP client on the first server, a WebSocket client on the third.
    const nc = await connect({ servers: `nats://${HOSTS[0]}:4222`, token: TOKEN, timeout: 3000 });
    defer(t, () => nc.close());
    const sub = nc.subscribe("greet.ws", { max: 1 });
    await nc.flush();

    const ws = await openWs(t, HOSTS[2]!);
    const i = await info(ws);
    assert.equal(i["server_name"], model.pods[2]);
    assert.equal(i["auth_required"], true);
    ws.send(connectLine(TOKEN) + "PING\r\n");
    await ws.waitFor(/PONG\r\n/);
    // Subscription interest needs a moment to cross the route; publish until the TCP side hears it.
    const got = (async () => {
      for await (const m of sub) return m.string();
      return undefined;
    })();
    for (let n = 0; n < 50 && !(await Promise.race([got.then(() => true), new Promise((r) => setTimeout(() => r(false), 100))])); n++) {
      ws.send("PUB greet.ws 5\r\nhello\r\n");
    }
    assert.equal(await got, "hello");
  });

  it("a wrong token over WebSocket is refused (the top-level authorization applies to 8080)", async (t) => {
    await bootPods(t, manifest({ replicas: 1, jetstream: { enabled: false }, auth: { enabled: true, mode: "TOKEN" }, externalAccess: INGRESS }), { ...PODS, ...TOKEN_ENV });
    const ws = await openWs(t, HOSTS[0]!);
    await info(ws);
    ws.send(connectLine("NotTheToken1") + "PING\r\n");
    await ws.waitFor(/-ERR 'Authorization Violation'/);
    assert.equal(/PONG/.test(ws.text), false);
  });

  it("BASIC users log in over WebSocket with the same user and password as on 4222", async (t) => {
    const env = { [AUTH_ENV.user]: "admin", [AUTH_ENV.password]: "Passw0rdWsValue" };
    await bootPods(t, manifest({ replicas: 1, jetstream: { enabled: false }, auth: { enabled: true, mode: "BASIC" }, externalAccess: INGRESS }), { ...PODS, secretEnv: env });
    const login = (pass: string) => `CONNECT ${JSON.stringify({ verbose: false, pedantic: false, protocol: 1, user: "admin", pass })}\r\nPING\r\n`;
    const ok = await openWs(t, HOSTS[0]!);
    await info(ok);
    ok.send(login("Passw0rdWsValue"));
    await ok.waitFor(/PONG\r\n/);
    const bad = await openWs(t, HOSTS[0]!);
    await info(bad);
    bad.send(login("WrongPassw0rd"));
    await bad.waitFor(/-ERR 'Authorization Violation'/);
  });

  it("REENCRYPT (tls.enabled): 8080 presents the server certificate; a plain WebSocket is refused", async (t) => {
    const { ca, files } = await tlsSecretFiles(t, [HOSTS[0]!]);
    // An nginx class: natskube re-encrypts by default only for controllers it can tell to speak TLS to the pods.
    const { plan: { confText: conf } } = await bootPods(t, manifest({ replicas: 1, jetstream: { enabled: false }, tls: { enabled: true }, externalAccess: { ...INGRESS, ingressClassName: "nginx" } }), { ...PODS, files: () => files });
    assert.match(conf, /websocket \{[^}]*tls \{\n    cert_file: "certs\/tls\.crt"/);

    const wss = await openWs(t, HOSTS[0]!, { ca: ca.certPem });
    await info(wss);
    wss.send(connectLine("") + "PING\r\n");
    await wss.waitFor(/PONG\r\n/);
    await assert.rejects(WsClient.open(HOSTS[0]!, WS_PORT), /not upgraded|closed|reset|timed out/i);
  });

  it("tlsTermination INGRESS with tls.enabled: 4222 keeps TLS, 8080 is plain for the Ingress", async (t) => {
    const { ca, files } = await tlsSecretFiles(t, [HOSTS[0]!]);
    await bootPods(t, manifest({ replicas: 1, jetstream: { enabled: false }, tls: { enabled: true }, externalAccess: { ...INGRESS, tlsTermination: "INGRESS" } }), { ...PODS, files: () => files });
    // A plain upgrade succeeds (INFO's tls_required describes 4222, not this listener).
    const ws = await openWs(t, HOSTS[0]!);
    await info(ws);
    ws.send(connectLine("") + "PING\r\n");
    await ws.waitFor(/PONG\r\n/);
    const nc = await connect({ servers: `tls://${HOSTS[0]}:4222`, tls: { ca: ca.certPem }, timeout: 3000 });
    defer(t, () => nc.close());
    assert.equal((nc.info as { tls_required?: boolean } | undefined)?.tls_required, true);
  });

  it("without INGRESS there is no WebSocket listener", async (t) => {
    const { plan: { confText: conf } } = await bootPods(t, manifest({ replicas: 1, jetstream: { enabled: false } }), PODS);
    assert.equal(conf.includes("websocket"), false);
    await assert.rejects(WsClient.open(HOSTS[0]!, WS_PORT), /ECONNREFUSED|closed/);
  });
});

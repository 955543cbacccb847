import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { ClientAuth } from "./local-plan.js";
import type { ClientTls } from "./tls-files.js";

/** Opens TCP or TLS (verified against the CA) and gathers what the server sends until `done` says enough. */
function exchange(host: string, port: number, tls: ClientTls | undefined, timeoutMs: number, hello: (s: Socket) => void, done: (got: Buffer) => string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls ? tlsConnect({ host, port, ca: readFileSync(tls.caFile), servername: "localhost" }) : netConnect({ host, port });
    let got = Buffer.alloc(0);
    const finish = (e: Error | undefined, v?: string) => {
      clearTimeout(timer);
      socket.destroy();
      if (e) reject(e);
      else resolve(v!);
    };
    const timer = setTimeout(() => finish(new Error(`no answer on ${host}:${port} within ${timeoutMs} ms (received ${JSON.stringify(got.toString("latin1").slice(0, 120))})`)), timeoutMs);
    socket.once(tls ? "secureConnect" : "connect", () => hello(socket));
    socket.on("error", (e) => finish(new Error(`${host}:${port}: ${e.message}`)));
    socket.on("data", (d: Buffer) => {
      got = Buffer.concat([got, d]);
      try {
        const v = done(got);
        if (v !== undefined) finish(undefined, v);
      } catch (e) {
        finish(e as Error);
      }
    });
  });
}

const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** The WebSocket port upgrades (RFC 6455, checked accept key) and the server speaks NATS over it: its INFO arrives in the first frame. */
export function websocketAnswers(host: string, port: number, tls: ClientTls | undefined, timeoutMs: number): Promise<string> {
  const key = randomBytes(16).toString("base64");
  const request = ["GET / HTTP/1.1", `Host: ${host}:${port}`, "Upgrade: websocket", "Connection: Upgrade", `Sec-WebSocket-Key: ${key}`, "Sec-WebSocket-Version: 13", "", ""].join("\r\n");
  return exchange(host, port, tls, timeoutMs, (s) => s.write(request), (got) => {
    const end = got.indexOf("\r\n\r\n");
    if (end < 0) return undefined;
    const lines = got.subarray(0, end).toString("latin1").split("\r\n");
    const accept = lines.find((l) => /^sec-websocket-accept:/i.test(l))?.split(":")[1]?.trim();
    if (!/^HTTP\/1\.1 101 /.test(lines[0] ?? "") || accept !== createHash("sha1").update(key + WS_GUID).digest("base64"))
      throw new Error(`not upgraded: ${lines[0] ?? "no status line"}`);
    const frame = got.subarray(end + 4);
    if (frame.length < 2) return undefined;
    const len = frame[1]! & 0x7f;
    const offset = len === 126 ? 4 : len === 127 ? 10 : 2;
    const text = frame.subarray(offset).toString("latin1");
    if (!text.includes("\r\n")) return undefined;
    if (!text.startsWith("INFO ")) throw new Error(`upgraded, but the first frame is not INFO: ${JSON.stringify(text.slice(0, 60))}`);
    return `upgraded to WebSocket${tls ? " over TLS" : ""} on ${host}:${port}; the server sent INFO`;
  });
}

/** MQTT 3.1.1 CONNECT with the client's credentials (a token is sent as the password); the server must answer CONNACK 0 (accepted). */
export function mqttAccepts(host: string, port: number, tls: ClientTls | undefined, auth: ClientAuth, timeoutMs: number): Promise<string> {
  const str = (s: string) => {
    const b = Buffer.from(s, "utf8");
    return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
  };
  const user = auth.mode === "user" ? auth.user : auth.mode === "token" ? "token" : undefined;
  const pass = auth.mode === "user" ? auth.pass : auth.mode === "token" ? auth.token : undefined;
  const flags = 0x02 | (user !== undefined ? 0x80 : 0) | (pass !== undefined ? 0x40 : 0); // clean session, user, password
  const body = Buffer.concat([
    str("MQTT"),
    Buffer.from([4, flags, 0, 30]), // protocol level 4 (3.1.1), flags, keep alive 30 s
    str(`natskube-verify-${randomBytes(4).toString("hex")}`),
    ...(user !== undefined ? [str(user)] : []),
    ...(pass !== undefined ? [str(pass)] : []),
  ]);
  const packet = Buffer.concat([Buffer.from([0x10, ...remainingLength(body.length)]), body]);
  return exchange(host, port, tls, timeoutMs, (s) => s.write(packet), (got) => {
    if (got.length < 4) return undefined;
    if (got[0] !== 0x20) throw new Error(`the first packet is not CONNACK (0x${got[0]!.toString(16)})`);
    const code = got[3]!;
    const why = ["accepted", "unacceptable protocol version", "identifier rejected", "server unavailable", "bad user name or password", "not authorized"][code] ?? `code ${code}`;
    if (code !== 0) throw new Error(`CONNACK refused the connection: ${why}`);
    return `MQTT 3.1.1 CONNECT${user !== undefined ? ` as ${auth.mode === "user" ? auth.user : "the token"}` : ""} accepted on ${host}:${port}${tls ? " over TLS" : ""}`;
  });
}

function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** The leaf node port answers as a NATS server does, with INFO (a remote server then signs in; proven in test/integration/listeners.test.ts). */
export function leafnodeAnswers(host: string, port: number, tls: ClientTls | undefined, timeoutMs: number): Promise<string> {
  // A TLS leaf node port sends INFO in clear first (the TLS upgrade follows), so it is read over plain TCP.
  return exchange(host, port, undefined, timeoutMs, () => undefined, (got) => {
    const text = got.toString("latin1");
    if (!text.includes("\r\n")) return undefined;
    if (!text.startsWith("INFO ")) throw new Error(`the leaf node port did not send INFO: ${JSON.stringify(text.slice(0, 60))}`);
    const info = JSON.parse(text.slice(5, text.indexOf("\r\n"))) as { tls_required?: boolean };
    return `leaf node port ${host}:${port} sent INFO${info.tls_required ? " requiring TLS" : ""}${tls && !info.tls_required ? " WITHOUT requiring TLS" : ""}`;
  });
}

import { connect as tcpConnect } from "node:net";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectTo, type ClientAccess } from "./clients.js";

/** How long to wait for INFO before speaking anyway: a port that wants a TLS handshake first sends none. */
const INFO_WAIT_MS = 300;

/**
 * Speaks plaintext NATS protocol to `host:port`: CONNECT + PING after INFO (or after a short wait
 * when no INFO comes). A server enforcing TLS answers with an error or closes the connection; one
 * that answers PONG has accepted a plaintext client.
 */
export function plaintextAttempt(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((done, fail) => {
    const socket = tcpConnect({ host, port });
    let buffer = "";
    let sent = false;
    let infoNote = "no INFO: the port expects a TLS handshake first";
    const timers: NodeJS.Timeout[] = [];
    const finish = (fn: () => void) => {
      for (const t of timers) clearTimeout(t);
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.destroy();
      fn();
    };
    const speak = () => {
      if (sent) return;
      sent = true;
      socket.write('CONNECT {"verbose":false,"pedantic":false,"tls_required":false,"lang":"natskube-verify"}\r\nPING\r\n');
    };
    timers.push(setTimeout(() => finish(() => fail(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`))), timeoutMs));
    socket.on("connect", () => timers.push(setTimeout(speak, INFO_WAIT_MS)));
    socket.on("error", (e) => finish(() => (sent ? done(`refused (${e.message}); ${infoNote}`) : fail(new Error(`cannot reach ${host}:${port}: ${e.message}`)))));
    socket.on("close", () => finish(() => done(`the server closed the plaintext connection; ${infoNote}`)));
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      const info = /^INFO\s+(\{.*\})\s*\r\n/.exec(buffer)?.[1];
      if (info && !sent) {
        const tlsRequired = (JSON.parse(info) as { tls_required?: boolean }).tls_required === true;
        if (!tlsRequired) return finish(() => fail(new Error(`${host}:${port} does not require TLS (INFO tls_required is not true)`)));
        infoNote = "INFO said tls_required";
        speak();
      }
      if (/^PONG\r?$/m.test(buffer)) return finish(() => fail(new Error(`${host}:${port} accepted a plaintext client (PONG)`)));
      const err = /-ERR\s+'([^']*)'/.exec(buffer)?.[1];
      if (err) return finish(() => done(`refused: ${err}; ${infoNote}`));
    });
  });
}

/** A TLS client that does not trust the cluster's CA must fail the handshake. */
export async function untrustedClientRefused(url: string, access: ClientAccess): Promise<string> {
  let nc: NatsConnection | undefined;
  try {
    // TLS with the system's trust store only: no caFile.
    nc = await connectTo(url, { ...access, tls: undefined }, { tls: {} });
  } catch (e) {
    const message = (e as Error).message;
    if (/certificate|self[- ]signed|verify|issuer/i.test(message)) return `refused: ${message}`;
    throw new Error(`failed, but not for the certificate: ${message}`);
  }
  await nc.close();
  throw new Error("a client without the cluster's CA connected");
}

/** tls.verifyClients: a client that trusts the CA but presents no certificate of its own is refused. */
export async function certificatelessClientRefused(url: string, access: ClientAccess): Promise<string> {
  let nc: NatsConnection | undefined;
  try {
    nc = await connectTo(url, { ...access, tls: undefined }, { tls: { caFile: access.tls!.caFile } });
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
  // The server may accept the TCP connection and close it once the handshake shows no certificate.
  const closed = await Promise.race([nc.closed().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
  if (closed) return "the server closed the connection of a client without a certificate";
  await nc.close();
  throw new Error("a client without a certificate connected, though tls.verifyClients is on");
}

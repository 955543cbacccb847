import type { Listener } from "../model/listeners.js";
import type { Model } from "../model/model.js";
import { listenerTls } from "./tls.js";
import { env, type ConfBlock } from "./value.js";

/** Whether the server speaks WebSocket: externalAccess INGRESS, or spec.websocket for in-cluster clients. */
export function websocketEnabled(m: Model): boolean {
  return m.listeners.websocket !== undefined;
}

/** The server's WebSocket port presents the server certificate. */
export function websocketServesTls(m: Model): boolean {
  return m.listeners.websocket?.tls === true;
}

/** host and port of a listener, and its TLS (the client certificate settings) when it serves TLS. */
function listenerBlock(m: Model, l: Listener): ConfBlock {
  const host = m.topology.listenHostVar;
  return { host: host ? env(host) : undefined, port: l.port, ...(l.tls ? { tls: listenerTls(m) } : {}) };
}

/**
 * `websocket {}`. nats-server refuses a WebSocket listener with neither `tls` nor `no_tls`, so one of
 * them is always written. Clients authenticate exactly as on 4222: without its own `authorization`
 * block the listener uses the top-level one.
 */
export function websocketSection(m: Model): ConfBlock | undefined {
  const l = m.listeners.websocket;
  if (!l) return undefined;
  return { ...listenerBlock(m, l), ...(l.tls ? {} : { no_tls: true }) };
}

/** `mqtt {}`: MQTT clients sign in as NATS clients do (the top-level users or token). */
export function mqttSection(m: Model): ConfBlock | undefined {
  const l = m.listeners.mqtt;
  return l ? listenerBlock(m, l) : undefined;
}

/** `leafnodes {}`: remote servers sign in with the credentials of a user (or the token), as clients do. */
export function leafnodesSection(m: Model): ConfBlock | undefined {
  const l = m.listeners.leafnodes;
  return l ? listenerBlock(m, l) : undefined;
}

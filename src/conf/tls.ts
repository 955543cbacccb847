import type { Model } from "../model/model.js";
import type { ConfBlock } from "./value.js";

/** Seconds for the TLS handshake; the server default (0.5 s) is tight for clients behind a load balancer. */
export const TLS_TIMEOUT_SECONDS = 2;

/** Files in the certificate directory; the volume maps the Secret's keys to these names. */
export const CERT_FILES = { cert: "tls.crt", key: "tls.key", ca: "ca.crt" } as const;

function files(m: Model): ConfBlock {
  const dir = m.topology.paths.certDir;
  return {
    cert_file: `${dir}/${CERT_FILES.cert}`,
    key_file: `${dir}/${CERT_FILES.key}`,
    ca_file: m.tls?.caKey ? `${dir}/${CERT_FILES.ca}` : undefined,
  };
}

/**
 * Client TLS (4222). `verify` only with tls.verifyClients: otherwise clients without a certificate of their
 * own must still connect. No `handshake_first` (clients that start in plain text could not connect) and no
 * `min_version` (the server's floor, TLS 1.2, already refuses what is broken; 1.3 only would lock out older clients).
 */
export function clientTls(m: Model): ConfBlock | undefined {
  if (!m.tls) return undefined;
  return { ...listenerTls(m), ...(m.tls.verifyClients ? { verify: true } : {}) };
}

/** The server certificate on the WebSocket, MQTT and leaf node listeners: client certificates are verified on 4222 only. */
export function listenerTls(m: Model): ConfBlock | undefined {
  if (!m.tls) return undefined;
  return { ...files(m), timeout: TLS_TIMEOUT_SECONDS };
}

/**
 * Route TLS (6222): the same certificate in both directions, peers verified against the CA.
 * nats-server forces verification on routes anyway; `verify: true` says so in the file.
 */
export function routeTls(m: Model): ConfBlock | undefined {
  if (!m.tls?.routes) return undefined;
  return { ...files(m), verify: true, timeout: TLS_TIMEOUT_SECONDS };
}

/** The cluster block with route TLS added, when routes are encrypted. */
export function withRouteTls(m: Model, cluster: ConfBlock | undefined): ConfBlock | undefined {
  const tls = routeTls(m);
  return cluster && tls ? { ...cluster, tls } : cluster;
}

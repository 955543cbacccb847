import { join } from "node:path";
import { makeCertificateAuthority, makeServerCertificate } from "./certs.js";
import type { TlsPlan } from "./local-plan.js";

export interface ClientTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface TlsMaterial {
  /** Files for each server's directory, where the Secret volume would put them. */
  serverFiles: Record<string, string>;
  client: ClientTls;
  caFile: string;
}

/**
 * A throwaway CA and one server certificate shared by every server, as the Kubernetes Secret
 * is: the names the Certificate requests, every loopback address (route peers are verified
 * by IP here), and `localhost` (nats.js over TLS to an IP URL checks the name "localhost").
 */
export async function makeTlsMaterial(plan: TlsPlan, addresses: readonly string[], dir: string): Promise<TlsMaterial> {
  const ca = await makeCertificateAuthority(join(dir, "ca"));
  const dnsNames = [...new Set([...plan.dnsNames, "localhost"])];
  const [server, client] = await Promise.all([
    makeServerCertificate(ca, { name: "server", dnsNames, ipAddresses: [...addresses], dir }),
    // For configurations that require client certificates; harmless when they do not.
    makeServerCertificate(ca, { name: "client", dnsNames: ["natskube-verify-client"], ipAddresses: [], dir }),
  ]);
  const content = { cert: server.certPem, key: server.keyPem, ca: ca.certPem };
  const serverFiles: Record<string, string> = {};
  for (const [path, kind] of Object.entries(plan.files)) serverFiles[path] = content[kind];
  return { serverFiles, client: { caFile: ca.certPath, certFile: client.certPath, keyFile: client.keyPath }, caFile: ca.certPath };
}

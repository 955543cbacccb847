/**
 * Where the servers run. In Kubernetes, pods reach each other by DNS through the
 * headless Service and files live at the chart's paths. `verify` runs the same
 * configuration on loopback addresses with files in a temporary directory: a
 * different topology, not an edit of the rendered text.
 */
export interface Topology {
  kind: "kubernetes" | "local";
  /** Host of pod `ordinal` in route URLs. */
  routeHost(ordinal: number, pod: string): string;
  /** Env var holding the address to listen on; unset in Kubernetes (all interfaces). */
  listenHostVar?: string;
  paths: ServerPaths;
}

export interface ServerPaths {
  configDir: string;
  pidDir: string;
  dataDir: string;
  /** Directory of the server certificate (tls.crt, tls.key, ca.crt). */
  certDir: string;
  /** Where nats-box finds the client certificate it presents under tls.verifyClients (tls.crt, tls.key). */
  clientCertDir: string;
}

export const KUBERNETES_PATHS: ServerPaths = {
  configDir: "/etc/nats-config",
  pidDir: "/var/run/nats",
  dataDir: "/data",
  certDir: "/etc/nats-certs/nats",
  clientCertDir: "/etc/nats-certs/client",
};

export function kubernetesTopology(headless: string, namespace: string, clusterDomain: string, fqdn = false): Topology {
  return {
    kind: "kubernetes",
    routeHost: (_i, pod) => (fqdn ? `${pod}.${headless}.${namespace}.svc.${clusterDomain}` : `${pod}.${headless}`),
    paths: KUBERNETES_PATHS,
  };
}

/** Servers on `addresses[i]` (127.0.0.x), with paths relative to each server's working directory. */
export function localTopology(addresses: readonly string[]): Topology {
  return {
    kind: "local",
    routeHost: (i) => {
      const a = addresses[i];
      if (!a) throw new Error(`no loopback address for server ${i}`);
      return a;
    },
    listenHostVar: "POD_IP",
    paths: { configDir: ".", pidDir: ".", dataDir: "data", certDir: "certs", clientCertDir: "client-certs" },
  };
}

import type { KubernetesNats, Spec } from "../spec/types.js";
import { resolveAuth, type AuthModel } from "./auth.js";
import { resolveListeners, type Listeners } from "./listeners.js";
import { type ModelImages, modelImages, versionLabel } from "./images.js";
import { jetstreamAssets, reservation, type JetStreamAssets, type Reservation, type Storage } from "./jetstream-assets.js";
import { goMemLimit, jetstreamLimits, memoryLimitBytes, type JetStreamLimits } from "./jetstream-limits.js";
import { kubernetesTopology, type Topology } from "./topology.js";

export const PORTS = { client: 4222, cluster: 6222, monitor: 8222, metrics: 7777 } as const;
export const LAME_DUCK = { duration: "30s", grace: "10s" } as const;
/** Above lame-duck duration + grace (40s) so Kubernetes never kills a server still draining clients. */
export const TERMINATION_GRACE_SECONDS = 60;
/** The JetStream volume, and the volumeClaimTemplate whose claims are named `nats-js-<pod>`. */
export const JS_VOLUME = "nats-js";
/** The claim of pod `pod` (a StatefulSet names claims `<template>-<pod>`). */
export const jsClaimName = (pod: string) => `${JS_VOLUME}-${pod}`;

export interface Model {
  resource: KubernetesNats;
  spec: Spec;
  name: string;
  namespace: string;
  replicas: number;
  clustered: boolean;
  topology: Topology;
  names: {
    statefulSet: string;
    headless: string;
    client: string;
    config: string;
    serviceAccount: string;
    pdb: string;
    authSecret: string;
    tlsSecret: string;
    natsBox: string;
    natsBoxContexts: string;
    /** LoadBalancer Service (externalAccess LOADBALANCER). */
    external: string;
    /** WebSocket Ingress (externalAccess INGRESS). */
    ingress: string;
    /** Service in front of the exporter ports (monitoring SERVICEMONITOR). */
    metrics: string;
  };
  /** On every object. */
  labels: Record<string, string>;
  /** On the objects Project Planton's module itself creates (Namespace, Secrets), for a manifest in Planton's dialect. */
  moduleLabels: Record<string, string>;
  /** The NATS pods' own labels and annotations: the objects' plus spec.podLabels / spec.podAnnotations. */
  pod: { labels: Record<string, string>; annotations: Record<string, string> };
  annotations: Record<string, string>;
  /** Selects the NATS pods; never includes the version, so upgrades keep the selector. */
  selectorLabels: Record<string, string>;
  /** Labels of another component of the same instance (nats-box, nack, ...). */
  componentLabels(component: string): { labels: Record<string, string>; selector: Record<string, string> };
  /** Resolved image of every container (registry override applied) and the pods' pull Secrets. */
  images: ModelImages;
  pods: string[];
  dns: {
    /** Client Service, shortest to fully qualified. */
    client: string[];
    clientFqdn: string;
    headlessFqdn: string;
  };
  /** Port 4222 is reachable from outside the cluster: externalAccess LOADBALANCER, or a NodePort or LoadBalancer client Service. */
  clientExposed: boolean;
  /** `tls` when clients must use TLS, else `nats`. */
  clientScheme: "tls" | "nats";
  /** The client Service by its fully qualified name (which the server certificate covers): what clients and NACK connect to. */
  clientUrl: string;
  /** The client URL of `host` (a load balancer's hostname, a loopback address). */
  clientUrlAt(host: string): string;
  /**
   * Each server's monitoring endpoint in its pod: plain HTTP on every interface (nats.conf's http_port;
   * TLS never covers it), which the probes, the exporter and `natskube status` read.
   */
  monitor: { scheme: "http"; port: number };
  routeUrls: string[];
  jetstream: JetStreamLimits;
  /** The streams, KV buckets and object stores declared, with storage and replicas resolved. */
  assets: JetStreamAssets;
  /** What their declared maxBytes ask of each server, per storage. */
  reservations: Record<Storage, Reservation>;
  goMemLimit?: string;
  /** The nats container's memory limit in bytes, when set: what the memory store and GOMEMLIMIT derive from. */
  memoryLimit?: number;
  /** Resolved TLS settings; undefined when TLS is off. */
  tls?: TlsModel;
  /** WebSocket, MQTT and leaf node listeners that are open, with their ports and TLS. */
  listeners: Listeners;
  /** Who may sign in and how: the one answer for nats.conf, the pods' environment, Secrets, nats-box and verify. */
  auth: AuthModel;
}

export interface TlsModel {
  /** Where the certificate comes from; `tls.enabled` alone means selfSigned (a private CA bootstrapped by cert-manager). */
  source: "secretName" | "issuerRef" | "selfSigned";
  /** Key of the CA certificate in the TLS Secret (mounted as ca.crt); undefined when no CA is available. */
  caKey?: string;
  /** Routes are encrypted and peers verified against the CA (clustered, and tls.routes not false): the one answer to "do routes use TLS". */
  routes: boolean;
  /** Clients on 4222 must present a certificate the CA signed (tls.verifyClients). */
  verifyClients: boolean;
  /**
   * With verifyClients: the kubernetes.io/tls Secret whose certificate nats-box, NACK and `apply`
   * present; `issued` when natskube's own cert-manager Certificate writes it. Absent when there is none
   * (a Secret you manage for the server and no tls.clientSecretName).
   */
  client?: { secretName: string; issued: boolean };
}

export interface ModelOptions {
  /** Override where servers run (natskube verify); Kubernetes by default. */
  topology?: Topology;
}

export function buildModel(resource: KubernetesNats, options: ModelOptions = {}): Model {
  const spec = resource.spec;
  const name = resource.metadata.name;
  const ns = spec.namespace;
  const domain = spec.clusterDomain;
  const headless = `${name}-headless`;
  const topology = options.topology ?? kubernetesTopology(headless, ns, domain);
  const pods = Array.from({ length: spec.replicas }, (_, i) => `${name}-${i}`);
  const tls = spec.tls.enabled ? resolveTls(spec, name, spec.replicas > 1) : undefined;
  const clientScheme = tls ? "tls" : "nats";
  const clientUrlAt = (host: string) => `${clientScheme}://${host}:${PORTS.client}`;
  const clientFqdn = `${name}.${ns}.svc.${domain}`;

  const base = { "app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": name };
  const extra = { ...(resource.metadata.labels ?? {}), ...plantonLabels(resource) };
  const componentLabels = (component: string) => {
    const selector = { ...base, "app.kubernetes.io/component": component };
    return {
      selector,
      labels: sortKeys({
        ...extra,
        ...selector,
        "app.kubernetes.io/version": versionLabel(spec.image.tag),
        "app.kubernetes.io/managed-by": "natskube",
      }),
    };
  };
  const nats = componentLabels("nats");
  const gml = goMemLimit(spec);
  const memoryLimit = memoryLimitBytes(spec);
  const assets = jetstreamAssets(spec);
  const auth = resolveAuth(spec, name);
  const objectAnnotations = sortKeys(Object.fromEntries(Object.entries(resource.metadata.annotations ?? {}).filter(([k]) => !isToolAnnotation(k))));

  return {
    resource,
    spec,
    name,
    namespace: ns,
    replicas: spec.replicas,
    clustered: spec.replicas > 1,
    topology,
    names: {
      statefulSet: name,
      headless,
      client: name,
      config: `${name}-config`,
      serviceAccount: name,
      pdb: name,
      authSecret: spec.auth.secretName ?? `${name}-auth`,
      tlsSecret: spec.tls.secretName ?? `${name}-tls`,
      natsBox: `${name}-box`,
      natsBoxContexts: `${name}-box-contexts`,
      external: `${name}-external`,
      ingress: `${name}-ws`,
      metrics: `${name}-metrics`,
    },
    labels: nats.labels,
    moduleLabels: sortKeys({ ...nats.labels, ...plantonModuleLabels(resource) }),
    pod: {
      labels: sortKeys({ ...(spec.podLabels ?? {}), ...nats.labels }),
      annotations: sortKeys({ ...objectAnnotations, ...(spec.podAnnotations ?? {}) }),
    },
    annotations: objectAnnotations,
    selectorLabels: nats.selector,
    componentLabels,
    images: modelImages(spec),
    pods,
    dns: {
      client: [name, `${name}.${ns}`, `${name}.${ns}.svc`, `${name}.${ns}.svc.${domain}`],
      clientFqdn,
      headlessFqdn: `${headless}.${ns}.svc.${domain}`,
    },
    clientExposed: spec.externalAccess.type === "LOADBALANCER" || spec.service.type !== "ClusterIP",
    clientScheme,
    clientUrl: clientUrlAt(clientFqdn),
    clientUrlAt,
    monitor: { scheme: "http", port: PORTS.monitor },
    routeUrls: pods.map((pod, i) => `${tls?.routes ? "tls" : "nats"}://${topology.routeHost(i, pod)}:${PORTS.cluster}`),
    jetstream: jetstreamLimits(spec),
    assets,
    reservations: { file: reservation(assets.all, "file", spec.replicas), memory: reservation(assets.all, "memory", spec.replicas) },
    ...(gml ? { goMemLimit: gml } : {}),
    ...(memoryLimit !== undefined ? { memoryLimit } : {}),
    ...(tls ? { tls } : {}),
    auth,
    listeners: resolveListeners(spec),
  };
}

function resolveTls(spec: Spec, name: string, clustered: boolean): TlsModel {
  const t = spec.tls;
  const routes = clustered && t.routes;
  const source = t.secretName ? "secretName" : t.certManager?.issuerRef ? "issuerRef" : "selfSigned";
  // cert-manager's CA-backed issuers write ca.crt; a Secret you manage may have no CA, but verified routes need one.
  const caKey = source !== "secretName" ? "ca.crt" : (t.caKey ?? (routes || t.verifyClients ? "ca.crt" : undefined));
  const client = !t.verifyClients
    ? undefined
    : t.clientSecretName
      ? { secretName: t.clientSecretName, issued: false }
      : source !== "secretName"
        ? { secretName: `${name}-client-tls`, issued: true }
        : undefined;
  return { source, routes, verifyClients: t.verifyClients, ...(caKey ? { caKey } : {}), ...(client ? { client } : {}) };
}

/** Planton's module labels its own objects (PLANTON-REDESIGN.md section 3), never the chart's. */
function plantonModuleLabels(r: KubernetesNats): Record<string, string> {
  if (!r.planton.dialect && !r.planton.redesign) return {};
  return { "planton.ai/resource": "true", "planton.ai/name": r.metadata.name, "planton.ai/kind": "KubernetesNats" };
}

function plantonLabels(r: KubernetesNats): Record<string, string> {
  const out: Record<string, string> = {};
  if (r.metadata.id) out["planton.ai/id"] = r.metadata.id;
  if (r.metadata.org) out["planton.ai/organization"] = r.metadata.org;
  if (r.metadata.env) out["planton.ai/environment"] = r.metadata.env;
  return out;
}

export function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Annotations addressed to tools that read the manifest, not to the objects rendered from it:
 * natskube.dev/* (lint-ignore, replicas-reason) would roll every server when edited if copied onto the pod
 * template; the KRM function annotations (config.kubernetes.io/function, local-config, origin, and kustomize's
 * internal.* bookkeeping) describe the generator, and local-config copied onto every object would make
 * kustomize drop them all.
 */
export function isToolAnnotation(key: string): boolean {
  return key.startsWith("natskube.dev/") || isKrmAnnotation(key);
}

export function isKrmAnnotation(key: string): boolean {
  return key.startsWith("config.kubernetes.io/") || key.startsWith("internal.config.kubernetes.io/");
}

import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { IIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer";
import type { Model } from "../model/model.js";
import { CERT_LIFETIMES } from "../spec/certificate-lifetimes.js";
import { objectMeta } from "./object.js";

const GROUP = "cert-manager.io";
/**
 * The bootstrap CA lives long and keeps its key across renewals, so certificates it signed earlier keep
 * verifying; it renews a year ahead so every server certificate, and with it the ca.crt pods trust, is
 * re-issued from the renewed CA before the old CA certificate expires (spec/certificate-lifetimes.ts).
 */
const CA_DURATION = `${CERT_LIFETIMES.caDurationHours}h`;
const CA_RENEW_BEFORE = `${CERT_LIFETIMES.caRenewBeforeHours}h`;

type IssuerRef = { name: string; kind: string; group: string };

/** Every name clients and peers use, which is what the server certificate must cover. */
export function serverDnsNames(m: Model): string[] {
  const { headless } = m.names;
  const ea = m.spec.externalAccess;
  const names = [
    ...m.dns.client,
    // Routes dial <pod>.<headless> (or its FQDN): wildcards cover every pod, present and future.
    `*.${headless}`,
    `*.${m.dns.headlessFqdn}`,
    ...(ea.type !== "NONE" && ea.hostname ? [ea.hostname] : []),
  ];
  return [...new Set(names)];
}

export const caNames = (m: Model) => ({ selfSignedIssuer: `${m.name}-selfsigned`, caCertificate: `${m.name}-ca`, caIssuer: `${m.name}-ca`, caSecret: `${m.name}-ca` });

/**
 * cert-manager objects for TLS: none for a Secret you manage, the server Certificate for issuerRef, the
 * bootstrap chain for selfSigned; with verifyClients, the client Certificate from the same issuer.
 */
export function certificates(m: Model): (ICertificate | IIssuer)[] {
  const tls = m.tls;
  if (!tls || tls.source === "secretName") return [];
  const ref = m.spec.tls.certManager?.issuerRef;
  if (tls.source === "issuerRef" && ref) return leafCertificates(m, { name: ref.name, kind: ref.kind, group: ref.group });
  const n = caNames(m);
  const selfSigned: IIssuer = { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: objectMeta(m, n.selfSignedIssuer), spec: { selfSigned: {} } };
  const ca: ICertificate = {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: objectMeta(m, n.caCertificate),
    spec: {
      isCA: true,
      commonName: `${m.name}-nats-ca`.slice(0, 64),
      secretName: n.caSecret,
      secretTemplate: { labels: m.labels },
      duration: CA_DURATION,
      renewBefore: CA_RENEW_BEFORE,
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Never" },
      issuerRef: { name: n.selfSignedIssuer, kind: "Issuer", group: GROUP },
    },
  };
  const caIssuer: IIssuer = { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: objectMeta(m, n.caIssuer), spec: { ca: { secretName: n.caSecret } } };
  return [selfSigned, ca, caIssuer, ...leafCertificates(m, { name: n.caIssuer, kind: "Issuer", group: GROUP })];
}

function leafCertificates(m: Model, issuerRef: IssuerRef): ICertificate[] {
  const client = m.tls?.client;
  return [serverCertificate(m, issuerRef), ...(client?.issued ? [clientCertificate(m, client.secretName, issuerRef)] : [])];
}

/** Lifetime as the server certificate's: the CA's overlap is sized against it. */
function lifetime(m: Model): { duration: string; renewBefore?: string } {
  const cm = m.spec.tls.certManager;
  return {
    duration: cm?.duration ?? `${CERT_LIFETIMES.leafDurationHours}h`,
    ...(cm?.renewBefore ? { renewBefore: cm.renewBefore } : cm?.duration ? {} : { renewBefore: `${CERT_LIFETIMES.leafRenewBeforeHours}h` }),
  };
}

/**
 * The certificate natskube's own clients present under tls.verifyClients (nats-box, NACK, `apply`).
 * Client auth only: it names no host, so it cannot serve as a server certificate.
 */
function clientCertificate(m: Model, secretName: string, issuerRef: IssuerRef): ICertificate {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: objectMeta(m, secretName),
    spec: {
      secretName,
      secretTemplate: { labels: m.labels },
      commonName: `${m.name}-client`.slice(0, 64),
      usages: ["digital signature", "client auth"],
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      ...lifetime(m),
      issuerRef,
    },
  };
}

function serverCertificate(m: Model, issuerRef: IssuerRef): ICertificate {
  const fqdn = m.dns.clientFqdn;
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: objectMeta(m, m.names.tlsSecret),
    spec: {
      secretName: m.names.tlsSecret,
      secretTemplate: { labels: m.labels },
      // Some issuers (Vault roles) still require a common name; X.509 caps it at 64 characters.
      commonName: fqdn.length <= 64 ? fqdn : m.names.client,
      dnsNames: serverDnsNames(m),
      // One certificate serves clients and both ends of every route.
      usages: ["digital signature", "server auth", "client auth"],
      // A new key on every renewal; the reloader hands the renewed files to nats-server.
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      // Written out even at cert-manager's defaults: the CA's overlap is sized against them.
      ...lifetime(m),
      issuerRef,
    },
  };
}

import { parseGoDuration } from "../nats/durations.js";

const HOUR_NS = 3600e9;

/**
 * Lifetimes of the certificates cert-manager issues for natskube, in hours, and the one relation
 * that keeps a private CA's renewal invisible (docs/security.md "Rotation").
 *
 * The bootstrap CA is renewed with the same key (rotationPolicy Never), so certificates it signed
 * before keep verifying under the renewed CA certificate. But pods and clients trust `ca.crt` of the
 * server's Secret, which cert-manager rewrites only when it re-issues the server certificate; until
 * then they hold the old CA certificate, and Go and OpenSSL refuse an expired root. So the server
 * certificate must be re-issued at least once between the CA's renewal and the old CA certificate's
 * expiry: its renewal interval (duration - renewBefore) plus a margin must fit in the CA's renewBefore.
 */
export const CERT_LIFETIMES = {
  caDurationHours: 43800, // 5 years
  /** A year of overlap: covers any server certificate of up to ~11 months, with the margin. */
  caRenewBeforeHours: 8760,
  /** cert-manager's own defaults (90 days, renewed at 2/3), written out so the relation is visible in the render. */
  leafDurationHours: 2160,
  leafRenewBeforeHours: 720,
  /** cert-manager retries a failed issuance with backoff of up to 32 h; the kubelet syncs Secrets within minutes. */
  marginHours: 168,
} as const;

const hours = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const ns = parseGoDuration(text);
  return ns === undefined ? undefined : ns / HOUR_NS;
};

export interface LeafLifetime {
  durationHours: number;
  renewBeforeHours: number;
}

/** The server certificate's lifetime as rendered: the manifest's values, else natskube's defaults (cert-manager's). */
export function leafLifetime(cm: { duration?: string | undefined; renewBefore?: string | undefined } | undefined): LeafLifetime | undefined {
  const d = cm?.duration === undefined ? CERT_LIFETIMES.leafDurationHours : hours(cm.duration);
  // cert-manager's default renewBefore is a third of the duration.
  const r = cm?.renewBefore === undefined ? (cm?.duration === undefined ? CERT_LIFETIMES.leafRenewBeforeHours : d === undefined ? undefined : d / 3) : hours(cm.renewBefore);
  return d === undefined || r === undefined ? undefined : { durationHours: d, renewBeforeHours: r };
}

/** The longest a server certificate (and with it ca.crt) goes without being re-issued. */
export const renewalIntervalHours = (l: LeafLifetime): number => l.durationHours - l.renewBeforeHours;

/** Largest renewal interval the bootstrap CA's overlap covers. */
export const maxLeafRenewalIntervalHours = (): number => CERT_LIFETIMES.caRenewBeforeHours - CERT_LIFETIMES.marginHours;

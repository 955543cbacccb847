// M5 of the cluster audit: the private CA and the server certificate roll over without a window in
// which pods trust only an expired root. The rendered durations must keep one relation: the server
// certificate (whose Secret's ca.crt is what every pod and client trusts) is re-issued at least once
// inside the CA's renewal overlap, with a margin (src/spec/certificate-lifetimes.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseGoDuration } from "../../src/nats/durations.js";
import { CERT_LIFETIMES } from "../../src/spec/certificate-lifetimes.js";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { diagnosticsOf, manifest, render } from "../support/render.js";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const h = (d: string | undefined): number => {
  assert.ok(d, "a duration is rendered");
  return parseGoDuration(d)! / 3600e9;
};

/** CA and server Certificate of a render (the CA only with the bootstrap chain). */
function certificates(text: string): { ca?: Any; leaf: Any } {
  const certs = render(text).objects.filter((o) => o.kind === "Certificate") as Any[];
  const ca = certs.find((c) => c.spec.isCA);
  const leaf = certs.find((c) => !c.spec.isCA);
  assert.ok(leaf, "a server Certificate");
  return { ...(ca ? { ca } : {}), leaf };
}

/** The relation, on rendered objects only: what cert-manager will do with them. */
function assertNoExpiredRootWindow(ca: Any, leaf: Any): void {
  const leafDuration = h(leaf.spec.duration);
  // cert-manager renews at 2/3 of the lifetime when renewBefore is unset.
  const leafRenewBefore = leaf.spec.renewBefore ? h(leaf.spec.renewBefore) : leafDuration / 3;
  const caDuration = h(ca.spec.duration);
  const caRenewBefore = h(ca.spec.renewBefore);
  assert.equal(ca.spec.privateKey.rotationPolicy, "Never", "the renewed CA keeps its key: earlier certificates still verify under it");
  assert.ok(leafRenewBefore < leafDuration && caRenewBefore < caDuration, "cert-manager accepts both");
  assert.ok(
    leafDuration - leafRenewBefore + CERT_LIFETIMES.marginHours <= caRenewBefore,
    `the server certificate (re-issued every ${leafDuration - leafRenewBefore}h) must be re-issued inside the CA's ${caRenewBefore}h overlap with ${CERT_LIFETIMES.marginHours}h to spare`,
  );
}

describe("certificate lifetimes: no window with an expired root", () => {
  for (const name of EXAMPLES) {
    it(`${name}: the rendered CA and server certificate keep the relation`, (t) => {
      const text = exampleText(name);
      if (!render(text).objects.some((o) => o.kind === "Certificate")) return t.skip("no cert-manager certificates in this example");
      const { ca, leaf } = certificates(text);
      if (ca) assertNoExpiredRootWindow(ca, leaf);
    });
  }

  it("the bootstrap CA (tls.enabled alone) with cert-manager's default server lifetime: written out and related", () => {
    const { ca, leaf } = certificates(manifest({ tls: { enabled: true } }));
    assert.deepEqual([leaf.spec.duration, leaf.spec.renewBefore], ["2160h", "720h"]);
    assert.deepEqual([ca!.spec.duration, ca!.spec.renewBefore], ["43800h", "8760h"]);
    assertNoExpiredRootWindow(ca!, leaf);
  });

  it("your durations: kept when they fit; a located error when they do not", () => {
    const ok = certificates(manifest({ tls: { enabled: true, certManager: { selfSigned: true, duration: "8760h", renewBefore: "720h" } } }));
    assert.deepEqual([ok.leaf.spec.duration, ok.leaf.spec.renewBefore], ["8760h", "720h"]);
    assertNoExpiredRootWindow(ok.ca!, ok.leaf);
    const onlyDuration = certificates(manifest({ tls: { enabled: true, certManager: { selfSigned: true, duration: "4320h" } } }));
    assert.equal(onlyDuration.leaf.spec.renewBefore, undefined, "cert-manager's default (a third) applies");
    assertNoExpiredRootWindow(onlyDuration.ca!, onlyDuration.leaf);

    const tooLong = diagnosticsOf(manifest({ tls: { enabled: true, certManager: { selfSigned: true, duration: "17520h", renewBefore: "720h" } } }));
    const d = tooLong.find((x) => x.path === "spec.tls.certManager.duration");
    assert.ok(d && d.severity === "error" && d.source && d.hint, JSON.stringify(tooLong));
    assert.match(d.message, /expired CA certificate/);

    const inverted = diagnosticsOf(manifest({ tls: { enabled: true, certManager: { selfSigned: true, duration: "720h", renewBefore: "720h" } } }));
    assert.ok(inverted.some((x) => x.path === "spec.tls.certManager.renewBefore" && x.severity === "error"), JSON.stringify(inverted));
  });

  it("your own issuer: its CA's lifetime is yours, so long server certificates are accepted", () => {
    const text = manifest({ tls: { enabled: true, certManager: { issuerRef: { name: "corp", kind: "ClusterIssuer" }, duration: "17520h", renewBefore: "720h" } } });
    assert.deepEqual(diagnosticsOf(text).filter((x) => x.severity === "error"), []);
    assert.equal(certificates(text).ca, undefined);
  });
});

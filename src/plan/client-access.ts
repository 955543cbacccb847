import type { ConfBlock } from "../conf/value.js";
import { PORTS } from "../model/model.js";
import { change, type ObjectContext } from "./change.js";
import { isPlainObject, pathString, type FieldDiff } from "./diff.js";
import { applyStep } from "./procedures.js";
import type { Change } from "./types.js";

const asksForCertificate = (conf: ConfBlock | undefined): boolean => isPlainObject(conf?.["tls"]) && (conf["tls"] as ConfBlock)["verify"] === true;

/**
 * tls.verify turned on for 4222 (tls.verifyClients). On a server that already serves TLS, nats-server
 * reloads it in place and keeps the connections it has, so applying breaks nothing you can see: each
 * client without a certificate the CA signed is refused later, when it next connects (a rolling
 * restart, a drained node, a network blip). Turned on together with TLS, it comes with the restart
 * that TLS needs (the certificate files arrive with the new pod template), and every client reconnects then.
 */
export function clientCertificateChanges(ctx: ObjectContext, ds: readonly FieldDiff[]): Change[] {
  const before = ctx.oldSide.confs.get(ctx.key);
  const after = ctx.newSide.confs.get(ctx.key);
  if (!before || asksForCertificate(before) || !asksForCertificate(after)) return [];
  const paths = ds.filter((d) => d.segs[2] === "tls").map((d) => pathString(d.segs));
  const f = ctx.newCluster ?? ctx.oldCluster;
  // The client Service has the StatefulSet's name (as rendered), and the server certificate covers it.
  const url = `tls://${f ? `${f.name}.${f.namespace}.svc` : "<client Service>"}:${PORTS.client}`;
  const when = isPlainObject(before["tls"])
    ? "nats-server reloads tls.verify in place and keeps the connections it has, so nothing fails when you apply: the refusals come at the next rolling restart, node drain or reconnect, from every client that has no certificate"
    : "TLS comes on at the same time, at each server's restart: every client reconnects then, and each one without a certificate is refused";
  return [
    change("in-place", "attention", "4222 starts asking every client for a certificate the CA signed (tls.verifyClients): clients without one are refused at their next connect", paths, [
      `${when} (the server logs "TLS handshake error: client didn't provide a certificate").`,
      "natskube's own clients (nats-box, NACK, apply's scale-down) present the client Secret: tls.clientSecretName, or <name>-client-tls from natskube's cert-manager Certificate.",
    ], [
      `First give every application that connects on 4222 a certificate the CA signed and its key (e.g. a cert-manager Certificate from the same issuer with usages [client auth]), and check one: nats --tlsca ca.crt --tlscert tls.crt --tlskey tls.key -s ${url} rtt`,
      applyStep(ctx.newFile),
    ]),
  ];
}

import type { PathSegment } from "../../diagnostics/diagnostic.js";
import { PORTS } from "../../model/model.js";
import { setButUnused, type RuleFinding, type ValidationRule } from "./rule.js";

const LISTENERS = ["websocket", "mqtt", "leafnodes"] as const;
// The ports natskube's servers always or optionally listen on.
const FIXED: Record<number, string> = { [PORTS.client]: "the client port", [PORTS.cluster]: "the cluster port", [PORTS.monitor]: "the monitoring port", [PORTS.metrics]: "the exporter's metrics port" };

/** WebSocket, MQTT and leaf node listeners: what nats-server refuses, and settings that do nothing. */
export const listenerRules: ValidationRule = ({ resource, isSet }) => {
  const spec = resource.spec;
  const out: RuleFinding[] = [];
  const ingress = spec.externalAccess.type === "INGRESS";
  const used = new Map<number, string>(Object.entries(FIXED).map(([p, what]) => [Number(p), what]));
  for (const name of LISTENERS) {
    const l = spec[name];
    const at = (...p: PathSegment[]): PathSegment[] => ["spec", name, ...p];
    const open = l.enabled || (name === "websocket" && ingress);
    if (!open) {
      out.push(...setButUnused(isSet, at(), ["port", "tls"], (k) => `${name}.${k} has no effect while ${name}.enabled is false`, `Set ${name}.enabled: true, or remove it.`));
      continue;
    }
    if (name === "websocket" && ingress && isSet(at("tls")))
      out.push({
        code: "cross-field",
        severity: "warning",
        path: at("tls"),
        message: "websocket.tls has no effect with externalAccess INGRESS: externalAccess.tlsTermination decides whether the WebSocket port serves TLS",
        hint: "Remove websocket.tls, or set externalAccess.tlsTermination (REENCRYPT or INGRESS).",
      });
    else if (l.tls === true && !spec.tls.enabled)
      out.push({ code: "cross-field", path: at("tls"), message: `${name}.tls needs the server certificate, but spec.tls is off`, hint: "Set tls.enabled: true (and a certificate source), or remove the listener's tls." });
    const other = used.get(l.port);
    if (other !== undefined)
      out.push({ code: "cross-field", path: at("port"), message: `${name}.port ${l.port} is also ${other}: two listeners cannot share a port`, hint: "Choose another port (defaults: WebSocket 8080, MQTT 1883, leaf nodes 7422)." });
    used.set(l.port, `the ${name} port`);
  }
  if (spec.mqtt.enabled && !spec.jetstream.enabled)
    out.push({
      code: "cross-field",
      path: ["spec", "mqtt", "enabled"],
      message: 'MQTT needs JetStream: sessions, subscriptions and retained messages live in streams, and nats-server refuses to start without it ("mqtt requires JetStream to be enabled")',
      hint: "Set jetstream.enabled: true, or remove mqtt.",
    });
  return out;
};

import type { Model } from "../model/model.js";
import { authSection } from "./auth.js";
import { clusterSection } from "./cluster.js";
import { jetstreamSection } from "./jetstream.js";
import { mergeConf } from "./merge.js";
import { serializeConf } from "./serialize.js";
import { serverSection } from "./server.js";
import { clientTls, withRouteTls } from "./tls.js";
import type { ConfBlock } from "./value.js";
import { leafnodesSection, mqttSection, websocketSection } from "./listeners.js";

/** nats.conf as data: what natskube renders, then spec.configMerge's own keys. */
export function buildConf(m: Model): ConfBlock {
  return mergeConf(renderedConf(m), m.spec.configMerge);
}

/** What natskube renders, one section per function, in a fixed order (configMerge may not override it). */
export function renderedConf(m: Model): ConfBlock {
  return {
    ...serverSection(m),
    ...authSection(m),
    tls: clientTls(m),
    cluster: withRouteTls(m, clusterSection(m)),
    websocket: websocketSection(m),
    mqtt: mqttSection(m),
    leafnodes: leafnodesSection(m),
    jetstream: jetstreamSection(m),
  };
}

export function natsConf(m: Model): string {
  return serializeConf(
    buildConf(m),
    `nats.conf for ${m.name}, rendered by natskube from KubernetesNats ${m.namespace}/${m.name}.\nSecrets are environment references filled from Kubernetes Secrets, never values.`,
  );
}

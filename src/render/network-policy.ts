import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyIngressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import { PORTS, type Model } from "../model/model.js";
import { objectMeta } from "./object.js";

/** Set by Kubernetes (1.22+) on every namespace: selects a namespace by name. */
const NAMESPACE_NAME = "kubernetes.io/metadata.name";

const tcp = (...ports: number[]): INetworkPolicyPort[] => ports.map((port) => ({ protocol: "TCP", port }));
const namespaces = (names: string[]): INetworkPolicyPeer => ({
  namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME, operator: "In", values: names }] },
});

/**
 * Who may reach the NATS pods: clients on 4222 (and the WebSocket port behind an Ingress), peers on 6222,
 * the monitoring namespace on the metrics ports. Everything else is denied. Kubelet probes from the
 * node are always allowed by NetworkPolicy semantics, so the health checks keep working.
 */
export function networkPolicies(m: Model): INetworkPolicy[] {
  const np = m.spec.networkPolicy;
  if (!np.enabled) return [];
  const ea = m.spec.externalAccess;
  const l = m.listeners;
  const clientPorts = tcp(PORTS.client, ...[l.websocket, l.mqtt, l.leafnodes].flatMap((x) => (x ? [x.port] : [])));
  const ingress: INetworkPolicyIngressRule[] = [{ ports: clientPorts, ...clientSources(m) }];
  // The Ingress controller proxies browsers to the WebSocket port from its own namespace, which the client list rarely names.
  if (ea.type === "INGRESS" && np.ingressControllerNamespaces.length > 0)
    ingress.push({ ports: tcp(l.websocket!.port), from: [namespaces(np.ingressControllerNamespaces)] });
  if (m.clustered) ingress.push({ ports: tcp(PORTS.cluster), from: [{ podSelector: { matchLabels: m.selectorLabels } }] });
  const metricsPorts = m.spec.monitoring.enabled ? tcp(PORTS.monitor, PORTS.metrics) : tcp(PORTS.monitor);
  ingress.push({ ports: metricsPorts, from: [namespaces([np.monitoringNamespace])] });
  const nats: INetworkPolicy = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: objectMeta(m, m.name),
    spec: { podSelector: { matchLabels: m.selectorLabels }, policyTypes: ["Ingress"], ingress },
  };
  return [nats, denyOtherComponents(m)];
}

/** No `from` at all lets every source in, which a LoadBalancer or NodePort needs: its clients come from outside the cluster. */
function clientSources(m: Model): Pick<INetworkPolicyIngressRule, "from"> {
  if (m.clientExposed) return {};
  const allowed = m.spec.networkPolicy.clientNamespaces;
  if (allowed.length === 0) return { from: [{ namespaceSelector: {} }] };
  // nats-box and NACK of this instance connect from its own namespace, whatever the list says.
  const own = { podSelector: { matchLabels: { "app.kubernetes.io/instance": m.name } } };
  return { from: [namespaces(allowed), own] };
}

/** nats-box, NACK and any later component of this instance serve nothing: deny all ingress to them. */
function denyOtherComponents(m: Model): INetworkPolicy {
  const { "app.kubernetes.io/component": component, ...instance } = m.selectorLabels;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: objectMeta(m, `${m.name}-deny-other`),
    spec: {
      podSelector: {
        matchLabels: instance,
        matchExpressions: [{ key: "app.kubernetes.io/component", operator: "NotIn", values: [component ?? "nats"] }],
      },
      policyTypes: ["Ingress"],
    },
  };
}

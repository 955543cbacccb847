import type { IService } from "kubernetes-models/v1/Service";
import type { IServicePort } from "kubernetes-models/v1/ServicePort";
import { PORTS, sortKeys, type Model } from "../model/model.js";
import { controllerAnnotations } from "./ingress-backend.js";
import { objectMeta } from "./object.js";

const port = (name: string, number: number, appProtocol: string): IServicePort => ({ name, port: number, targetPort: name, appProtocol });

export function clientPort(m: Model): IServicePort {
  return port("nats", PORTS.client, m.clientScheme === "tls" ? "tls" : "tcp");
}

/** WebSocket (also what an Ingress forwards to), MQTT and leaf node ports, when they are open. */
export function listenerPorts(m: Model): IServicePort[] {
  const l = m.listeners;
  return [
    ...(l.websocket ? [port("websocket", l.websocket.port, l.websocket.tls ? "https" : "http")] : []),
    ...(l.mqtt ? [port("mqtt", l.mqtt.port, l.mqtt.tls ? "tls" : "tcp")] : []),
    ...(l.leafnodes ? [port("leafnodes", l.leafnodes.port, l.leafnodes.tls ? "tls" : "tcp")] : []),
  ];
}

/** Every pod by name, ready or not: peers must find each other before they are ready. */
export function headlessService(m: Model): IService {
  const ports = [clientPort(m), ...listenerPorts(m)];
  if (m.clustered) ports.push(port("cluster", PORTS.cluster, m.tls?.routes ? "tls" : "tcp"));
  ports.push(port("monitor", PORTS.monitor, "http"));
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: objectMeta(m, m.names.headless),
    spec: { clusterIP: "None", publishNotReadyAddresses: true, selector: m.selectorLabels, ports },
  };
}

/**
 * What clients in the cluster connect to, and the Ingress's backend (some controllers, Contour, read their
 * backend settings from the Service). service.type makes it a NodePort or LoadBalancer too; ClusterIP,
 * the default, leaves `type` out as before. Annotations: the controller's, the resource's, then service.annotations (the user's word wins).
 */
export function clientService(m: Model): IService {
  const meta = objectMeta(m, m.names.client);
  const svc = m.spec.service;
  const annotations = { ...controllerAnnotations(m).service, ...meta.annotations, ...(svc.annotations ?? {}) };
  const client = clientPort(m);
  const ports = [svc.nodePort !== undefined && svc.type !== "ClusterIP" ? { ...client, nodePort: svc.nodePort } : client, ...listenerPorts(m)];
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { ...meta, ...(Object.keys(annotations).length ? { annotations: sortKeys(annotations) } : {}) },
    spec: { ...(svc.type === "ClusterIP" ? {} : { type: svc.type }), selector: m.selectorLabels, ports },
  };
}

/** The guide's three example configurations, as commented manifests `natskube init` prints. */
export const PRESETS = {
  dev: `# Development: one server, no auth, no JetStream. Not for production.
{{modeline}}apiVersion: kubernetes.project-planton.org/v1
kind: KubernetesNats
metadata:
  name: {{name}}
spec:
  namespace: {{namespace}}
  replicas: 1                # a single server: no cluster, no quorum
  jetstream:
    enabled: false           # core NATS only (at-most-once, in memory)
  auth:
    enabled: false           # anyone who reaches port 4222 may connect
  natsBox:
    enabled: true            # a pod with the nats CLI: kubectl exec -it deploy/{{name}}-box -- nats pub test hi
`,
  staging: `# Staging: a 3-server cluster, user/password auth, JetStream in memory, nats-box.
{{modeline}}apiVersion: kubernetes.project-planton.org/v1
kind: KubernetesNats
metadata:
  name: {{name}}
spec:
  namespace: {{namespace}}
  replicas: 3                # odd, so RAFT keeps a majority with one server down
  resources:
    requests: {cpu: 250m, memory: 1Gi}
    limits: {cpu: "1", memory: 1Gi}
  jetstream:
    enabled: true
    persistence:
      mode: MEMORY           # fast, but every stream is lost when all servers restart
      size: 256Mi            # memory store per server; keep it well below the memory limit
  auth:
    enabled: true
    mode: BASIC              # user and password from the Secret {{name}}-auth (keys user, password)
  natsBox:
    enabled: true
`,
  production: `# Production: 3 servers, resources, token auth, TLS, JetStream on disk,
# a LoadBalancer, NACK for streams, and Prometheus monitoring.
{{modeline}}apiVersion: kubernetes.project-planton.org/v1
kind: KubernetesNats
metadata:
  name: {{name}}
spec:
  namespace: {{namespace}}
  replicas: 3                # 3 or 5; start with 3 (never scale a live cluster 1 -> 3)
  resources:                 # requests = limits: Guaranteed QoS; GOMEMLIMIT is derived from the limit
    requests: {cpu: "2", memory: 8Gi}
    limits: {cpu: "2", memory: 8Gi}
  jetstream:
    enabled: true
    persistence:
      mode: FILE             # a PersistentVolumeClaim per server
      size: 50Gi
      storageClass: fast-ssd # an SSD class; check it allows volume expansion
  auth:
    enabled: true
    mode: TOKEN              # token from the Secret {{name}}-auth (key token)
  tls:
    enabled: true            # clients and routes; certificate issued by cert-manager
    certManager:
      issuerRef: {name: ca-issuer, kind: ClusterIssuer}
  natsBox:
    enabled: true
  externalAccess:
    type: LOADBALANCER
    hostname: nats.example.com
  nack:
    enabled: true            # streams below become NACK Stream resources
  streams:
  - name: ORDERS
    subjects: ["orders.>"]
    maxAge: 168h             # Go durations: 7 days is 168h
    consumers:
    - durableName: fulfilment
      ackPolicy: explicit
  monitoring:
    enabled: true            # exporter sidecar, PodMonitor, alerts and dashboards
  networkPolicy:
    enabled: true
  scheduling:
    antiAffinity: REQUIRED   # one server per node
`,
} as const;

export type PresetName = keyof typeof PRESETS;

/** `schema`: where editors find the JSON Schema, relative to the manifest (or a URL); none: no modeline. */
export function presetManifest(preset: PresetName, name: string, namespace: string, schema?: string): string {
  const modeline = schema === undefined ? "" : `# yaml-language-server: $schema=${schema}\n`;
  return PRESETS[preset].replaceAll("{{name}}", name).replaceAll("{{namespace}}", namespace).replace("{{modeline}}", modeline);
}

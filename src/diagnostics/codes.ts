/**
 * The closed set of diagnostic codes. Each code has one meaning and one place
 * in docs/diagnostics.md; adding a code means adding a row there too.
 */
export const DIAGNOSTIC_CODES = {
  "yaml-syntax": "The file is not valid YAML, or uses YAML natskube refuses (missing or recursive aliases, alias bombs, deep nesting).",
  "not-a-mapping": "A document is not a YAML mapping (key: value pairs).",
  "api-version": "apiVersion is not kubernetes.project-planton.org/v1 or one of the Project Planton apiVersions natskube loads.",
  kind: "kind is neither KubernetesNats nor NatsKubernetes.",
  required: "A required field is missing.",
  type: "A value has the wrong type (string, number, boolean, list, mapping).",
  enum: "A value is not one of the allowed values.",
  "unknown-field": "A field that the resource does not define (often a typo).",
  quantity: "A value is not a Kubernetes quantity such as 500m, 2, 1Gi.",
  "dns-name": "A name is not a valid DNS label or subdomain.",
  "name-too-long": "A name is so long that a derived object or pod name would exceed Kubernetes' limits.",
  range: "A number or a length is outside its allowed range.",
  format: "A string does not have the required format (durations, subjects, labels, ...).",
  conflict: "The same setting is given twice (two spellings, or two Project Planton fields) with different values.",
  "cross-field": "Fields that are valid alone contradict each other.",
  "server-version": "The image's nats-server version is not supported, or does not know a field the resource sets.",
  "controller-version": "The NACK controller's image tag is older than the arguments natskube renders for it need.",
  unsupported: "A value the resource accepts but natskube cannot honour offline, or a Project Planton field natskube has no feature for yet.",
  "file-read": "A file named on the command line cannot be read.",
  "krm-input": "The ResourceList a KRM function reads on stdin is malformed, or its functionConfig is not a KubernetesNats.",
  kubeconfig: "The kubeconfig cannot be read, or has no such context (natskube apply, diff, delete).",
  "cluster-unreachable": "The API server of the kubeconfig's context cannot be reached, or did not answer in time.",
  "cluster-forbidden": "The API server did not accept the credentials (401) or refused the request (403).",
  "cluster-refused": "The API server refused a request: strict validation, admission, a field owned by another manager.",
  "cluster-missing-api": "The cluster does not serve a kind natskube renders (its CRDs are not installed).",
  "not-owned": "An object natskube would write exists and belongs to someone else; natskube leaves it alone unless told to take it over.",
  "rollout-timeout": "A workload natskube applied did not roll out (all pods updated and Ready) within --timeout.",
  "scale-down-refused": "A quorum-safe scale-down cannot start: no system account, streams with more replicas than the servers that remain, an unhealthy meta group, or missing --nats-url.",
  "scale-down-stopped": "A quorum-safe scale-down stopped part-way (timeout, a refused peer-remove): the exact state and how to go on.",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

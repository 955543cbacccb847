// The `spec` of the jetstream.nats.io/v1beta2 resources natskube renders: the subset of the NACK
// CRD fields (controller 0.23.0) that the KubernetesNats resource can set. Field names are the CRD's;
// optional where the CRD has a default (natskube always writes those out).

/** How a resource reaches its server: the Account resource holding servers, credentials and CA. */
interface Connection {
  account?: string;
}

export interface StreamCrSpec extends Connection {
  name: string;
  description?: string;
  subjects: string[];
  storage?: "file" | "memory";
  replicas?: number;
  retention?: "limits" | "interest" | "workqueue";
  maxAge?: string;
  maxBytes?: number;
  maxMsgs?: number;
  maxMsgSize?: number;
  maxMsgsPerSubject?: number;
  maxConsumers?: number;
  discard?: "old" | "new";
  duplicateWindow?: string;
  denyDelete?: boolean;
  allowRollup?: boolean;
  preventDelete?: boolean;
}

export interface ConsumerCrSpec extends Connection {
  durableName: string;
  streamName: string;
  description?: string;
  deliverPolicy?: "all" | "last" | "new" | "lastPerSubject" | "byStartSequence";
  optStartSeq?: number;
  ackPolicy?: "none" | "all" | "explicit";
  ackWait?: string;
  maxDeliver?: number;
  maxAckPending?: number;
  maxWaiting?: number;
  filterSubject?: string;
  filterSubjects?: string[];
  deliverSubject?: string;
  deliverGroup?: string;
  replayPolicy?: "instant" | "original";
  replicas?: number;
  memStorage?: boolean;
  preventDelete?: boolean;
}

export interface KeyValueCrSpec extends Connection {
  bucket: string;
  description?: string;
  history?: number;
  ttl?: string;
  maxValueSize?: number;
  maxBytes?: number;
  storage?: "file" | "memory";
  replicas?: number;
  preventDelete?: boolean;
}

export interface ObjectStoreCrSpec extends Connection {
  bucket: string;
  description?: string;
  ttl?: string;
  maxBytes?: number;
  storage?: "file" | "memory";
  replicas?: number;
  preventDelete?: boolean;
}

interface SecretRef {
  secret: { name: string };
}

/** NACK's Account: where to connect and with which credentials, read from Secrets by the controller. */
export interface AccountCrSpec {
  name: string;
  servers: string[];
  token?: SecretRef & { token: string };
  user?: SecretRef & { user: string; password: string };
  tls?: SecretRef & { ca: string; cert?: string; key?: string };
}

export const JETSTREAM_API_VERSION = "jetstream.nats.io/v1beta2";
export const JETSTREAM_GROUP = "jetstream.nats.io";

import { CERT_FILES } from "../../conf/tls.js";
import type { JetStreamAsset } from "../../model/jetstream-assets.js";
import type { Model } from "../../model/model.js";
import { defined } from "../../nack/crd-to-api.js";
import type { AccountCrSpec, ConsumerCrSpec, KeyValueCrSpec, ObjectStoreCrSpec, StreamCrSpec } from "../../nack/crd-types.js";
import { JETSTREAM_API_VERSION } from "../../nack/crd-types.js";
import { ackPolicyOf, DEFAULT_ACK_WAIT, deliverPolicyOf, discardOf, duplicateWindowOf } from "../../nack/defaults.js";
import { consumerKubeName } from "../../nack/names.js";
import type { Consumer, KeyValue, ObjectStore, Stream } from "../../spec/types.js";
import { objectMeta, type KubeObject } from "../object.js";
import { accountName } from "./connection.js";

function cr(m: Model, kind: string, name: string, spec: object): KubeObject {
  return { apiVersion: JETSTREAM_API_VERSION, kind, metadata: objectMeta(m, name), spec };
}

/**
 * The NACK resources of the spec, in apply order: the Account (how to connect), streams, their
 * consumers, key-value buckets, object stores. Empty when nothing is declared.
 */
export function jetstreamResources(m: Model): KubeObject[] {
  const a = m.assets;
  if (a.all.length === 0) return [];
  return [
    cr(m, "Account", accountName(m), account(m)),
    ...a.streams.map((st) => cr(m, "Stream", st.kubeName, streamSpec(m, st))),
    ...a.streams.flatMap(({ declared: st }) => st.consumers.map((c) => cr(m, "Consumer", consumerKubeName(st.name, c.durableName), consumerSpec(m, st, c)))),
    ...a.keyValues.map((kv) => cr(m, "KeyValue", kv.kubeName, keyValueSpec(m, kv))),
    ...a.objectStores.map((os) => cr(m, "ObjectStore", os.kubeName, objectStoreSpec(m, os))),
  ];
}

/**
 * NACK reads the credentials from the auth Secret itself (it may read Secrets in its namespace), so
 * no token or password is ever in the controller's arguments, environment or in a URL.
 */
export function account(m: Model): AccountCrSpec {
  const a = m.spec.auth;
  const secret = { name: m.names.authSecret };
  return defined({
    name: accountName(m),
    servers: [m.clientUrl],
    token: a.enabled && a.mode === "TOKEN" ? { secret, token: a.tokenKey } : undefined,
    user: userCredentials(m),
    tls: tlsOf(m),
  });
}

/**
 * NACK reads every TLS file of an Account from one Secret. Under tls.verifyClients that is the client
 * Secret, which holds the CA under the same key (cert-manager writes ca.crt beside the certificate).
 */
function tlsOf(m: Model): AccountCrSpec["tls"] {
  const caKey = m.tls?.caKey;
  if (!m.tls || !caKey) return undefined;
  const client = m.tls.client;
  if (!client) return { secret: { name: m.names.tlsSecret }, ca: caKey };
  return { secret: { name: client.secretName }, ca: caKey, cert: CERT_FILES.cert, key: CERT_FILES.key };
}

/** Keys of the auth Secret holding the user NACK signs in as: the shared user, or the declared user nack.user names. */
function userCredentials(m: Model): AccountCrSpec["user"] {
  const secret = { name: m.names.authSecret };
  const a = m.spec.auth;
  if (m.auth.kind === "shared-user") return { secret, user: a.userKey, password: a.passwordKey };
  const nack = m.auth.nack;
  return nack ? { secret, user: nack.userKey, password: nack.user.passwordKey } : undefined;
}

function streamSpec(m: Model, { declared: st, storage, replicas }: JetStreamAsset<Stream>): StreamCrSpec {
  return defined({
    name: st.name,
    description: st.description,
    subjects: st.subjects,
    storage,
    replicas,
    retention: st.retention ?? "limits",
    maxAge: st.maxAge,
    maxBytes: st.maxBytes,
    maxMsgs: st.maxMsgs,
    maxMsgSize: st.maxMsgSize,
    maxMsgsPerSubject: st.maxMsgsPerSubject,
    maxConsumers: st.maxConsumers,
    discard: discardOf(st.discard),
    duplicateWindow: duplicateWindowOf(st),
    denyDelete: st.denyDelete,
    allowRollup: st.allowRollup,
    preventDelete: st.preventDelete ?? true,
    account: accountName(m),
  });
}

function consumerSpec(m: Model, st: Stream, c: Consumer): ConsumerCrSpec {
  return defined({
    durableName: c.durableName,
    streamName: st.name,
    description: c.description,
    deliverPolicy: deliverPolicyOf(c),
    optStartSeq: c.optStartSeq,
    ackPolicy: ackPolicyOf(c),
    ackWait: c.ackWait ?? DEFAULT_ACK_WAIT,
    maxDeliver: c.maxDeliver,
    maxAckPending: c.maxAckPending,
    maxWaiting: c.maxWaiting,
    filterSubject: c.filterSubject,
    filterSubjects: c.filterSubjects,
    deliverSubject: c.deliverSubject,
    deliverGroup: c.deliverGroup,
    replayPolicy: c.replayPolicy ?? "instant",
    replicas: c.replicas,
    memStorage: c.memStorage,
    account: accountName(m),
  });
}

function keyValueSpec(m: Model, { declared: kv, storage, replicas }: JetStreamAsset<KeyValue>): KeyValueCrSpec {
  return defined({
    bucket: kv.bucket,
    description: kv.description,
    history: kv.history,
    ttl: kv.ttl,
    maxValueSize: kv.maxValueSize,
    maxBytes: kv.maxBytes,
    storage,
    replicas,
    preventDelete: kv.preventDelete ?? true,
    account: accountName(m),
  });
}

function objectStoreSpec(m: Model, { declared: os, storage, replicas }: JetStreamAsset<ObjectStore>): ObjectStoreCrSpec {
  return defined({
    bucket: os.bucket,
    description: os.description,
    ttl: os.ttl,
    maxBytes: os.maxBytes,
    storage,
    replicas,
    preventDelete: os.preventDelete ?? true,
    account: accountName(m),
  });
}

// NACK: the controller objects and the jetstream.nats.io resources (issue 4).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { consumerConfig, CRD_DEFAULTS, keyValueOptions, objectStoreOptions, streamConfig } from "../../src/nack/crd-to-api.js";
import type { ConsumerCrSpec, KeyValueCrSpec, ObjectStoreCrSpec, StreamCrSpec } from "../../src/nack/crd-types.js";
import type { KubeObject } from "../../src/render/object.js";
import { cli } from "../support/cli.js";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { unknownFields, validateWithModels } from "../support/kube.js";
import { crdValidators, crProblems, NACK_CRDS_FILE } from "../support/nack-crds.js";
import { diagnosticsOf, findObject, manifest, render } from "../support/render.js";

const validators = crdValidators();
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Everything a stream, consumer and bucket may set, on a 3-server FILE cluster with a memory limit. */
const FULL = {
  replicas: 3,
  resources: { limits: { memory: "4Gi" } },
  jetstream: { persistence: { mode: "FILE", size: "20Gi" } },
  nack: { enabled: true, controlLoop: true },
  streams: [
    {
      name: "ORDERS",
      description: "orders",
      subjects: ["orders.>"],
      retention: "limits",
      maxAge: "168h",
      maxBytes: 1073741824,
      maxMsgs: 1000000,
      maxMsgSize: 65536,
      maxMsgsPerSubject: 10,
      maxConsumers: 10,
      discard: "new_msgs",
      duplicateWindow: "2m",
      denyDelete: true,
      allowRollup: true,
      consumers: [
        { durableName: "pull_worker", description: "pull", deliverPolicy: "all", ackPolicy: "explicit", ackWait: "45s", maxDeliver: 5, maxAckPending: 100, maxWaiting: 64, filterSubject: "orders.created", replayPolicy: "instant" },
        { durableName: "push", deliverPolicy: "new_msgs", ackPolicy: "all", deliverSubject: "deliver.orders", deliverGroup: "workers", replayPolicy: "original", replicas: 1, memStorage: true },
        { durableName: "latest", deliverPolicy: "lastPerSubject", filterSubjects: ["orders.a", "orders.b"] },
        { durableName: "from-seq", deliverPolicy: "byStartSequence", optStartSeq: 42 },
      ],
    },
    { name: "events_v2", subjects: ["events.*"], storage: "memory", replicas: 1, retention: "interest", maxAge: "30s" },
  ],
  keyValues: [{ bucket: "config", description: "settings", history: 5, ttl: "24h", maxValueSize: 1024, maxBytes: 10485760, storage: "file", replicas: 3 }],
  objectStores: [{ bucket: "blobs", description: "files", ttl: "720h", maxBytes: 104857600 }],
};

const jetstreamObjects = (objects: readonly KubeObject[]) => objects.filter((o) => o.apiVersion.startsWith("jetstream.nats.io/"));
const specOf = <T>(o: KubeObject) => o["spec"] as T;
type Container = { name: string; image: string; args: string[]; env?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[]; ports?: unknown[]; livenessProbe?: unknown; readinessProbe?: unknown; securityContext: Record<string, unknown>; volumeMounts: { name: string; mountPath: string }[] };
type PodSpec = { containers: Container[]; volumes: { name: string; secret?: { secretName: string; items?: { key: string; path: string }[] } }[]; securityContext: Record<string, unknown>; serviceAccountName: string };
const podOf = (o: KubeObject) => (o["spec"] as { template: { spec: PodSpec } }).template.spec;
const controllerOf = (r: ReturnType<typeof render>) => podOf(findObject(r, "Deployment", `${r.model.name}-nack`)).containers[0]!;

describe("NACK resources pass the NACK CRDs (controller 0.23.0), unknown fields rejected", () => {
  it("the sealed CRD schemas reject an unknown field and a bad enum (the check can fail)", () => {
    const stream = jetstreamObjects(render(manifest(FULL)).objects).find((o) => o.kind === "Stream")!;
    const typo = structuredClone(stream);
    (typo["spec"] as Record<string, unknown>)["maxAges"] = "1h";
    assert.match(crProblems([typo], validators).join("\n"), /maxAges/);
    const bad = structuredClone(stream);
    (bad["spec"] as Record<string, unknown>)["storage"] = "disk";
    assert.equal(crProblems([bad], validators).length, 1);
  });

  const cases: [string, string][] = [
    ["every field natskube can set", manifest(FULL)],
    ["token auth and TLS", manifest({ ...FULL, auth: { enabled: true, mode: "TOKEN" }, tls: { enabled: true } })],
    ["basic auth, legacy controller", manifest({ ...FULL, keyValues: [], objectStores: [], nack: { enabled: true }, auth: { enabled: true, mode: "BASIC" } })],
    ["a MEMORY single server", manifest({ replicas: 1, jetstream: { persistence: { mode: "MEMORY", size: "1Gi" } }, nack: { enabled: true, controlLoop: true }, streams: [{ name: "s", subjects: ["s.>"] }], keyValues: [{ bucket: "b" }], objectStores: [{ bucket: "o" }] })],
    ...EXAMPLES.map((e): [string, string] => [`examples/${e}.yaml`, exampleText(e)]),
  ];
  for (const [name, text] of cases)
    it(name, () => {
      const crs = jetstreamObjects(render(text).objects);
      assert.deepEqual(crProblems(crs, validators), []);
      for (const o of crs) assert.match(o.metadata.name, DNS_1123_SUBDOMAIN, `${o.kind} ${o.metadata.name}`);
    });

  it("renders one resource per declared asset, Account first, streams before consumers", () => {
    const kinds = jetstreamObjects(render(manifest(FULL)).objects).map((o) => `${o.kind}/${o.metadata.name}`);
    assert.deepEqual(kinds, [
      "Account/nats",
      "Stream/orders",
      "Stream/events-v2",
      "Consumer/orders-pull-worker",
      "Consumer/orders-push",
      "Consumer/orders-latest",
      "Consumer/orders-from-seq",
      "KeyValue/config",
      "ObjectStore/blobs",
    ]);
  });
});

describe("safer defaults than NACK's CRD defaults", () => {
  const stream = (spec: Record<string, unknown>, s: Record<string, unknown> = {}) => {
    const r = render(manifest({ nack: { enabled: true }, ...spec, streams: [{ name: "S", subjects: ["s.>"], ...s }] }));
    return specOf<StreamCrSpec>(findObject(r, "Stream"));
  };

  it("storage follows the persistence mode (the CRD default is memory)", () => {
    assert.equal(CRD_DEFAULTS.stream.storage, "memory");
    assert.equal(stream({}).storage, "file");
    assert.equal(stream({ jetstream: { persistence: { mode: "MEMORY" } } }).storage, "memory");
    assert.equal(stream({ resources: { limits: { memory: "2Gi" } } }, { storage: "memory" }).storage, "memory");
  });

  it("replicas are min(3, servers) (the CRD default is 1)", () => {
    assert.equal(stream({ replicas: 1 }).replicas, 1);
    assert.equal(stream({ replicas: 3 }).replicas, 3);
    assert.equal(stream({ replicas: 5 }).replicas, 3);
    assert.equal(stream({ replicas: 5 }, { replicas: 5 }).replicas, 5);
  });

  it("limits retention, old discard and preventDelete are written out; new_msgs means new", () => {
    const s = stream({});
    assert.equal(s.retention, "limits");
    assert.equal(s.discard, "old");
    assert.equal(s.preventDelete, true);
    assert.equal(s.account, "nats");
    assert.equal(stream({}, { discard: "new_msgs", preventDelete: false }).discard, "new");
    assert.equal(stream({}, { preventDelete: false }).preventDelete, false);
  });

  it("a max age under the 2m duplicate window brings its own window (NACK's pedantic requests need it)", () => {
    assert.equal(stream({}, { maxAge: "30s" }).duplicateWindow, "30s");
    assert.equal(stream({}, { maxAge: "1h" }).duplicateWindow, undefined);
    assert.equal(stream({}, { maxAge: "30s", duplicateWindow: "10s" }).duplicateWindow, "10s");
  });

  it("consumers ack explicitly with a 30s ack wait (the CRD defaults are none and 1ns)", () => {
    assert.equal(CRD_DEFAULTS.consumer.ackWait, "1ns");
    const r = render(manifest({ nack: { enabled: true }, streams: [{ name: "S", subjects: ["s.>"], consumers: [{ durableName: "c", deliverPolicy: "new_msgs" }] }] }));
    const c = specOf<ConsumerCrSpec>(findObject(r, "Consumer", "s-c"));
    assert.deepEqual(c, { durableName: "c", streamName: "S", deliverPolicy: "new", ackPolicy: "explicit", ackWait: "30s", replayPolicy: "instant", account: "nats" });
  });

  it("buckets get the same storage and replica defaults, and preventDelete", () => {
    const r = render(manifest({ replicas: 5, nack: { enabled: true, controlLoop: true }, keyValues: [{ bucket: "kv" }], objectStores: [{ bucket: "os" }] }));
    assert.deepEqual(specOf<KeyValueCrSpec>(findObject(r, "KeyValue")), { bucket: "kv", storage: "file", replicas: 3, preventDelete: true, account: "nats" });
    assert.deepEqual(specOf<ObjectStoreCrSpec>(findObject(r, "ObjectStore")), { bucket: "os", storage: "file", replicas: 3, preventDelete: true, account: "nats" });
  });
});

describe("the NACK controller", () => {
  const modes = {
    legacy: manifest({ nack: { enabled: true } }),
    controlLoop: manifest({ nack: { enabled: true, controlLoop: true } }),
    clusterWide: manifest({ nack: { enabled: true, namespaced: false } }),
    tokenTls: manifest({ nack: { enabled: true }, auth: { enabled: true, mode: "TOKEN" }, tls: { enabled: true }, streams: [{ name: "S", subjects: ["s"] }] }),
    basicTlsLoop: manifest({ nack: { enabled: true, controlLoop: true }, auth: { enabled: true, mode: "BASIC" }, tls: { enabled: true, secretName: "my-tls", caKey: "chain.pem" }, streams: [{ name: "S", subjects: ["s"] }] }),
  };

  it("passes the Kubernetes schemas in every mode, with no unknown fields", async () => {
    const objects = Object.values(modes).flatMap((t) => render(t).objects.filter((o) => o.metadata.labels?.["app.kubernetes.io/component"] === "nack"));
    assert.equal(objects.length, 5 * 4);
    assert.deepEqual(await validateWithModels(objects), []);
    assert.deepEqual(unknownFields(objects), []);
  });

  it("is namespaced by default: a Role and --namespace, so two clusters never manage each other's resources", () => {
    const r = render(modes.legacy);
    const kinds = r.objects.filter((o) => o.metadata.labels?.["app.kubernetes.io/component"] === "nack").map((o) => `${o.kind}/${o.metadata.name}`);
    assert.deepEqual(kinds, ["ServiceAccount/nats-nack", "Role/nats-nack", "RoleBinding/nats-nack", "Deployment/nats-nack"]);
    const c = controllerOf(r);
    assert.deepEqual(c.args, ["-s=nats://nats.nats.svc.cluster.local:4222", "--namespace=nats"]);
    assert.equal(c.image, "natsio/jetstream-controller:0.23.0");
    const role = findObject(r, "Role") as unknown as { rules: { resources: string[]; verbs: string[] }[] };
    assert.deepEqual(role.rules.map((x) => x.resources.length), [1, 1, 12]);
  });

  it("namespaced: false gives a ClusterRole named after the namespace too", () => {
    const r = render(modes.clusterWide);
    const crb = findObject(r, "ClusterRoleBinding", "nats-nats-nack") as unknown as { metadata: { namespace?: string }; subjects: { namespace: string }[] };
    assert.equal(crb.metadata.namespace, undefined);
    assert.equal(crb.subjects[0]!.namespace, "nats");
    findObject(r, "ClusterRole", "nats-nats-nack");
    assert.ok(!controllerOf(r).args.some((a) => a.startsWith("--namespace")));
  });

  it("controlLoop adds --control-loop, the health endpoint and probes", () => {
    const c = controllerOf(render(modes.controlLoop));
    assert.deepEqual(c.args.slice(-2), ["--control-loop", "--health-probe-bind-address=:8081"]);
    assert.deepEqual(c.ports, [{ name: "health", containerPort: 8081 }]);
    assert.ok(c.livenessProbe && c.readinessProbe);
    assert.equal(controllerOf(render(modes.legacy)).livenessProbe, undefined);
  });

  it("runs restricted: non-root, read-only root, no capabilities, RuntimeDefault seccomp, one Recreate replica", () => {
    const r = render(modes.legacy);
    const pod = podOf(findObject(r, "Deployment", "nats-nack"));
    assert.equal(pod.securityContext["runAsNonRoot"], true);
    assert.deepEqual(pod.securityContext["seccompProfile"], { type: "RuntimeDefault" });
    const c = pod.containers[0]!;
    assert.equal(c.securityContext["readOnlyRootFilesystem"], true);
    assert.equal(c.securityContext["allowPrivilegeEscalation"], false);
    assert.deepEqual(c.securityContext["capabilities"], { drop: ["ALL"] });
    assert.deepEqual(c.volumeMounts[0], { name: "work", mountPath: "/nack" });
    const spec = findObject(r, "Deployment", "nats-nack")["spec"] as { replicas: number; strategy: { type: string } };
    assert.equal(spec.replicas, 1);
    assert.equal(spec.strategy.type, "Recreate");
  });

  it("TLS: a tls:// URL and --tlsca on the CA key of the TLS Secret, mounted alone", () => {
    const r = render(modes.basicTlsLoop);
    const pod = podOf(findObject(r, "Deployment", "nats-nack"));
    assert.ok(pod.containers[0]!.args.includes("-s=tls://nats.nats.svc.cluster.local:4222"));
    assert.ok(pod.containers[0]!.args.includes("--tlsca=/etc/nats-ca/ca.crt"));
    const ca = pod.volumes.find((v) => v.name === "nats-ca")!;
    assert.deepEqual(ca.secret, { secretName: "my-tls", items: [{ key: "chain.pem", path: "ca.crt" }] });
  });

  it("credentials never reach arguments, environment or URLs: the Account resource names the Secret", () => {
    for (const [mode, text] of Object.entries(modes)) {
      const r = render(text);
      const c = controllerOf(r);
      const everything = JSON.stringify(c);
      assert.doesNotMatch(everything, /secretKeyRef|NATS_TOKEN|NATS_PASSWORD|token=|password=/i, mode);
      for (const a of c.args) assert.doesNotMatch(a, /:\/\/[^/]*@/, `${mode}: userinfo in ${a}`);
    }
    const token = render(modes.tokenTls);
    assert.deepEqual(specOf(findObject(token, "Account")), {
      name: "nats",
      servers: ["tls://nats.nats.svc.cluster.local:4222"],
      token: { secret: { name: "nats-auth" }, token: "token" },
      tls: { secret: { name: "nats-tls" }, ca: "ca.crt" },
    });
    // Without the control loop NACK reads Account credentials only in --crd-connect mode.
    assert.deepEqual(controllerOf(token).args, ["--crd-connect", "--namespace=nats"]);
    const basic = render(modes.basicTlsLoop);
    assert.deepEqual(specOf<{ user: unknown }>(findObject(basic, "Account")).user, { secret: { name: "nats-auth" }, user: "user", password: "password" });
    assert.equal(controllerOf(basic).args[0], "-s=tls://nats.nats.svc.cluster.local:4222");
  });

  // `kubectl delete -f` deletes in file order: the controller after its resources keeps it running
  // while they are deleted (test/kube/nack.test.ts runs the documented teardown on the real controller).
  it("comes after every other object, the JetStream resources just before it", () => {
    const objects = render(manifest({ ...FULL, monitoring: { enabled: true }, natsBox: { enabled: true } })).objects;
    const first = objects.findIndex((o) => o.apiVersion.startsWith("jetstream"));
    const tail = objects.slice(first).map((o) => (o.apiVersion.startsWith("jetstream") ? "cr" : o.metadata.labels?.["app.kubernetes.io/component"] === "nack" ? "controller" : "other"));
    assert.deepEqual(tail, [...Array(9).fill("cr"), ...Array(4).fill("controller")]);
    assert.equal(objects.at(-1)!.kind, "Deployment");
  });

  it("nack disabled: no controller, the resources still render; lint (not validate) flags it", () => {
    const text = manifest({ streams: [{ name: "S", subjects: ["s"] }] });
    const r = render(text);
    assert.equal(r.objects.filter((o) => o.metadata.labels?.["app.kubernetes.io/component"] === "nack").length, 0);
    assert.equal(jetstreamObjects(r.objects).length, 2);
    assert.deepEqual(diagnosticsOf(text).filter((d) => d.severity === "warning"), []);
  });
});

// The controller exits on a flag it does not define (Go's flag package); release notes of each flag
// in src/nack/controller-versions.ts. test/kube/nack.test.ts runs the default tag's binary.
describe("controller versions: the rendered flags exist in the tag", () => {
  const withTag = (tag: string, controlLoop: boolean) => manifest({ nack: { enabled: true, controlLoop, image: { tag } } });
  const versionErrors = (text: string) => diagnosticsOf(text).filter((d) => d.code === "controller-version");

  it("control loop before 0.22.0 (no --health-probe-bind-address) is refused, located at the tag", () => {
    const [d, ...rest] = versionErrors(withTag("0.21.1", true));
    assert.deepEqual(rest, []);
    assert.equal(d?.severity, "error");
    assert.equal(d?.path, "spec.nack.image.tag");
    assert.ok(d?.source && d.source.line > 0, "a line:column");
    assert.match(d!.message, /no --health-probe-bind-address flag \(added in 0\.22\.0\)/);
    assert.match(d!.hint ?? "", /0\.22\.0 or later/);
  });

  it("0.22.0, later tags and tags that are not versions render the flag; legacy mode renders none, so any tag does", () => {
    for (const tag of ["0.22.0", "0.23.0", "v0.24.1", "latest"]) {
      assert.deepEqual(versionErrors(withTag(tag, true)), [], tag);
      assert.ok(controllerOf(render(withTag(tag, true))).args.includes("--health-probe-bind-address=:8081"), tag);
    }
    assert.deepEqual(versionErrors(withTag("0.21.1", false)), []);
    assert.ok(!controllerOf(render(withTag("0.21.1", false))).args.some((a) => a.startsWith("--health")));
  });
});

describe("CR spec -> JetStream API configuration (as NACK maps it)", () => {
  it("streams: durations in nanoseconds, limits as written, CRD defaults for omitted fields", () => {
    const r = render(manifest(FULL));
    const cfg = streamConfig(specOf<StreamCrSpec>(findObject(r, "Stream", "orders")));
    assert.deepEqual(cfg, {
      name: "ORDERS",
      description: "orders",
      subjects: ["orders.>"],
      retention: "limits",
      max_consumers: 10,
      max_msgs: 1000000,
      max_bytes: 1073741824,
      max_msg_size: 65536,
      num_replicas: 3,
      max_msgs_per_subject: 10,
      max_age: 168 * 3600e9,
      storage: "file",
      discard: "new",
      duplicate_window: 120e9,
      deny_delete: true,
      allow_rollup_hdrs: true,
    });
    assert.deepEqual(streamConfig({ name: "x", subjects: ["x"] }), {
      name: "x",
      subjects: ["x"],
      retention: "limits",
      max_consumers: -1,
      max_msgs: -1,
      max_bytes: -1,
      max_msg_size: -1,
      num_replicas: 1,
      storage: "memory",
      discard: "old",
    });
  });

  it("consumers: policies in the API's spelling, pull-only and push-only fields kept apart", () => {
    const r = render(manifest(FULL));
    const pull = consumerConfig(specOf<ConsumerCrSpec>(findObject(r, "Consumer", "orders-pull-worker")));
    assert.deepEqual(pull, {
      durable_name: "pull_worker",
      description: "pull",
      max_ack_pending: 100,
      max_waiting: 64,
      ack_policy: "explicit",
      ack_wait: 45e9,
      deliver_policy: "all",
      filter_subject: "orders.created",
      max_deliver: 5,
      replay_policy: "instant",
    });
    const push = consumerConfig(specOf<ConsumerCrSpec>(findObject(r, "Consumer", "orders-push")));
    assert.equal(push.deliver_subject, "deliver.orders");
    assert.equal(push.deliver_group, "workers");
    assert.equal(push.deliver_policy, "new");
    assert.equal(push.num_replicas, 1);
    assert.equal(push.mem_storage, true);
    assert.deepEqual(consumerConfig(specOf<ConsumerCrSpec>(findObject(r, "Consumer", "orders-latest"))).filter_subjects, ["orders.a", "orders.b"]);
    const seq = consumerConfig(specOf<ConsumerCrSpec>(findObject(r, "Consumer", "orders-from-seq")));
    assert.equal(seq.deliver_policy, "by_start_sequence");
    assert.equal(seq.opt_start_seq, 42);
    // What a CR without ackWait would do under NACK: the CRD's 1ns.
    assert.equal(consumerConfig({ durableName: "c", streamName: "S" }).ack_wait, 1);
  });

  it("buckets: KV ttl in milliseconds, object store ttl in nanoseconds", () => {
    const r = render(manifest(FULL));
    assert.deepEqual(keyValueOptions(specOf<KeyValueCrSpec>(findObject(r, "KeyValue"))), {
      description: "settings",
      history: 5,
      max_bytes: 10485760,
      maxValueSize: 1024,
      replicas: 3,
      ttl: 24 * 3600e3,
      storage: "file",
    });
    assert.deepEqual(objectStoreOptions(specOf<ObjectStoreCrSpec>(findObject(r, "ObjectStore"))), {
      description: "files",
      max_bytes: 104857600,
      replicas: 3,
      ttl: 720 * 3600e9,
      storage: "file",
    });
  });
});

describe("render --crds", () => {
  const dir = mkdtempSync(join(tmpdir(), "natskube-crds-"));
  const spec = join(dir, "nats.yaml");
  writeFileSync(spec, manifest({ nack: { enabled: true, controlLoop: true }, streams: [{ name: "S", subjects: ["s"] }], keyValues: [{ bucket: "kv" }] }));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

  it("puts the CRDs first, then the render", () => {
    const r = cli(["render", spec, "--crds", NACK_CRDS_FILE]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const kinds = parseAllDocuments(r.stdout).map((d) => (d.toJS() as { kind: string }).kind);
    assert.deepEqual(kinds.slice(0, 6), Array(6).fill("CustomResourceDefinition"));
    assert.ok(!kinds.slice(6).includes("CustomResourceDefinition"));
    assert.ok(kinds.includes("Stream") && kinds.includes("KeyValue"));
  });

  it("refuses a file that is not jetstream.nats.io CRDs, naming the document's line", () => {
    const notCrd = join(dir, "not-crd.yaml");
    writeFileSync(notCrd, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    const r = cli(["render", spec, "--crds", notCrd]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /not-crd\.yaml:2:1: error kind kind: --crds: document 1 is v1 ConfigMap, not an apiextensions\.k8s\.io\/v1 CustomResourceDefinition/);
    const otherGroup = join(dir, "other.yaml");
    writeFileSync(otherGroup, "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: certificates.cert-manager.io}\nspec:\n  group: cert-manager.io\n");
    const g = cli(["render", spec, "--crds", otherGroup]);
    assert.equal(g.code, 1);
    assert.match(g.stderr, /other\.yaml:5:3: error enum spec\.group: .*group cert-manager\.io, not jetstream\.nats\.io/);
  });

  it("warns when the CRDs lack a kind the render uses", () => {
    const onlyStreams = join(dir, "streams-only.yaml");
    const docs = parseAllDocuments(cli(["render", spec, "--crds", NACK_CRDS_FILE]).stdout).slice(0, 1).map((d) => d.toString());
    writeFileSync(onlyStreams, docs.join("---\n"));
    const r = cli(["render", spec, "--crds", onlyStreams]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /defines no CRD for Account, KeyValue/);
  });
});

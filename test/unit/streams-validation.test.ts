// Validation of streams, consumers, key-value buckets and object stores (issue 4): for every rule a
// manifest it rejects, with the diagnostic's path and source line, and one it accepts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { parseGoDuration, suggestGoDuration } from "../../src/nats/durations.js";
import { kubeName } from "../../src/nack/names.js";
import { isSubsetMatch, subjectsCollide } from "../../src/nats/subjects.js";
import { diagnosticsOf, manifest } from "../support/render.js";

/** 3 servers, 10Gi volumes (9Gi file store each), a memory limit (1Gi memory store each), NACK in control-loop mode. */
const BASE = {
  replicas: 3,
  resources: { limits: { memory: "4Gi" } },
  jetstream: { persistence: { mode: "FILE", size: "10Gi" } },
  nack: { enabled: true, controlLoop: true },
};

type Spec = Record<string, unknown>;
const stream = (name: string, subjects: string[], more: Spec = {}) => ({ name, subjects, ...more });

function errorsOf(text: string): Diagnostic[] {
  return diagnosticsOf(text).filter((d) => d.severity === "error");
}

/** 1-based line of the `occurrence`-th line containing `needle`. */
function lineOf(text: string, needle: string, occurrence = 1): number {
  const lines = text.split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === occurrence) return i + 1;
  throw new Error(`"${needle}" (#${occurrence}) not in:\n${text}`);
}

interface Expect {
  path: string;
  /** Text on the line the diagnostic must point at. */
  at: string;
  occurrence?: number;
  message: RegExp;
  hint?: RegExp;
  code?: string;
}

function rejects(spec: Spec, e: Expect): void {
  const text = manifest({ ...BASE, ...spec });
  const errors = errorsOf(text);
  const d = errors.find((x) => x.path === e.path && e.message.test(x.message));
  assert.ok(d, `no error at ${e.path} matching ${e.message}; got:\n${errors.map((x) => `${x.path}: ${x.message}`).join("\n") || "(none)"}\n${text}`);
  assert.equal(d.source?.line, lineOf(text, e.at, e.occurrence), `line of ${e.path}`);
  if (e.hint) assert.match(d.hint ?? "", e.hint);
  if (e.code) assert.equal(d.code, e.code);
}

function accepts(spec: Spec): void {
  const text = manifest({ ...BASE, ...spec });
  assert.deepEqual(errorsOf(text).map((d) => `${d.path}: ${d.message}`), []);
}

describe("NATS names", () => {
  it("stream names may not hold '.', '*', '>', path separators or whitespace", () => {
    rejects({ streams: [stream("orders.v1", ["o"])] }, { path: "spec.streams[0].name", at: "name: orders.v1", message: /contains '\.'/, code: "format" });
    rejects({ streams: [stream("my stream", ["o"])] }, { path: "spec.streams[0].name", at: "name: my stream", message: /whitespace/ });
    rejects({ streams: [stream("a/b", ["o"])] }, { path: "spec.streams[0].name", at: "name: a/b", message: /'\/'/ });
    accepts({ streams: [stream("orders-v1_2", ["o"])] });
  });

  it("consumer names follow the same rules and are unique per stream", () => {
    rejects({ streams: [stream("S", ["s"], { consumers: [{ durableName: "a.b" }] })] }, { path: "spec.streams[0].consumers[0].durableName", at: "durableName: a.b", message: /contains '\.'/ });
    rejects(
      { streams: [stream("S", ["s"], { consumers: [{ durableName: "worker" }, { durableName: "worker" }] })] },
      { path: "spec.streams[0].consumers[1].durableName", at: "durableName: worker", occurrence: 2, message: /declared twice on stream "S"/ },
    );
    accepts({ streams: [stream("A", ["a"], { consumers: [{ durableName: "worker" }] }), stream("B", ["b"], { consumers: [{ durableName: "worker" }] })] });
  });

  it("bucket names are letters, digits, '-' and '_'", () => {
    rejects({ keyValues: [{ bucket: "my.bucket" }] }, { path: "spec.keyValues[0].bucket", at: "bucket: my.bucket", message: /only letters, digits/ });
    rejects({ objectStores: [{ bucket: "a b" }] }, { path: "spec.objectStores[0].bucket", at: "bucket: a b", message: /only letters, digits/ });
    accepts({ keyValues: [{ bucket: "my_bucket-1" }], objectStores: [{ bucket: "files" }] });
  });

  it("stream names are unique, counting the KV_ and OBJ_ streams of buckets", () => {
    rejects({ streams: [stream("ORDERS", ["a"]), stream("ORDERS", ["b"])] }, { path: "spec.streams[1].name", at: "name: ORDERS", occurrence: 2, message: /already used by streams\[0\]/ });
    rejects({ streams: [stream("KV_config", ["a"])], keyValues: [{ bucket: "config" }] }, { path: "spec.keyValues[0].bucket", at: "bucket: config", message: /"KV_config" is already used by streams\[0\]/ });
    accepts({ streams: [stream("config", ["a"])], keyValues: [{ bucket: "config" }], objectStores: [{ bucket: "config" }] });
  });
});

describe("Kubernetes names of the NACK resources", () => {
  it("case and '_' do not make two resources out of one name", () => {
    rejects({ streams: [stream("ORDERS", ["a"]), stream("orders", ["b"])] }, { path: "spec.streams[1].name", at: "name: orders", message: /would be named "orders", like the one for "ORDERS"/ });
    rejects({ keyValues: [{ bucket: "a_b" }, { bucket: "a-b" }] }, { path: "spec.keyValues[1].bucket", at: "bucket: a-b", message: /KeyValue resource for "a-b" would be named "a-b"/ });
    accepts({ streams: [stream("ORDERS", ["a"]), stream("ORDERS_v2", ["b"])] });
  });

  it("consumer resources are <stream>-<durable>, unique across streams", () => {
    rejects(
      { streams: [stream("a", ["a"], { consumers: [{ durableName: "b-c" }] }), stream("a-b", ["b"], { consumers: [{ durableName: "c" }] })] },
      { path: "spec.streams[1].consumers[0].durableName", at: "durableName: c", message: /Consumer resource for "a-b\/c" would be named "a-b-c"/ },
    );
  });

  it("a name must leave letters or digits, and fit 253 characters", () => {
    rejects({ streams: [stream("___", ["a"])] }, { path: "spec.streams[0].name", at: "name: ___", message: /no valid Kubernetes name/, code: "dns-name" });
    const long = "s".repeat(200);
    rejects(
      { streams: [stream(long, ["a"], { consumers: [{ durableName: "c".repeat(60) }] })] },
      { path: "spec.streams[0].consumers[0].durableName", at: "durableName: ccc", message: /261 characters; Kubernetes allows 253/, code: "name-too-long" },
    );
  });
});

describe("subjects", () => {
  it("syntax: no empty tokens, '>' last, no whitespace", () => {
    rejects({ streams: [stream("S", ["orders..x"])] }, { path: "spec.streams[0].subjects[0]", at: "- orders..x", message: /empty token/ });
    rejects({ streams: [stream("S", ["orders.>.x"])] }, { path: "spec.streams[0].subjects[0]", at: "- orders.>.x", message: /'>' before its last token/ });
    rejects({ streams: [stream("S", ["orders. x"])] }, { path: "spec.streams[0].subjects[0]", at: "- orders. x", message: /whitespace/ });
    accepts({ streams: [stream("S", ["orders.*.created", "payments.>"])] });
  });

  it("the server's own subject spaces cannot be captured", () => {
    rejects({ streams: [stream("S", ["$JS.API.STREAM.>"])] }, { path: "spec.streams[0].subjects[0]", at: "- $JS.API.STREAM.>", message: /overlaps \$JS\.>/ });
    rejects({ streams: [stream("S", [">"])] }, { path: "spec.streams[0].subjects[0]", at: '- ">"', message: /captures every subject/ });
    rejects({ streams: [stream("S", ["*.orders"])] }, { path: "spec.streams[0].subjects[0]", at: "- \"*.orders\"", message: /overlaps \$JS\.>/ });
    accepts({ streams: [stream("S", ["$JS.EVENT.ADVISORY.>"])] });
  });

  it("subjects of one stream may not overlap each other", () => {
    rejects({ streams: [stream("S", ["orders.*", "orders.>"])] }, { path: "spec.streams[0].subjects[1]", at: "- orders.>", message: /overlaps "orders\.\*" of the same stream/ });
    rejects({ streams: [stream("S", ["a", "a"])] }, { path: "spec.streams[0].subjects[1]", at: "- a", occurrence: 2, message: /listed twice/ });
  });

  it("subjects of different streams may not overlap, wildcards included", () => {
    rejects({ streams: [stream("A", ["orders.*"]), stream("B", ["orders.>"])] }, { path: "spec.streams[1].subjects[0]", at: "- orders.>", message: /overlaps "orders\.\*" of stream "A" \(streams\[0\]\.subjects\[0\]\)/ });
    rejects({ streams: [stream("A", ["a.*.c"]), stream("B", ["a.b.*"])] }, { path: "spec.streams[1].subjects[0]", at: "- a.b.*", message: /overlaps "a\.\*\.c"/ });
    accepts({ streams: [stream("A", ["a.b"]), stream("B", ["a.*.c"]), stream("C", ["a"]), stream("D", ["a.b.c.>"])] });
  });

  it("streams may not capture the subjects of a bucket", () => {
    rejects({ streams: [stream("S", ["$KV.config.>"])], keyValues: [{ bucket: "config" }] }, { path: "spec.streams[0].subjects[0]", at: "- $KV.config.>", message: /overlaps "\$KV\.config\.>", which key-value bucket "config" uses/ });
    accepts({ streams: [stream("S", ["$KV.other.>"])], keyValues: [{ bucket: "config" }] });
  });
});

describe("replicas and storage against the servers", () => {
  it("stream replicas <= servers (and <= 5)", () => {
    rejects({ replicas: 1, streams: [stream("S", ["s"], { replicas: 3 })] }, { path: "spec.streams[0].replicas", at: "replicas: 3", message: /3 replicas, but the cluster has 1 server/ });
    rejects({ keyValues: [{ bucket: "b", replicas: 5 }] }, { path: "spec.keyValues[0].replicas", at: "replicas: 5", message: /5 replicas, but the cluster has 3 servers/ });
    rejects({ replicas: 7, streams: [stream("S", ["s"], { replicas: 6 })] }, { path: "spec.streams[0].replicas", at: "replicas: 6", message: /at most 5|<=\s*5|too big|5/, code: "range" });
    accepts({ replicas: 1, streams: [stream("S", ["s"])] });
  });

  it("file streams need a file store: not on a MEMORY-only server", () => {
    const memory = { jetstream: { persistence: { mode: "MEMORY", size: "1Gi" } } };
    rejects({ ...memory, streams: [stream("S", ["s"], { storage: "file" })] }, { path: "spec.streams[0].storage", at: "storage: file", message: /persist in MEMORY and have no file store/ });
    rejects({ ...memory, objectStores: [{ bucket: "o", storage: "file" }] }, { path: "spec.objectStores[0].storage", at: "storage: file", message: /object store "o" uses file storage/ });
    accepts({ ...memory, streams: [stream("S", ["s"])] });
  });

  it("memory streams need a memory store (FILE servers without a memory limit have none)", () => {
    rejects({ resources: undefined, streams: [stream("S", ["s"], { storage: "memory" })] }, { path: "spec.streams[0].storage", at: "storage: memory", message: /no memory store/, hint: /resources\.limits\.memory/ });
    accepts({ streams: [stream("S", ["s"], { storage: "memory" })] });
  });

  it("declared sizes x replicas fit the cluster's file store", () => {
    const gi = 2 ** 30;
    rejects({ streams: [stream("S", ["s"], { maxBytes: 10 * gi })] }, { path: "spec.streams[0].maxBytes", at: "maxBytes: 10737418240", message: /more than a server's file store \(9Gi\)/ });
    rejects(
      { image: { tag: "2.11.17-alpine" }, streams: [stream("A", ["a"], { maxBytes: 5 * gi }), stream("B", ["b"], { maxBytes: 5 * gi })] },
      { path: "spec.streams[1].maxBytes", at: "maxBytes: 5368709120", occurrence: 2, message: /reserve 30Gi \(maxBytes x replicas\), more than the cluster's 27Gi \(3 x 9Gi\)/ },
    );
    accepts({ streams: [stream("A", ["a"], { maxBytes: 4 * gi }), stream("B", ["b"], { maxBytes: 4 * gi }), stream("C", ["c"], { maxBytes: gi, replicas: 1 })] });
  });

  it("declared sizes x replicas over the cluster's store: an error for 2.11 to 2.13, which refuse; a warning from 2.14, which creates the streams", () => {
    const gi = 2 ** 30;
    const two = [stream("A", ["a"], { maxBytes: 5 * gi }), stream("B", ["b"], { maxBytes: 5 * gi })];
    rejects({ image: { tag: "2.11.17-alpine" }, streams: two }, { path: "spec.streams[1].maxBytes", at: "maxBytes: 5368709120", occurrence: 2, message: /the server refuses the streams that do not fit/ });
    const spec = { image: { tag: "2.14.2-alpine" }, streams: [stream("A", ["a"], { maxBytes: 5 * gi }), stream("B", ["b"], { maxBytes: 5 * gi })] };
    accepts(spec);
    const d = diagnosticsOf(manifest({ ...BASE, ...spec })).find((x) => x.path === "spec.streams[1].maxBytes");
    assert.equal(d?.severity, "warning");
    assert.match(d.message, /the server creates them, but they cannot all reach maxBytes/);
    assert.doesNotMatch(d.message, /refuses/);
  });
});

describe("durations", () => {
  it("Go syntax: 7d is an error with the hint 168h", () => {
    rejects({ streams: [stream("S", ["s"], { maxAge: "7d" })] }, { path: "spec.streams[0].maxAge", at: "maxAge: 7d", message: /not a Go duration/, hint: /Use "168h"/ });
    rejects({ keyValues: [{ bucket: "b", ttl: "1d12h" }] }, { path: "spec.keyValues[0].ttl", at: "ttl: 1d12h", message: /not a Go duration/, hint: /"36h"/ });
    rejects({ streams: [stream("S", ["s"], { consumers: [{ durableName: "c", ackWait: "30" }] })] }, { path: "spec.streams[0].consumers[0].ackWait", at: "ackWait:", message: /not a Go duration/ });
    accepts({ streams: [stream("S", ["s"], { maxAge: "168h", duplicateWindow: "1m30s", consumers: [{ durableName: "c", ackWait: "1.5s" }] })], objectStores: [{ bucket: "o", ttl: "0" }] });
  });

  it("max age and duplicate window: at least 100ms, window within the age", () => {
    rejects({ streams: [stream("S", ["s"], { maxAge: "50ms" })] }, { path: "spec.streams[0].maxAge", at: "maxAge: 50ms", message: /below 100ms/ });
    rejects({ streams: [stream("S", ["s"], { maxAge: "1m", duplicateWindow: "2m" })] }, { path: "spec.streams[0].duplicateWindow", at: "duplicateWindow: 2m", message: /longer than maxAge/ });
    accepts({ streams: [stream("S", ["s"], { maxAge: "1m", duplicateWindow: "1m" })] });
  });
});

describe("consumers", () => {
  const one = (c: Spec, s: Spec = {}) => ({ streams: [stream("S", ["orders.>"], { ...s, consumers: [{ durableName: "c", ...c }] })] });
  const at = (f: string) => `spec.streams[0].consumers[0].${f}`;

  it("filter subjects lie inside the stream's subjects: a warning, since 2.10+ servers accept such a consumer", () => {
    const text = manifest({ ...BASE, ...one({ filterSubject: "payments.x" }) });
    const d = diagnosticsOf(text).find((x) => x.path === at("filterSubject"));
    assert.equal(d?.severity, "warning");
    assert.match(d.message, /outside stream "S"'s subjects \(orders\.>\): the consumer would never receive a message$/);
    assert.equal(d.source?.line, lineOf(text, "filterSubject: payments.x"));
    accepts(one({ filterSubject: "orders.*.created" }));
    accepts(one({ filterSubject: ">" }));
  });

  it("filterSubject and filterSubjects exclude each other; filters do not overlap", () => {
    rejects(one({ filterSubject: "orders.a", filterSubjects: ["orders.b"] }), { path: at("filterSubjects"), at: "filterSubjects:", message: /both filterSubject and filterSubjects/ });
    rejects(one({ filterSubjects: ["orders.*", "orders.a"] }), { path: `${at("filterSubjects")}[1]`, at: "- orders.a", message: /overlaps another filter/ });
    accepts(one({ filterSubjects: ["orders.a", "orders.b"] }));
  });

  it("filterSubjects needs nats-server 2.10", () => {
    rejects({ ...one({ filterSubjects: ["orders.a"] }), image: { tag: "2.9.25-alpine" } }, { path: at("filterSubjects"), at: "filterSubjects:", message: /needs nats-server 2\.10/ });
  });

  it("a deliver group needs a deliver subject", () => {
    rejects(one({ deliverGroup: "workers" }), { path: at("deliverGroup"), at: "deliverGroup: workers", message: /deliverGroup but no deliverSubject/ });
    accepts(one({ deliverGroup: "workers", deliverSubject: "deliver.c" }));
  });

  it("a deliver subject is literal, outside the stream, and push consumers take no pull settings", () => {
    rejects(one({ deliverSubject: "deliver.*" }), { path: at("deliverSubject"), at: "deliverSubject: deliver.*", message: /wildcard/ });
    rejects(one({ deliverSubject: "orders.out" }), { path: at("deliverSubject"), at: "deliverSubject: orders.out", message: /forms|cycle/ });
    rejects(one({ deliverSubject: "d", maxWaiting: 10 }), { path: at("maxWaiting"), at: "maxWaiting: 10", message: /pull consumers/ });
    rejects(one({ deliverSubject: "d", ackPolicy: "none", maxAckPending: 10 }), { path: at("maxAckPending"), at: "maxAckPending: 10", message: /needs acknowledgements/ });
    accepts(one({ maxWaiting: 10, maxAckPending: 10 }));
  });

  it("deliver policies and their start positions", () => {
    rejects(one({ deliverPolicy: "lastPerSubject" }), { path: at("deliverPolicy"), at: "deliverPolicy: lastPerSubject", message: /needs a filter subject/ });
    rejects(one({ deliverPolicy: "byStartSequence" }), { path: at("deliverPolicy"), at: "deliverPolicy: byStartSequence", message: /needs optStartSeq/ });
    rejects(one({ optStartSeq: 10 }), { path: at("optStartSeq"), at: "optStartSeq: 10", message: /only to deliverPolicy byStartSequence/ });
    accepts(one({ deliverPolicy: "lastPerSubject", filterSubject: "orders.*" }));
    accepts(one({ deliverPolicy: "byStartSequence", optStartSeq: 10 }));
  });

  it("consumer replicas: at most the stream's, equal to it on interest and workqueue streams", () => {
    rejects(one({ replicas: 3 }, { replicas: 1 }), { path: at("replicas"), at: "replicas: 3", occurrence: 2, message: /more than its stream's 1/ });
    rejects(one({ replicas: 1 }, { retention: "interest" }), { path: at("replicas"), at: "replicas: 1", message: /interest stream a consumer must have the stream's replicas \(3\)/ });
    accepts(one({ replicas: 1 }));
  });

  it("workqueue streams: explicit acks, deliver all, one consumer per disjoint filter", () => {
    const wq = (consumers: Spec[]) => ({ streams: [stream("W", ["jobs.>"], { retention: "workqueue", consumers })] });
    rejects(wq([{ durableName: "a", ackPolicy: "none" }]), { path: "spec.streams[0].consumers[0].ackPolicy", at: "ackPolicy: none", message: /must use ackPolicy explicit/ });
    rejects(wq([{ durableName: "a", deliverPolicy: "last" }]), { path: "spec.streams[0].consumers[0].deliverPolicy", at: "deliverPolicy: last", message: /must deliver all/ });
    rejects(wq([{ durableName: "a" }, { durableName: "b" }]), { path: "spec.streams[0].consumers[1].durableName", at: "durableName: b", message: /each needs a filter subject/ });
    rejects(
      wq([{ durableName: "a", filterSubject: "jobs.*" }, { durableName: "b", filterSubject: "jobs.eu" }]),
      { path: "spec.streams[0].consumers[1].filterSubject", at: "filterSubject: jobs.eu", message: /overlap those of "a"/ },
    );
    accepts(wq([{ durableName: "a", filterSubject: "jobs.us.>" }, { durableName: "b", filterSubject: "jobs.eu.>" }]));
  });
});

describe("NACK itself", () => {
  it("KeyValue and ObjectStore resources need the control loop", () => {
    rejects({ nack: { enabled: true }, keyValues: [{ bucket: "b" }] }, { path: "spec.keyValues", at: "keyValues:", message: /only in control-loop mode/, hint: /controlLoop: true/ });
    rejects({ nack: { enabled: true }, objectStores: [{ bucket: "b" }] }, { path: "spec.objectStores", at: "objectStores:", message: /ObjectStore resources only in control-loop mode/ });
    accepts({ nack: { enabled: true }, streams: [stream("S", ["s"])] });
  });

  it("Project Planton's snake_case manifests point at the line the user wrote", () => {
    const text = [
      "apiVersion: kubernetes.project-planton.org/v1",
      "kind: KubernetesNats",
      "metadata: {name: nats}",
      "spec:",
      "  namespace: nats",
      "  nack_controller: {enabled: true}",
      "  streams:",
      "  - name: orders",
      "    subjects: [orders.>]",
      "    max_age: 7d",
      "",
    ].join("\n");
    const d = errorsOf(text).find((x) => /Go duration/.test(x.message));
    assert.equal(d?.path, "spec.streams[0].max_age");
    assert.equal(d?.source?.line, 10);
  });
});

describe("the matching and parsing the rules rely on", () => {
  it("subjects collide when one literal subject matches both (the server's SubjectsCollide)", () => {
    const table: [string, string, boolean][] = [
      ["a.b", "a.b", true],
      ["a.*", "a.b", true],
      ["a.>", "a.b.c", true],
      ["a.>", "a", false],
      ["a.*", "a.b.c", false],
      ["*.b", "a.*", true],
      ["a.*.c", "a.b.*", true],
      ["a.*.c", "a.b.d", false],
      ["*.>", "a", false],
      [">", "a", true],
      ["a*", "ab", false],
    ];
    for (const [x, y, want] of table) {
      assert.equal(subjectsCollide(x, y), want, `${x} ~ ${y}`);
      assert.equal(subjectsCollide(y, x), want, `${y} ~ ${x}`);
    }
  });

  it("a subject is inside a pattern when every subject it matches, the pattern matches", () => {
    const table: [string, string, boolean][] = [
      ["a.b", "a.*", true],
      ["a.*", "a.b", false],
      ["a.b.c", "a.>", true],
      ["a.>", "a.*", false],
      ["a.*", "a.>", true],
      ["a.>", "a.>", true],
      ["a", "a.>", false],
    ];
    for (const [x, y, want] of table) assert.equal(isSubsetMatch(x, y), want, `${x} in ${y}`);
  });

  it("Go durations as time.ParseDuration reads them, with suggestions for days and weeks", () => {
    assert.equal(parseGoDuration("1h30m"), 5400e9);
    assert.equal(parseGoDuration("1.5s"), 1.5e9);
    assert.equal(parseGoDuration("500ms"), 500e6);
    assert.equal(parseGoDuration("0"), 0);
    for (const bad of ["7d", "30", "1 h", "", "h", "1hour"]) assert.equal(parseGoDuration(bad), undefined, bad);
    assert.equal(suggestGoDuration("7d"), "168h");
    assert.equal(suggestGoDuration("2w"), "336h");
    assert.equal(suggestGoDuration("1d30m"), "24h30m");
  });

  it("Kubernetes names of assets", () => {
    assert.equal(kubeName("ORDERS_v2"), "orders-v2");
    assert.equal(kubeName("a@b:c"), "a-b-c");
    assert.equal(kubeName("_x_"), "x");
  });
});

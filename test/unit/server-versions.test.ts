// The version table (src/nats/server-versions.ts) and what follows from it offline: validation of
// the image tag, and keys rendered or left out by the target version. The servers themselves
// check the table in test/integration/server-versions.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { acceptsKey, compareVersions, CONF_KEYS, OLDEST_SUPPORTED, parseVersion, serverAtLeast, serverRefuses, targetLabel } from "../../src/nats/server-versions.js";
import { NATS_IMAGE } from "../../src/spec/schema/resource.js";
import { diagnosticsOf, manifest, natsConfOf, render } from "../support/render.js";
import { NATS_SERVER_VERSIONS } from "../support/tools.js";

const at = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("versions", () => {
  it("tags parse with or without v, patch and variant; other tags are not versions", () => {
    assert.deepEqual(parseVersion("2.14.2-alpine"), { major: 2, minor: 14, patch: 2 });
    assert.deepEqual(parseVersion("v2.10"), { major: 2, minor: 10, patch: 0 });
    for (const tag of ["latest", "alpine", "scratch-2.10"]) assert.equal(parseVersion(tag), undefined, tag);
  });

  it("compare numerically; a tag that is no version counts as newest", () => {
    assert.equal(compareVersions("2.9.10", "2.14.2-alpine"), -1);
    assert.equal(compareVersions("2.10.0", "2.9.25"), 1);
    assert.equal(compareVersions("2.9.10", "v2.9.10"), 0);
    assert.equal(compareVersions("2.15.3", "latest"), -1);
    assert.ok(serverAtLeast("latest", "2.15"));
    assert.ok(serverAtLeast("2.10.29", "2.10") && !serverAtLeast("2.10.29", "2.14"));
  });

  it("the key table: what each version of the matrix accepts", () => {
    const accepted = (v: string) => (Object.keys(CONF_KEYS) as (keyof typeof CONF_KEYS)[]).filter((k) => !acceptsKey(v, k)).sort();
    assert.deepEqual(accepted("2.10.29"), ["cluster.write_deadline", "jetstream.info_queue_limit", "jetstream.limits.default_max_consumers", "jetstream.max_buffered_msgs", "jetstream.max_buffered_size", "jetstream.max_concurrent_io", "jetstream.meta_compact", "jetstream.strict", "write_timeout"]);
    assert.deepEqual(accepted("2.11.17"), ["jetstream.info_queue_limit", "jetstream.limits.default_max_consumers", "jetstream.max_concurrent_io"]);
    assert.deepEqual(accepted("2.14.2"), ["jetstream.limits.default_max_consumers", "jetstream.max_concurrent_io"]);
    assert.deepEqual(accepted("2.15.3"), []);
    assert.ok(acceptsKey("latest", "jetstream.max_concurrent_io"));
  });

  it("the behaviour table", () => {
    assert.deepEqual(["2.9.10", "2.10.29", "2.11.17", "2.14.2", "2.15.3"].map((v) => [serverRefuses(v, "filterOutsideStream"), serverRefuses(v, "consumerReplicasOnInterest"), serverRefuses(v, "clusterReservation")]), [
      [true, false, true],
      [false, true, true],
      [false, true, true],
      [false, true, false],
      [false, true, false],
    ]);
  });

  it("the default image is in the test matrix and at least the oldest supported line", () => {
    assert.ok(NATS_SERVER_VERSIONS.includes(targetLabel(NATS_IMAGE.tag)), `${NATS_IMAGE.tag} in ${NATS_SERVER_VERSIONS.join(" ")}`);
    assert.ok(NATS_SERVER_VERSIONS.every((v) => serverAtLeast(v, OLDEST_SUPPORTED)));
    assert.equal(targetLabel(NATS_SERVER_VERSIONS[0]!).replace(/\.\d+$/, ""), OLDEST_SUPPORTED, "the oldest line of the matrix is the oldest supported");
  });
});

describe("the image tag sets what is valid and what is rendered", () => {
  it("nats-server older than 2.11 is no longer supported: an error at the tag's line, saying why", () => {
    const cases = [
      ...["2.9.25-alpine", "2.9", "v2.8.4"].map((tag) => [tag, /older than 2\.11, which natskube no longer supports: it rejects keys natskube writes/] as const),
      ...["2.10.29-alpine", "2.10"].map((tag) => [tag, /older than 2\.11, which natskube no longer supports: its JetStream meta group sometimes forms with fewer servers/] as const),
    ];
    for (const [tag, message] of cases) {
      const text = manifest({ image: { tag } });
      const d = diagnosticsOf(text).find((x) => x.code === "server-version");
      assert.equal(d?.severity, "error", tag);
      assert.equal(d.path, "spec.image.tag");
      assert.equal(d.source?.line, at(text, "tag:"));
      assert.match(d.message, message);
      assert.match(d.hint ?? "", /Use nats-server 2\.11 or later.*docs\/server-versions\.md/);
    }
    for (const tag of ["2.11.0", "2.14.2-alpine", "latest"]) assert.deepEqual(diagnosticsOf(manifest({ image: { tag } })).filter((d) => d.code === "server-version"), [], tag);
  });

  it("cluster compression s2_auto on clustered deployments only", () => {
    for (const tag of ["2.11.17-alpine", "2.14.2-alpine", "latest"]) assert.match(natsConfOf(render(manifest({ replicas: 3, image: { tag } }))), /^\s+compression: "?s2_auto"?$/m, tag);
    assert.doesNotMatch(natsConfOf(render(manifest({ replicas: 1 }))), /compression/);
  });

  it("jetstream.strict: rendered as asked, absent when unset", () => {
    assert.match(natsConfOf(render(manifest({ jetstream: { strict: false } }))), /^\s+strict: false$/m);
    assert.match(natsConfOf(render(manifest({ image: { tag: "2.11.17-alpine" }, jetstream: { strict: false } }))), /^\s+strict: false$/m);
    assert.doesNotMatch(natsConfOf(render(manifest({}))), /strict/);
  });
});

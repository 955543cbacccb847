// The pinned tools (scripts/tools.env) are the versions natskube renders: the server matrix holds
// the default image's version, the exporter the tests run is the exporter image's version, and the
// NACK controller and CRDs of the kube tier are the controller image's version.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EXPORTER_IMAGE } from "../../src/spec/schema/monitoring.js";
import { NACK_IMAGE } from "../../src/spec/schema/nack.js";
import { NATS_IMAGE } from "../../src/spec/schema/resource.js";
import { NATS_SERVER_VERSIONS, PINNED } from "../support/tools.js";

const versionOf = (tag: string) => tag.replace(/-.*$/, "");
const order = (a: string, b: string) => {
  const [pa, pb] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (pa![i] !== pb![i]) return pa![i]! - pb![i]!;
  return 0;
};

test("the server matrix holds the default image's version and is listed oldest first", () => {
  assert.ok(NATS_SERVER_VERSIONS.length >= 2, `matrix ${NATS_SERVER_VERSIONS.join(" ")}`);
  assert.ok(NATS_SERVER_VERSIONS.includes(versionOf(NATS_IMAGE.tag)), `${NATS_IMAGE.tag} is not in ${NATS_SERVER_VERSIONS.join(" ")}`);
  assert.deepEqual([...NATS_SERVER_VERSIONS].sort(order), NATS_SERVER_VERSIONS);
  assert.match(NATS_SERVER_VERSIONS[0]!, /^2\.11\./, "the oldest supported line (README: Supported nats-server versions) is tested");
});

test("the exporter the tests run is the one natskube renders", () => {
  assert.equal(PINNED["EXPORTER_VERSION"], versionOf(EXPORTER_IMAGE.tag));
});

test("the NACK controller and CRDs the kube tier runs are the ones natskube renders", () => {
  assert.equal(PINNED["NACK_CONTROLLER_VERSION"], NACK_IMAGE.tag);
  assert.equal(PINNED["NACK_CRDS_VERSION"], NACK_IMAGE.tag);
});

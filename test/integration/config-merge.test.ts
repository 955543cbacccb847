// spec.configMerge on the real nats-server (issue 12): the keys natskube lets through are the server's
// to judge, and verify makes it judge them: known keys boot and take effect, an unknown key fails with
// the server's own words.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { connect } from "@nats-io/transport-node";
import type { VerifyReport } from "../../src/verify/report.js";
import { verify } from "../../src/verify/verify.js";
import { bootPods, defer, tempDir } from "../support/local.js";
import { manifest } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";

const OPTS = { firstAddress: "127.0.25.2", timeoutSeconds: 20 };
const failed = (r: VerifyReport) => r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);

describe("configMerge on the real server", () => {
  it("known keys pass verify, and take effect: the server announces the merged max_payload", { timeout: 60_000 }, async (t) => {
    const spec = { replicas: 1, jetstream: { enabled: true }, configMerge: { max_payload: 2097152, jetstream: { max_outstanding_catchup: 134217728 } } };
    const file = join(tempDir(t), "merge.yaml");
    writeFileSync(file, manifest(spec));
    const r = await verify(file, OPTS);
    assert.ok(r.ok, failed(r).join("\n"));
    await bootPods(t, manifest(spec), { bin: natsServerBin(), firstAddress: "127.0.25.9" });
    const nc = await connect({ servers: "nats://127.0.25.9:4222", timeout: 3000, reconnect: false });
    defer(t, () => nc.close());
    assert.equal(nc.info?.max_payload, 2097152);
  });

  it("an unknown key fails verify's first check with the server's words", { timeout: 60_000 }, async (t) => {
    const file = join(tempDir(t), "unknown.yaml");
    writeFileSync(file, manifest({ replicas: 1, configMerge: { max_paylaod: 2097152 } }));
    const r = await verify(file, OPTS);
    assert.equal(r.ok, false);
    const first = r.checks[0]!;
    assert.equal(first.ok, false);
    assert.match(first.detail, /unknown field "max_paylaod"/);
  });
});


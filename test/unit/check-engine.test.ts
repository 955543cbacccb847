// Parse -> resolve -> check -> render (issue 14): one Model per document, built once by the resolve step,
// which the correctness rules, the risk rules and render all read.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CheckContext } from "../../src/check/context.js";
import type { LintRule } from "../../src/check/risk-rule.js";
import { runChecks } from "../../src/check/run.js";
import { lintDocument } from "../../src/lint/run.js";
import type { Model } from "../../src/model/model.js";
import { localTopology } from "../../src/model/topology.js";
import { parseText, renderParsed } from "../../src/pipeline.js";
import { LINT_CLEAN_SPEC, manifest, parseValid } from "../support/render.js";

const GI = 2 ** 30;
const stream = (extra: Record<string, unknown> = {}) => ({ name: "ORDERS", subjects: ["orders.>"], ...extra });

/** A risk rule that records the context it ran on and finds nothing. */
function spyRule(seen: CheckContext[]): LintRule {
  return {
    id: "spy",
    severity: "warning",
    path: ["spec"],
    title: "records its context",
    why: "a test rule that records the context the engine hands it",
    fix: "none",
    examples: { fail: {}, pass: {} },
    check: (ctx) => (seen.push(ctx), []),
  };
}

describe("the rule engine runs over the Model", () => {
  it("one Model per document: the checks, lint and render read the object resolve built", () => {
    const parsed = parseValid(manifest({ ...LINT_CLEAN_SPEC, streams: [stream({ maxBytes: GI })] }));
    assert.ok(parsed.model && parsed.context, "a valid document carries its Model and check context");
    assert.equal(parsed.context.model, parsed.model);
    assert.equal(parsed.model.resource, parsed.resource);
    const seen: CheckContext[] = [];
    lintDocument(parsed, { rules: [spyRule(seen)] });
    assert.equal(seen.length, 1);
    assert.equal(seen[0], parsed.context, "lint runs on the context the correctness rules saw");
    assert.equal(seen[0]!.model, parsed.model);
    assert.equal(renderParsed(parsed)!.model, parsed.model, "render uses the same Model, it builds none");
    // An option that changes the Model builds another one (verify's loopback topology), and only then.
    const local = renderParsed(parsed, { topology: localTopology(["127.0.0.2", "127.0.0.3", "127.0.0.4"]) })!;
    assert.notEqual(local.model, parsed.model);
    assert.equal(renderParsed(parsed)!.model, parsed.model);
  });

  it("runs both families over one context, correctness first", () => {
    const ctx = parseValid(manifest(LINT_CLEAN_SPEC)).context!;
    const order: string[] = [];
    const contexts: CheckContext[] = [];
    const result = runChecks(ctx, {
      correctness: [(c) => (order.push("correctness"), contexts.push(c), [{ code: "cross-field", path: ["spec"], message: "c" }])],
      risk: { rules: [{ ...spyRule(contexts), check: (c) => (order.push("risk"), contexts.push(c), [{ message: "r", fix: "f" }]) }], severity: () => "error" },
    });
    assert.deepEqual(order, ["correctness", "risk"]);
    assert.ok(contexts.every((c) => c === ctx));
    assert.deepEqual(result.correctness.map((f) => f.message), ["c"]);
    assert.deepEqual(result.risks.map((r) => [r.rule.id, r.severity, r.message, r.suppressed]), [["spy", "error", "r", false]]);
  });

  it("a risk rule the preset leaves out does not run, and the suppression annotation is the engine's", () => {
    const parsed = parseValid(manifest(LINT_CLEAN_SPEC, { annotations: { "natskube.dev/lint-ignore": "spy" } }));
    const seen: CheckContext[] = [];
    const off = runChecks(parsed.context!, { correctness: [], risk: { rules: [spyRule(seen)], severity: () => undefined } });
    assert.deepEqual([off.risks.length, seen.length], [0, 0]);
    const on = runChecks(parsed.context!, { correctness: [], risk: { rules: [{ ...spyRule(seen), check: () => [{ message: "m", fix: "f" }] }], severity: (r) => r.severity } });
    assert.deepEqual(on.risks.map((r) => r.suppressed), [true]);
  });

  it("stream-limits judges declared sizes against the Model's stores, not a derivation of its own", () => {
    const ctx = parseValid(manifest({ jetstream: { persistence: { mode: "FILE", size: "10Gi" } }, streams: [stream({ maxBytes: GI })] })).context!;
    const messages = (model: Model) => runChecks({ ...ctx, model }).correctness.map((f) => f.message);
    assert.deepEqual(messages(ctx.model), []);
    // The same spec over a Model whose file store is 512Mi: the rule must follow the Model.
    const smaller: Model = { ...ctx.model, jetstream: { ...ctx.model.jetstream, maxFileStore: 512 * 2 ** 20 } };
    assert.deepEqual(messages(smaller), [`stream "ORDERS" reserves maxBytes 1Gi on each replica's server, more than a server's file store (512Mi)`]);
  });

  it("stream-limits adds up what the Model says each asset reserves, and consumers take their stream's replicas from it", () => {
    const ctx = parseValid(manifest({ image: { tag: "2.11.17-alpine" }, streams: [stream({ maxBytes: GI, consumers: [{ durableName: "c", replicas: 3 }] })] })).context!;
    const findings = (model: Model) => runChecks({ ...ctx, model }).correctness.map((f) => `${f.path.join(".")}: ${f.message}`);
    assert.deepEqual(findings(ctx.model), []);
    const [orders] = ctx.model.assets.streams;
    const asset = { ...orders!, replicas: 1, reserves: 100 * GI };
    const model: Model = { ...ctx.model, assets: { ...ctx.model.assets, streams: [asset], all: [asset] } };
    assert.deepEqual(findings(model), [
      `spec.streams.0.maxBytes: with stream "ORDERS", the declared file streams reserve 100Gi (maxBytes x replicas), more than the cluster's 27Gi (3 x 9Gi): the server refuses the streams that do not fit`,
      `spec.streams.0.consumers.0.replicas: consumer "c" asks for 3 replicas, more than its stream's 1`,
    ]);
  });

  it("resolves documents whose settings contradict each other without throwing, and keeps a Model only for a valid one", () => {
    const contradictions = [
      { jetstream: { enabled: false }, streams: [stream({ maxBytes: GI, replicas: 5 })], keyValues: [{ bucket: "kv", replicas: 9 }] },
      { replicas: 1, jetstream: { persistence: { mode: "MEMORY" } }, streams: [stream({ storage: "file", maxBytes: 50 * GI })] },
      { tls: { enabled: false, routes: true, secretName: "x", caKey: "ca.crt" }, auth: { enabled: false, mode: "BASIC" } },
      { tls: { enabled: true, secretName: "t", certManager: { issuerRef: { name: "ca", kind: "ClusterIssuer" } } }, replicas: 3 },
      { resources: { requests: { memory: "8Gi" }, limits: { memory: "1Gi" } }, jetstream: { persistence: { mode: "MEMORY", size: "64Gi" } } },
      { externalAccess: { type: "NONE", hostname: "nats.example.com" }, service: { type: "ClusterIP", nodePort: 30422 } },
      { nack: { enabled: false }, streams: [stream({ consumers: [{ durableName: "c", replicas: 7, filterSubject: "other.>" }] })] },
    ];
    for (const spec of contradictions) {
      const result = parseText(manifest(spec), "contradiction.yaml");
      assert.ok(result.diagnostics.length > 0, JSON.stringify(spec));
      assert.ok(result.diagnostics.every((d) => d.message && !d.message.includes("undefined")), JSON.stringify(result.diagnostics));
      const invalid = result.diagnostics.some((d) => d.severity === "error");
      assert.equal(result.parsed[0]!.model === undefined, invalid);
      assert.equal(result.parsed[0]!.resource === undefined, invalid);
    }
  });
});

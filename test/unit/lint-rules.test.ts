import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { lintRulesMarkdown } from "../../src/lint/docs.js";
import { PRESETS, type PresetName } from "../../src/lint/presets.js";
import { ANNOTATIONS, type LintRule } from "../../src/check/risk-rule.js";
import { LINT_RULES } from "../../src/check/risk/index.js";
import { lintDocument, totals, type LintFinding } from "../../src/lint/run.js";
import { parseText } from "../../src/pipeline.js";
import { ROOT } from "../support/cli.js";
import { manifest, render } from "../support/render.js";

type Spec = Record<string, unknown>;

/** Lints the first document; fails the test when the manifest does not validate (lint only sees valid input). */
function lint(text: string, preset: PresetName = "strict"): LintFinding[] {
  const r = parseText(text, "test.yaml");
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  assert.deepEqual(errors.map((d) => `${d.path}: ${d.message}`), [], "the manifest must be valid");
  const doc = lintDocument(r.parsed[0]!, { preset });
  assert.ok(doc);
  return doc.findings;
}

const ids = (fs: readonly LintFinding[]) => fs.map((f) => f.ruleId);
const of = (rule: string, spec: Spec = {}, metadata: Spec = {}, preset: PresetName = "strict") =>
  lint(manifest(spec, metadata), preset).filter((f) => f.ruleId === rule);
const fires = (rule: string, spec: Spec = {}, metadata: Spec = {}) => assert.ok(of(rule, spec, metadata).length > 0, `${rule} should fire for ${JSON.stringify(spec)}`);
const quiet = (rule: string, spec: Spec = {}, metadata: Spec = {}) =>
  assert.deepEqual(of(rule, spec, metadata).map((f) => f.message), [], `${rule} should not fire for ${JSON.stringify(spec)}`);

const GUARANTEED = (mem: string) => ({ requests: { cpu: "1", memory: mem }, limits: { cpu: "1", memory: mem } });
const stream = (s: Spec) => ({ name: "ORDERS", subjects: ["orders.>"], ...s });

describe("lint rule registry", () => {
  it("ids are unique, kebab-case, with a title, why, fix and a path", () => {
    const seen = new Set<string>();
    for (const r of LINT_RULES) {
      assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(!seen.has(r.id), `duplicate ${r.id}`);
      seen.add(r.id);
      assert.ok(r.title && r.why.length > 40 && r.fix && r.path.length > 0, r.id);
    }
  });
  it("lists every file in src/check/risk (one rule per file, named after its id)", () => {
    const files = readdirSync(join(ROOT, "src", "check", "risk"))
      .filter((f) => f.endsWith(".ts") && f !== "index.ts")
      .map((f) => f.replace(/\.ts$/, ""));
    assert.deepEqual(files.sort(), LINT_RULES.map((r) => r.id).sort());
  });
  it("covers the rules issue 5 asks for", () => {
    for (const id of [
      "even-replicas",
      "too-few-replicas",
      "replicas-without-reason",
      "missing-resources",
      "memory-store-exceeds-limit",
      "memory-persistence-replicated",
      "file-store-without-storage-class",
      "file-store-too-small",
      "auth-disabled",
      "tls-disabled",
      "route-tls-disabled",
      "anti-affinity-not-required",
      "exposed-without-auth-or-tls",
      "ingress-without-tls",
      "monitoring-disabled",
      "streams-without-nack",
      "single-replica-stream",
      "memory-stream-on-file-cluster",
      "unpinned-image",
    ])
      assert.ok(LINT_RULES.some((r) => r.id === id), id);
  });
});

describe("every rule: its failing example fires it, its passing example does not", () => {
  for (const rule of LINT_RULES)
    it(rule.id, () => {
      const { fail, pass } = rule.examples;
      const failing = of(rule.id, fail.spec, fail.metadata);
      assert.ok(failing.length > 0, `failing example does not fire ${rule.id}`);
      for (const f of failing) {
        assert.ok(f.source && f.source.line >= 1 && f.source.col >= 1, "findings carry file:line:col");
        assert.ok(f.message.length > 20 && f.fix.length > 5);
        assert.equal(f.severity, PRESETS.strict.severity(rule));
      }
      assert.deepEqual(of(rule.id, pass.spec, pass.metadata).map((f) => f.message), []);
    });
});

describe("rule boundaries", () => {
  it("even-replicas: 2 and 4 fail, 1, 3 and 5 pass", () => {
    fires("even-replicas", { replicas: 2 });
    const [f] = of("even-replicas", { replicas: 4 });
    assert.match(f!.message, /tolerate 1 failure, the same as 3/);
    assert.equal(f!.path, "spec.replicas");
    for (const n of [1, 3, 5]) quiet("even-replicas", { replicas: n });
  });
  it("too-few-replicas: only with production intent (auth or TLS)", () => {
    quiet("too-few-replicas", { replicas: 1 });
    fires("too-few-replicas", { replicas: 2, tls: { enabled: true } });
    quiet("too-few-replicas", { replicas: 3, tls: { enabled: true }, auth: { enabled: true } });
  });
  it("replicas-without-reason: 5 passes, 7 needs a non-empty reason", () => {
    quiet("replicas-without-reason", { replicas: 5 });
    fires("replicas-without-reason", { replicas: 7 }, { annotations: { [ANNOTATIONS.replicasReason]: " " } });
  });
  it("anti-affinity-not-required: one server, or a custom affinity with required anti-affinity, passes", () => {
    quiet("anti-affinity-not-required", { replicas: 1 });
    fires("anti-affinity-not-required", { scheduling: { antiAffinity: "NONE" } });
    const term = { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "nats" } } };
    quiet("anti-affinity-not-required", { scheduling: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } } });
    const [f] = of("anti-affinity-not-required", {
      scheduling: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }] } } },
    });
    assert.equal(f!.path, "spec.scheduling.affinity");
  });
  it("missing-resources: limits alone suffice (requests default to them); a missing limit is named", () => {
    quiet("missing-resources", { resources: { limits: { cpu: "1", memory: "4Gi" } } });
    const [f] = of("missing-resources", { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "4Gi" } } });
    assert.match(f!.message, /no limits\.cpu/);
  });
  it("memory-not-guaranteed: only when both are set and differ", () => {
    quiet("memory-not-guaranteed", { resources: { limits: { cpu: "1", memory: "4Gi" } } });
    quiet("memory-not-guaranteed", { resources: { requests: { memory: "4096Mi" }, limits: { memory: "4Gi" } } });
  });
  it("jetstream-memory-limit-too-low: FILE mode only, 2Gi passes", () => {
    quiet("jetstream-memory-limit-too-low", { resources: GUARANTEED("2Gi") });
    quiet("jetstream-memory-limit-too-low", { resources: GUARANTEED("1Gi"), jetstream: { enabled: false } });
    quiet("jetstream-memory-limit-too-low", { resources: GUARANTEED("1Gi"), jetstream: { persistence: { mode: "MEMORY", size: "256Mi" } } });
  });
  it("memory-store-exceeds-limit: the derived store (half the limit) passes; a store above the limit fails", () => {
    quiet("memory-store-exceeds-limit", { resources: GUARANTEED("2Gi"), jetstream: { persistence: { mode: "MEMORY" } } });
    const [f] = of("memory-store-exceeds-limit", { resources: GUARANTEED("1Gi"), jetstream: { persistence: { mode: "MEMORY", size: "3Gi" } } });
    assert.match(f!.fix, /at most 512Mi/);
  });
  it("memory-persistence-replicated: a single MEMORY server passes", () => {
    quiet("memory-persistence-replicated", { replicas: 1, jetstream: { persistence: { mode: "MEMORY" } } });
  });
  it("file-store-without-storage-class: not for MEMORY or without JetStream", () => {
    quiet("file-store-without-storage-class", { jetstream: { enabled: false } });
    quiet("file-store-without-storage-class", { jetstream: { persistence: { mode: "MEMORY" } } });
  });
  it("file-store-too-small: sums maxBytes x replicas / servers, and the largest stream must fit one server with headroom", () => {
    const G = 2 ** 30;
    // 3 x R3 x 2.5Gi over 3 servers = 7.5Gi per server: 83% of 9Gi (10Gi PVC).
    const three = [1, 2, 3].map((i) => stream({ name: `S${i}`, subjects: [`s${i}.>`], maxBytes: 2.5 * G }));
    const [f] = of("file-store-too-small", { streams: [...three, stream({ name: "FREE", subjects: ["free.>"] })] });
    assert.match(f!.message, /reserve 7\.5Gi per server, 83% of max_file_store 9Gi \(PVC 10Gi\); 1 more without maxBytes share the remaining 1\.5Gi/);
    assert.match(f!.fix, /at least 11Gi/);
    // One R1 stream of 8Gi on 5 servers: 1.6Gi on average, but one server holds all of it.
    fires("file-store-too-small", { replicas: 5, streams: [stream({ replicas: 1, maxBytes: 8 * G })] });
    quiet("file-store-too-small", { streams: [stream({ maxBytes: 7 * G })] });
    quiet("file-store-too-small", { streams: [stream({ storage: "memory", maxBytes: 90 * G })], resources: GUARANTEED("512Gi") });
  });
  it("memory-store-too-small: FILE mode compares with a quarter of the memory limit", () => {
    const [f] = of("memory-store-too-small", { resources: GUARANTEED("4Gi"), keyValues: [{ bucket: "config", storage: "memory", maxBytes: 900 * 2 ** 20 }] });
    assert.equal(f!.path, "spec.resources.limits.memory");
    assert.match(f!.message, /900Mi per server, 88% of max_memory_store 1Gi/);
    assert.match(f!.fix, /at least 5Gi/);
  });
  it("what validate refuses is not linted again: stream replicas above the servers, streams that do not fit the store", () => {
    const over = parseText(manifest({ replicas: 1, streams: [stream({ replicas: 3 })] }), "t.yaml").diagnostics;
    assert.ok(over.some((d) => d.severity === "error" && d.path === "spec.streams[0].replicas"), JSON.stringify(over));
    const big = parseText(manifest({ streams: [stream({ maxBytes: 16 * 2 ** 30 })] }), "t.yaml").diagnostics;
    assert.ok(big.some((d) => d.severity === "error" && d.path === "spec.streams[0].maxBytes"), JSON.stringify(big));
  });
  it("route-tls-disabled: irrelevant on one server", () => {
    quiet("route-tls-disabled", { replicas: 1, tls: { enabled: true, routes: false } });
  });
  it("exposed-without-auth-or-tls: an Ingress needs auth; its TLS is ingress-without-tls's business", () => {
    const [f] = of("exposed-without-auth-or-tls", { externalAccess: { type: "INGRESS", hostname: "nats.example.com", tlsSecretName: "t" } });
    assert.match(f!.message, /Ingress \(WebSocket\) without authentication/);
    quiet("exposed-without-auth-or-tls", { auth: { enabled: true }, externalAccess: { type: "INGRESS", hostname: "nats.example.com" } });
    const [g] = of("exposed-without-auth-or-tls", { auth: { enabled: true }, externalAccess: { type: "LOADBALANCER" } });
    assert.match(g!.message, /without TLS/);
    assert.equal(g!.severity, "error");
  });
  it("unpinned-image: every enabled image; disabled components are not checked", () => {
    const [f] = of("unpinned-image", { natsBox: { image: { tag: "latest" } } });
    assert.equal(f!.path, "spec.natsBox.image.tag");
    quiet("unpinned-image", { natsBox: { enabled: false, image: { tag: "latest" } } });
    fires("unpinned-image", { monitoring: { enabled: true, image: { tag: "0.20" } } });
    fires("unpinned-image", { nack: { enabled: true, image: { tag: "stable" } } });
    const [r] = of("unpinned-image", { reloader: { image: { tag: "latest" } } });
    assert.equal(r!.path, "spec.reloader.image.tag");
    for (const tag of ["2.14.2", "v2.14.2", "2.14.2-alpine", "2.14.2-scratch"]) quiet("unpinned-image", { image: { tag } });
    for (const tag of ["2.14", "2", "alpine", "2.14-alpine"]) fires("unpinned-image", { image: { tag } });
  });
  it("stream rules cover KV buckets and object stores too", () => {
    const [f] = of("single-replica-stream", { nack: { enabled: true, controlLoop: true }, objectStores: [{ bucket: "blobs", replicas: 1 }] });
    assert.equal(f!.path, "spec.objectStores[0].replicas");
    quiet("single-replica-stream", { replicas: 1, streams: [stream({})] });
    fires("memory-stream-on-file-cluster", { resources: GUARANTEED("4Gi"), nack: { enabled: true, controlLoop: true }, keyValues: [{ bucket: "cfg", storage: "memory" }] });
    quiet("memory-stream-on-file-cluster", { resources: GUARANTEED("4Gi"), jetstream: { persistence: { mode: "MEMORY" } }, streams: [stream({ storage: "memory" })] });
    fires("streams-without-nack", { objectStores: [{ bucket: "blobs" }] });
    quiet("stream-without-limits", { nack: { enabled: true, controlLoop: true }, keyValues: [{ bucket: "cfg", ttl: "24h" }], streams: [stream({ maxBytes: 1024 })] });
    fires("stream-without-limits", { streams: [stream({ maxAge: "0s" })] });
  });
  it("unknown-lint-ignore suggests the closest rule id", () => {
    const [f] = of("unknown-lint-ignore", {}, { annotations: { [ANNOTATIONS.lintIgnore]: "tls-disabled, monitoring-disable" } });
    assert.match(f!.fix, /Did you mean "monitoring-disabled"/);
  });
});

describe("presets and opt-out", () => {
  const dev = manifest({ replicas: 1, jetstream: { enabled: false } });
  it("recommended leaves strict-only rules out and keeps default severities", () => {
    const strictOnly = LINT_RULES.filter((r) => r.strictOnly).map((r) => r.id);
    assert.ok(strictOnly.length >= 3);
    const rec = lint(manifest({ nack: { enabled: true }, streams: [stream({})] }), "recommended");
    for (const id of strictOnly) assert.ok(!ids(rec).includes(id), id);
    assert.equal(rec.find((f) => f.ruleId === "auth-disabled")?.severity, "warning");
  });
  it("strict runs every rule and raises security and availability warnings to errors", () => {
    const strict = lint(manifest({ nack: { enabled: true }, streams: [stream({})] }), "strict");
    for (const id of ["network-policy-disabled", "stream-without-limits", "nack-control-loop-disabled"]) assert.ok(ids(strict).includes(id), id);
    assert.equal(strict.find((f) => f.ruleId === "auth-disabled")?.severity, "error");
    const raised: LintRule[] = LINT_RULES.filter((r) => r.strictSeverity === "error" && r.severity === "warning");
    assert.ok(raised.length >= 5);
  });
  it("natskube.dev/lint-ignore marks findings suppressed, per resource, and they stop counting", () => {
    const before = totals([{ file: "t", index: 0, kind: "KubernetesNats", name: "n", namespace: "n", findings: lint(dev, "recommended") }]);
    const ignoring = manifest({ replicas: 1, jetstream: { enabled: false } }, { annotations: { [ANNOTATIONS.lintIgnore]: "auth-disabled,tls-disabled" } });
    const findings = lint(ignoring, "recommended");
    assert.deepEqual(findings.filter((f) => f.suppressed).map((f) => f.ruleId).sort(), ["auth-disabled", "tls-disabled"]);
    const after = totals([{ file: "t", index: 0, kind: "KubernetesNats", name: "n", namespace: "n", findings }]);
    assert.equal(after.warnings, before.warnings - 2);
    assert.equal(after.suppressed, 2);
  });
  it("natskube.dev/* annotations are not copied onto rendered objects (editing them must not roll the pods)", () => {
    const r = render(manifest({}, { annotations: { [ANNOTATIONS.lintIgnore]: "auth-disabled", "team.example.com/owner": "payments" } }));
    for (const o of r.objects) {
      const a = (o.metadata.annotations ?? {}) as Record<string, string>;
      assert.ok(!(ANNOTATIONS.lintIgnore in a), `${o.kind}/${o.metadata.name}`);
    }
    assert.ok(r.objects.some((o) => (o.metadata.annotations as Record<string, string> | undefined)?.["team.example.com/owner"] === "payments"));
  });
});

describe("finding locations", () => {
  it("point at the written field, in the user's spelling (Project Planton fields too)", () => {
    const text = [
      "apiVersion: kubernetes.project-planton.org/v1",
      "kind: KubernetesNats",
      "metadata:",
      "  name: nats",
      "spec:",
      "  namespace: nats",
      "  server_container:",
      "    replicas: 4",
    ].join("\n");
    const f = lint(text).find((x) => x.ruleId === "even-replicas")!;
    assert.equal(f.path, "spec.server_container.replicas");
    assert.deepEqual(f.source, { file: "test.yaml", line: 8, col: 5 });
  });
  it("an unwritten (defaulted) field points at its nearest written parent", () => {
    const f = lint(manifest({})).find((x) => x.ruleId === "auth-disabled")!;
    const line = manifest({}).split("\n")[f.source!.line - 1];
    assert.equal(line, "spec:");
  });
});

describe("docs/lint.md", () => {
  const BEGIN = "<!-- rules:begin (generated from src/check/risk by lintRulesMarkdown; NATSKUBE_UPDATE_DOCS=1 to update) -->";
  const END = "<!-- rules:end -->";
  it("holds the generated rules section (every rule, with its failing and passing example)", () => {
    const path = join(ROOT, "docs", "lint.md");
    const text = readFileSync(path, "utf8");
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    assert.ok(start >= 0 && end > start, "docs/lint.md has the rules markers");
    const want = `${BEGIN}\n${lintRulesMarkdown()}${END}`;
    if (process.env["NATSKUBE_UPDATE_DOCS"] === "1") writeFileSync(path, text.slice(0, start) + want + text.slice(end + END.length));
    else assert.equal(text.slice(start, end + END.length), want, "run: npm run build && NATSKUBE_UPDATE_DOCS=1 node --test dist/test/unit/lint-rules.test.js");
    for (const r of LINT_RULES) assert.ok(want.includes(`### ${r.id}\n`), r.id);
  });
});

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import Ajv from "ajv";
import { LINT_JSON_SCHEMA, type LintJsonReport } from "../../src/lint/json.js";
import { PRESETS } from "../../src/lint/presets.js";
import { LINT_RULES } from "../../src/lint/rules/index.js";
import { cli, ROOT } from "../support/cli.js";
import { manifest } from "../support/render.js";

let dir = "";
const file = (name: string) => join(dir, name);

before(() => {
  dir = mkdtempSync(join(tmpdir(), "natskube-lint-"));
  const guarded = {
    replicas: 3,
    resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "2", memory: "8Gi" } },
    jetstream: { persistence: { mode: "FILE", size: "50Gi", storageClass: "fast-ssd" } },
    auth: { enabled: true },
    tls: { enabled: true, certManager: { issuerRef: { name: "ca", kind: "ClusterIssuer" } } },
    monitoring: { enabled: true },
    scheduling: { antiAffinity: "REQUIRED" },
  };
  writeFileSync(file("clean.yaml"), manifest(guarded));
  writeFileSync(file("even.yaml"), manifest({ ...guarded, replicas: 4 }));
  writeFileSync(file("even-ignored.yaml"), manifest({ ...guarded, replicas: 4 }, { annotations: { "natskube.dev/lint-ignore": "even-replicas" } }));
  writeFileSync(file("two-docs.yaml"), manifest(guarded) + "---\n" + manifest({ ...guarded, replicas: 2 }, { name: "second" }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const EXIT_OK = 0;
const EXIT_FAIL = 1;
const EXIT_USAGE = 2;

describe("natskube lint (text)", () => {
  it("a production manifest: no findings, exit 0", () => {
    const r = cli(["lint", "examples/production.yaml"]);
    assert.equal(r.code, EXIT_OK, r.stdout + r.stderr);
    assert.equal(r.stdout, "no findings in 1 file\n");
    assert.equal(r.stderr, "");
  });
  it("dev: warnings grouped under the file, with file:line:col, severity, rule, path, message, fix; exit 0", () => {
    const r = cli(["lint", "examples/dev.yaml"]);
    assert.equal(r.code, EXIT_OK, r.stdout + r.stderr);
    const lines = r.stdout.split("\n");
    assert.equal(lines[0], "examples/dev.yaml");
    assert.equal(lines[1], "  KubernetesNats nats-dev/nats");
    const i = lines.indexOf("  examples/dev.yaml:13:5: warning auth-disabled spec.auth.enabled");
    assert.ok(i > 0, r.stdout);
    assert.match(lines[i + 1]!, /^ {4}authentication is disabled: /);
    assert.match(lines[i + 2]!, /^ {4}fix: Set auth\.enabled: true/);
    assert.match(r.stdout, /\n4 warnings in 1 file\n$/);
  });
  it("--strict makes warnings fail (exit 1) with the same report", () => {
    const plain = cli(["lint", "examples/dev.yaml"]);
    const strict = cli(["lint", "examples/dev.yaml", "--strict"]);
    assert.equal(strict.code, EXIT_FAIL);
    assert.equal(strict.stdout, plain.stdout);
  });
  it("an error-severity finding fails the run", () => {
    const r = cli(["lint", file("even.yaml")]);
    assert.equal(r.code, EXIT_FAIL, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`${file("even.yaml").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+: error even-replicas spec\\.replicas\\n`));
    assert.match(r.stdout, /\n1 error in 1 file\n$/);
  });
  it("natskube.dev/lint-ignore suppresses a rule for that resource: exit 0, counted in the summary", () => {
    const r = cli(["lint", file("even-ignored.yaml")]);
    assert.equal(r.code, EXIT_OK, r.stdout + r.stderr);
    assert.equal(r.stdout, "no findings in 1 file (1 suppressed by natskube.dev/lint-ignore)\n");
  });
  it("several files and documents: one group per file, a line per resource, one summary", () => {
    const r = cli(["lint", "examples/staging.yaml", file("two-docs.yaml"), "examples/production.yaml"]);
    assert.equal(r.code, EXIT_FAIL, r.stdout + r.stderr);
    assert.match(r.stdout, /^examples\/staging\.yaml\n  KubernetesNats nats-staging\/nats\n/);
    assert.ok(r.stdout.includes(`\n${file("two-docs.yaml")}\n  KubernetesNats nats/second (document 2)\n`), r.stdout);
    assert.ok(!r.stdout.includes("examples/production.yaml"), "files without findings are not listed");
    assert.match(r.stdout, /\n1 error, 5 warnings in 3 files\n$/);
  });
  it("--preset strict runs strict-only rules and raises severities", () => {
    // The production preset leaves NACK's control loop off; examples/production.yaml turns it on and is clean.
    const preset = cli(["init", "--preset", "production"]).stdout;
    const r = cli(["lint", "--preset", "strict", "-"], preset);
    assert.equal(r.code, EXIT_OK, "strict-only rules are warnings");
    assert.match(r.stdout, /warning nack-control-loop-disabled spec\.nack\.controlLoop/);
    assert.equal(cli(["lint", "--preset", "strict", "--strict", "-"], preset).code, EXIT_FAIL);
    assert.equal(cli(["lint", "--preset", "strict", "--strict", "examples/production.yaml"]).code, EXIT_OK);
    const dev = cli(["lint", "--preset", "strict", "examples/dev.yaml"]);
    assert.equal(dev.code, EXIT_FAIL);
    assert.match(dev.stdout, /error auth-disabled/);
  });
  it("reads standard input as -", () => {
    const r = cli(["lint", "-"], readFileSync(file("even.yaml"), "utf8"));
    assert.equal(r.code, EXIT_FAIL);
    assert.match(r.stdout, /^-\n/);
    assert.match(r.stdout, /-:\d+:\d+: error even-replicas/);
  });
  it("validation warnings go to stderr as validate prints them; findings to stdout", () => {
    const r = cli(["lint", "examples/planton.yaml"]);
    assert.equal(r.code, EXIT_OK);
    assert.match(r.stderr, /^examples\/planton\.yaml:\d+:\d+: info cross-field spec\.tls_enabled: /);
    assert.match(r.stdout, /warning memory-not-guaranteed spec\.server_container\.resources\.requests\.memory/);
  });
  it("invalid input: validation errors on stderr, nothing linted, exit 1", () => {
    const r = cli(["lint", "test/fixtures/invalid/07-replicas-zero.yaml", "examples/dev.yaml"]);
    assert.equal(r.code, EXIT_FAIL);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /test\/fixtures\/invalid\/07-replicas-zero\.yaml:\d+:\d+: error range /);
    assert.match(r.stderr, /^1 error, 0 warnings in 2 files$/m);
    const missing = cli(["lint", "no/such.yaml"]);
    assert.equal(missing.code, EXIT_FAIL);
    assert.match(missing.stderr, /cannot read no\/such\.yaml: no such file/);
  });
  it("usage errors exit 2", () => {
    for (const args of [["lint"], ["lint", "examples/dev.yaml", "--preset", "paranoid"], ["lint", "examples/dev.yaml", "-o", "xml"], ["lint", "examples/dev.yaml", "--bogus"]]) {
      const r = cli(args);
      assert.equal(r.code, EXIT_USAGE, args.join(" "));
      assert.match(r.stderr, /Usage: natskube lint FILE\.\.\./);
      assert.equal(r.stdout, "");
    }
  });
  it("--help lists every rule with its severities; the top help lists lint", () => {
    const r = cli(["lint", "--help"]);
    assert.equal(r.code, EXIT_OK);
    for (const rule of LINT_RULES) assert.match(r.stdout, new RegExp(`^  ${rule.id} +${PRESETS.recommended.severity(rule) ?? "off"}/`, "m"));
    assert.match(cli(["--help"]).stdout, /^ {2}lint +Check manifests against production best practices/m);
  });
});

const ajv = new Ajv.default({ strict: true, allErrors: true });

describe("natskube lint -o json", () => {
  const validate = ajv.compile<LintJsonReport>(LINT_JSON_SCHEMA);
  it("matches its JSON Schema; summary, findings and exit code agree", () => {
    const r = cli(["lint", "-o", "json", "examples/dev.yaml", file("even.yaml"), file("even-ignored.yaml")]);
    assert.equal(r.code, EXIT_FAIL);
    const report = JSON.parse(r.stdout) as unknown;
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    const { summary, findings } = report;
    assert.equal(summary.files, 3);
    assert.equal(summary.documents, 3);
    assert.equal(summary.errors, findings.filter((f) => f.severity === "error" && !f.suppressed).length);
    assert.equal(summary.warnings, findings.filter((f) => f.severity === "warning" && !f.suppressed).length);
    assert.equal(summary.suppressed, 1);
    assert.equal(summary.failed, true);
    assert.equal(report.preset, "recommended");
    const auth = findings.find((f) => f.file === "examples/dev.yaml" && f.ruleId === "auth-disabled");
    assert.deepEqual(
      { line: auth?.line, column: auth?.column, path: auth?.path, resource: auth?.resource, suppressed: auth?.suppressed },
      { line: 13, column: 5, path: "spec.auth.enabled", resource: "nats-dev/nats", suppressed: false },
    );
    assert.ok(findings.some((f) => f.ruleId === "even-replicas" && f.suppressed && f.file === file("even-ignored.yaml")));
  });
  it("a clean run is valid too, with failed false", () => {
    const r = cli(["lint", "-o", "json", "--strict", file("clean.yaml")]);
    assert.equal(r.code, EXIT_OK, r.stdout);
    const report = JSON.parse(r.stdout) as unknown;
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.equal(report.findings.length, 0);
    assert.equal(report.summary.failed, false);
    assert.equal(report.strict, true);
  });
  it("the schema rejects what it should (it can fail)", () => {
    const r = JSON.parse(cli(["lint", "-o", "json", "examples/dev.yaml"]).stdout) as Record<string, unknown> & { findings: Record<string, unknown>[] };
    assert.ok(validate(r));
    assert.equal(validate({ ...r, extra: 1 }), false);
    assert.equal(validate({ ...r, findings: [{ ...r.findings[0], severity: "fatal" }] }), false);
  });
});

describe("natskube lint -o sarif (SARIF 2.1.0)", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "sarif-2.1.0-subset.json"), "utf8")) as object;
  const validate = new Ajv.default({ strict: false, allErrors: true }).compile(schema);
  type Sarif = {
    version: string;
    runs: {
      tool: { driver: { name: string; version: string; rules: { id: string; defaultConfiguration: { level: string; enabled: boolean } }[] } };
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        message: { text: string };
        locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
        suppressions?: { kind: string }[];
      }[];
    }[];
  };
  const run = (args: string[]) => {
    const r = cli(["lint", "-o", "sarif", ...args]);
    assert.equal(r.stderr, "", r.stderr);
    const log = JSON.parse(r.stdout) as Sarif;
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    return { code: r.code, log, run: log.runs[0]! };
  };
  it("is valid SARIF: driver, rules, results with levels, locations and suppressions", () => {
    const { code, log, run: r } = run(["examples/dev.yaml", file("even.yaml"), file("even-ignored.yaml")]);
    assert.equal(code, EXIT_FAIL);
    assert.equal(log.version, "2.1.0");
    const driver = r.tool.driver;
    assert.equal(driver.name, "natskube");
    assert.match(driver.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(driver.rules.map((x) => x.id), LINT_RULES.map((x) => x.id));
    for (const res of r.results) assert.equal(driver.rules[res.ruleIndex]?.id, res.ruleId, "ruleIndex points at the rule");
    const auth = r.results.find((x) => x.ruleId === "auth-disabled")!;
    assert.equal(auth.level, "warning");
    assert.deepEqual(auth.locations[0]!.physicalLocation, { artifactLocation: { uri: "examples/dev.yaml" }, region: { startLine: 13, startColumn: 5 } });
    assert.match(auth.message.text, /Fix: Set auth\.enabled: true/);
    const even = r.results.filter((x) => x.ruleId === "even-replicas");
    assert.equal(even.length, 2);
    assert.ok(even.every((x) => x.level === "error"));
    assert.deepEqual(even.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri).sort(), [
      pathToFileURL(file("even-ignored.yaml")).href,
      pathToFileURL(file("even.yaml")).href,
    ]);
    assert.deepEqual(even.map((x) => x.suppressions?.[0]?.kind ?? "none").sort(), ["inSource", "none"]);
  });
  it("rule configuration follows the preset (strict-only rules disabled under recommended)", () => {
    const rec = run(["examples/production.yaml"]).run.tool.driver.rules;
    assert.deepEqual(rec.find((x) => x.id === "network-policy-disabled")?.defaultConfiguration, { level: "warning", enabled: false });
    assert.deepEqual(rec.find((x) => x.id === "auth-disabled")?.defaultConfiguration, { level: "warning", enabled: true });
    const strict = run(["--preset", "strict", "examples/production.yaml"]).run.tool.driver.rules;
    assert.deepEqual(strict.find((x) => x.id === "auth-disabled")?.defaultConfiguration, { level: "error", enabled: true });
  });
  it("the schema subset rejects non-SARIF properties and levels (it can fail)", () => {
    const { log } = run([file("even.yaml")]);
    const bad = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    bad.runs[0]!.results[0]!["severity"] = "error";
    assert.equal(validate(bad), false);
    const bad2 = structuredClone(log);
    bad2.runs[0]!.results[0]!.level = "fatal";
    assert.equal(validate(bad2), false);
  });
});

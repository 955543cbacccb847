import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Ajv from "ajv";
import { LINT_RULES } from "../../src/check/risk/index.js";
import { LINT_JSON_SCHEMA, type LintJsonReport } from "../../src/lint/json.js";
import { PRESETS } from "../../src/lint/presets.js";
import { cli, ROOT } from "../support/cli.js";
import { LINT_CLEAN_SPEC, manifest } from "../support/render.js";

let dir = "";
const file = (name: string) => join(dir, name);

before(() => {
  dir = mkdtempSync(join(tmpdir(), "natskube-lint-"));
  const guarded = LINT_CLEAN_SPEC;
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

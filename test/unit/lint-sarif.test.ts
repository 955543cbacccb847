import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { LINT_RULES } from "../../src/check/risk/index.js";
import { DIAGNOSTIC_CODES } from "../../src/diagnostics/codes.js";
import { FINGERPRINT_KEY } from "../../src/lint/sarif.js";
import { cli, ROOT } from "../support/cli.js";
import { LINT_CLEAN_SPEC, manifest } from "../support/render.js";
import { sarifValidator } from "../support/sarif-schema.js";

type Result = {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number } } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string }[];
};
type Sarif = {
  version: string;
  runs: { tool: { driver: { name: string; version: string; rules: { id: string; name: string; defaultConfiguration: { level: string; enabled: boolean } }[] } }; results: Result[] }[];
};

const EXIT_FAIL = 1;
const validate = sarifValidator();
let dir = "";
const file = (name: string) => join(dir, name);
const guarded = LINT_CLEAN_SPEC;
const TYPO = manifest(guarded).replace("  replicas: 3\n", "  replcas: 3\n");

before(() => {
  dir = mkdtempSync(join(tmpdir(), "natskube-sarif-"));
  writeFileSync(file("even.yaml"), manifest({ ...guarded, replicas: 4 }));
  writeFileSync(file("even-ignored.yaml"), manifest({ ...guarded, replicas: 4 }, { annotations: { "natskube.dev/lint-ignore": "even-replicas" } }));
  writeFileSync(file("typo.yaml"), TYPO);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], o: { stderr?: boolean } = {}) => {
  const r = cli(["lint", "-o", "sarif", ...args]);
  if (!o.stderr) assert.equal(r.stderr, "", r.stderr);
  const log = JSON.parse(r.stdout) as Sarif;
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  return { code: r.code, stderr: r.stderr, log, run: log.runs[0]! };
};

describe("natskube lint -o sarif against the SARIF 2.1.0 schema", () => {
  it("driver, rules, results with levels, locations and suppressions", () => {
    const { code, log, run: r } = run(["examples/dev.yaml", file("even.yaml"), file("even-ignored.yaml")]);
    assert.equal(code, EXIT_FAIL);
    assert.equal(log.version, "2.1.0");
    const driver = r.tool.driver;
    assert.equal(driver.name, "natskube");
    assert.match(driver.version, /^\d+\.\d+\.\d+/);
    const codes = Object.keys(DIAGNOSTIC_CODES).map((c) => `validate/${c}`);
    assert.deepEqual(driver.rules.map((x) => x.id), [...LINT_RULES.map((x) => x.id), ...codes]);
    for (const res of r.results) assert.equal(driver.rules[res.ruleIndex]?.id, res.ruleId, "ruleIndex points at the rule");
    const auth = r.results.find((x) => x.ruleId === "auth-disabled")!;
    assert.equal(auth.level, "warning");
    assert.deepEqual(auth.locations[0]!.physicalLocation, { artifactLocation: { uri: "examples/dev.yaml" }, region: { startLine: 13, startColumn: 5 } });
    assert.match(auth.message.text, /Fix: Set auth\.enabled: true/);
    const even = r.results.filter((x) => x.ruleId === "even-replicas");
    assert.ok(even.every((x) => x.level === "error"));
    assert.deepEqual(even.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri).sort(), [
      pathToFileURL(file("even-ignored.yaml")).href,
      pathToFileURL(file("even.yaml")).href,
    ]);
    assert.deepEqual(even.map((x) => x.suppressions?.[0]?.kind ?? "none").sort(), ["inSource", "none"]);
  });

  it("an invalid manifest is still a valid log: its errors are results with locations, beside the findings of the valid ones", () => {
    const { code, stderr, run: r } = run([file("typo.yaml"), file("even.yaml")], { stderr: true });
    assert.equal(code, EXIT_FAIL);
    assert.match(stderr, /typo\.yaml:\d+:3: error unknown-field spec\.replcas/, "stderr keeps validate's format");
    const typo = r.results.find((x) => x.ruleId === "validate/unknown-field");
    assert.ok(typo, JSON.stringify(r.results.map((x) => x.ruleId)));
    assert.equal(typo.level, "error");
    const line = TYPO.split("\n").findIndex((l) => l.startsWith("  replcas")) + 1;
    assert.deepEqual(typo.locations[0]!.physicalLocation, { artifactLocation: { uri: pathToFileURL(file("typo.yaml")).href }, region: { startLine: line, startColumn: 3 } });
    assert.match(typo.message.text, /unknown field "replcas".*Did you mean "replicas"/);
    assert.ok(r.results.some((x) => x.ruleId === "even-replicas"), "the valid file is linted all the same");
  });

  it("rule names are identifiers distinct from the ids (Multitool SARIF1001)", () => {
    const rules = run([file("even.yaml")]).run.tool.driver.rules;
    for (const rule of rules) {
      assert.notEqual(rule.name, rule.id);
      assert.match(rule.name, /^[A-Z][A-Za-z0-9]*$/, rule.name);
    }
    assert.equal(rules.find((x) => x.id === "even-replicas")?.name, "EvenReplicas");
    assert.equal(rules.find((x) => x.id === "validate/unknown-field")?.name, "ValidateUnknownField");
  });

  it("every result has a partial fingerprint that survives lines moving and differs per finding", () => {
    const before = run([file("even.yaml"), file("typo.yaml")], { stderr: true }).run.results;
    writeFileSync(file("even.yaml"), "# a comment moves every line\n\n" + readFileSync(file("even.yaml"), "utf8"));
    writeFileSync(file("typo.yaml"), "# moved\n" + TYPO);
    const afterMove = run([file("even.yaml"), file("typo.yaml")], { stderr: true }).run.results;
    const prints = (rs: Result[]) => rs.map((x) => x.partialFingerprints[FINGERPRINT_KEY]);
    assert.ok(prints(before).every((p) => typeof p === "string" && /^[0-9a-f]{32}$/.test(p)));
    assert.deepEqual(prints(afterMove), prints(before));
    assert.notDeepEqual(afterMove.map((x) => x.locations[0]!.physicalLocation.region?.startLine), before.map((x) => x.locations[0]!.physicalLocation.region?.startLine));
    assert.equal(new Set(prints(before)).size, before.length, "no two findings share a fingerprint");
  });

  it("a relative path with # and a space is one URI reference", () => {
    mkdirSync(join(dir, "sp ace"), { recursive: true });
    writeFileSync(join(dir, "sp ace", "st#1.yaml"), manifest({ ...guarded, replicas: 4 }));
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "natskube"), "lint", "-o", "sarif", "sp ace/st#1.yaml"], { cwd: dir, encoding: "utf8" });
    const log = JSON.parse(r.stdout) as Sarif;
    assert.ok(validate(log), JSON.stringify(validate.errors));
    assert.equal(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, "sp%20ace/st%231.yaml");
  });

  it("the schema rejects non-SARIF properties and levels (it can fail)", () => {
    const { log } = run([file("even-ignored.yaml")]);
    const bad = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    bad.runs[0]!.results[0]!["severity"] = "error";
    assert.equal(validate(bad), false);
    const bad2 = structuredClone(log);
    bad2.runs[0]!.results[0]!.level = "fatal";
    assert.equal(validate(bad2), false);
  });
});

describe("the code-scanning recipe of docs/lint.md, as written", () => {
  it("its lint step leaves a valid SARIF log and passes when a manifest has a typo", () => {
    const doc = readFileSync(join(ROOT, "docs", "lint.md"), "utf8");
    const step = /- run: (natskube lint .* -o sarif .*)$/m.exec(doc);
    assert.ok(step, "docs/lint.md has a `- run: natskube lint ... -o sarif` step");
    const ws = mkdtempSync(join(tmpdir(), "natskube-ci-"));
    try {
      mkdirSync(join(ws, "deploy"));
      writeFileSync(join(ws, "deploy", "nats.yaml"), TYPO);
      // GitHub runs `run:` steps with bash -e; natskube is on PATH as the recipe's install step leaves it.
      const env = { ...process.env, PATH: `${join(ROOT, "bin")}:${process.env["PATH"]}` };
      const r = spawnSync("bash", ["-e", "-c", step[1]!], { cwd: ws, env, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const log = JSON.parse(readFileSync(join(ws, "natskube.sarif"), "utf8")) as Sarif;
      assert.ok(validate(log), JSON.stringify(validate.errors));
      assert.deepEqual(log.runs[0]!.results.map((x) => x.ruleId), ["validate/unknown-field"]);
      const usage = spawnSync("bash", ["-e", "-c", step[1]!.replace("-o sarif", "-o sarif --preset nope")], { cwd: ws, env, encoding: "utf8" });
      assert.notEqual(usage.status, 0, "a usage error (exit 2) still fails the step");
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});

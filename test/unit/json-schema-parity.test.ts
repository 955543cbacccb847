import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import { parse, parseAllDocuments } from "yaml";
import { parseText } from "../../src/pipeline.js";
import { cli, ROOT } from "../support/cli.js";
import { EXAMPLES, exampleText } from "../support/examples.js";

// A real JSON Schema validator over the shipped schema, as an editor runs it (not strict: the schema carries
// yaml-language-server's doNotSuggest, and required-either-spelling lists under anyOf).
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, "schema", "kubernetes-nats.schema.json"), "utf8")));
const cliErrors = (doc: unknown) => parseText(JSON.stringify(doc), "case.yaml").diagnostics.filter((d) => d.severity === "error");
const base = () => parse(exampleText("production")) as { metadata: Record<string, unknown>; spec: Record<string, any> };

type Case = [name: string, edit: (m: ReturnType<typeof base>) => void];

/** Mistakes both the CLI and the schema reject. */
const REJECTED: Case[] = [
  ["unknown field", (m) => (m.spec["replcas"] = 3)],
  ["unknown snake_case field", (m) => (m.spec["replica_count"] = 3)],
  ["enum in the wrong case", (m) => (m.spec["jetstream"].persistence.mode = "file")],
  ["replicas as a string", (m) => (m.spec["replicas"] = "3")],
  ["replicas 0", (m) => (m.spec["replicas"] = 0)],
  ["name with capitals and _", (m) => (m.metadata["name"] = "Orders_Bus")],
  ["name starting with a digit", (m) => (m.metadata["name"] = "1nats")],
  ["name of 60 characters", (m) => (m.metadata["name"] = "n".repeat(60))],
  ["namespace not a DNS label", (m) => (m.spec["namespace"] = "Messaging")],
  ["memory 8GB", (m) => (m.spec["resources"].limits.memory = "8GB")],
  ["size 50GB", (m) => (m.spec["jetstream"].persistence.size = "50GB")],
  ["two TLS sources", (m) => (m.spec["tls"].secretName = "nats-tls")],
  ["INGRESS without hostname", (m) => (m.spec["externalAccess"] = { type: "INGRESS" })],
  ["stream name with a dot", (m) => (m.spec["streams"][0].name = "orders.v1")],
  ["maxAge 7d", (m) => (m.spec["streams"][0].maxAge = "7d")],
  ["namespace.valueFrom", (m) => (m.spec["namespace"] = { valueFrom: { name: "shared-ns" } })],
  ["missing namespace", (m) => delete m.spec["namespace"]],
  ["wrong apiVersion", (m) => ((m as Record<string, unknown>)["apiVersion"] = "v1")],
  ["secret key with a slash", (m) => (m.spec["auth"].tokenKey = "a/b")],
  ["storageClass with MEMORY persistence", (m) => (m.spec["jetstream"].persistence.mode = "MEMORY")],
  ["streams with JetStream disabled", (m) => (m.spec["jetstream"] = { enabled: false })],
  ["certManager settings beside secretName", (m) => (m.spec["tls"] = { enabled: true, secretName: "nats-tls", certManager: { duration: "2160h" } })],
  ["issuerRef and selfSigned", (m) => (m.spec["tls"].certManager.selfSigned = true)],
  ["consumer durableName with a space", (m) => (m.spec["streams"][0].consumers[0].durableName = "my consumer")],
  ["KV bucket with a dot", (m) => (m.spec["keyValues"][0].bucket = "a.b")],
  ["ackWait 1d", (m) => (m.spec["streams"][0].consumers[0].ackWait = "1d")],
  ["duplicateWindow 2 minutes", (m) => (m.spec["streams"][0].duplicateWindow = "2 minutes")],
];

/**
 * Mistakes the CLI rejects that JSON Schema cannot express: comparisons between two values, or a rule over
 * a list. The editor accepts them; `natskube validate` names them. If the schema learns one, move it up.
 */
const CLI_ONLY: Case[] = [
  ["overlapping stream subjects", (m) => m.spec["streams"].push({ name: "NEW_ORDERS", subjects: ["orders.new"] })],
  ["serverContainer.replicas contradicting replicas", (m) => (m.spec["serverContainer"] = { replicas: 5 })],
  ["natsBox and nats_box with different values", (m) => (m.spec["nats_box"] = { enabled: false })],
  ["requests above limits", (m) => (m.spec["resources"].requests.memory = "16Gi")],
];

describe("the JSON Schema rejects what the CLI rejects, where JSON Schema can say it", () => {
  for (const [name, edit] of REJECTED)
    it(name, () => {
      const m = base();
      edit(m);
      assert.ok(cliErrors(m).length > 0, "the CLI rejects it");
      assert.equal(validate(m), false, `the schema accepts it: ${JSON.stringify(m.spec).slice(0, 200)}`);
    });
  for (const [name, edit] of CLI_ONLY)
    it(`${name}: CLI only (documented)`, () => {
      const m = base();
      edit(m);
      assert.ok(cliErrors(m).length > 0, "the CLI rejects it");
      assert.ok(validate(m), `the schema now rejects it too: move it to REJECTED (${JSON.stringify(validate.errors)})`);
    });

  it("every invalid fixture that is YAML data is rejected by both, or listed as CLI only", () => {
    const dir = join(ROOT, "test", "fixtures", "invalid");
    // Not a schema question: YAML syntax, aliases, tags and non-finite numbers never reach a JSON validator as such.
    const notJson = /^(01|19|20|22|23|24|25|26|27|28|30)-/;
    const cliOnly = new Map([
      ["14-planton-conflict.yaml", "serverContainer.replicas contradicting replicas"],
      ["15-snake-camel-conflict.yaml", "two spellings with different values"],
      ["16-requests-above-limits.yaml", "requests above limits"],
      ["32-planton-nack-0.21.yaml", "a controller tag before 0.22.0 with the control loop: a version comparison"],
    ]);
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".yaml") && !notJson.test(x))) {
      const docs = parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS());
      const accepted = docs.every((d) => validate(d));
      if (cliOnly.has(f)) assert.ok(accepted, `${f} is now rejected by the schema: remove it from cliOnly`);
      else assert.ok(!accepted, `${f}: the schema accepts what the CLI rejects`);
    }
  });

  it("accepts every example, every init preset, snake_case and Project Planton spellings (no false alarm)", () => {
    for (const name of EXAMPLES) assert.ok(validate(parse(exampleText(name))), `${name}: ${JSON.stringify(validate.errors)}`);
    for (const preset of ["dev", "staging", "production"]) {
      const text = cli(["init", "--preset", preset, "--name", "orders", "--namespace", "messaging"]).stdout;
      assert.ok(validate(parse(text)), `init ${preset}: ${JSON.stringify(validate.errors)}`);
    }
    const snake = base();
    snake.spec["nats_box"] = snake.spec["natsBox"] ?? { enabled: true };
    delete snake.spec["natsBox"];
    snake.spec["external_access"] = snake.spec["externalAccess"];
    delete snake.spec["externalAccess"];
    assert.deepEqual(cliErrors(snake), []);
    assert.ok(validate(snake), JSON.stringify(validate.errors));
    const quantityNumber = base();
    quantityNumber.spec["resources"].limits.cpu = 2;
    assert.ok(validate(quantityNumber), JSON.stringify(validate.errors));
  });
});

describe("editor completion", () => {
  const schema = JSON.parse(readFileSync(join(ROOT, "schema", "kubernetes-nats.schema.json"), "utf8"));
  /** The keys yaml-language-server offers: properties without doNotSuggest. */
  const offered = (node: { properties: Record<string, { doNotSuggest?: boolean }> }) =>
    Object.entries(node.properties).filter(([, v]) => !v.doNotSuggest).map(([k]) => k);
  it("offers each spec key once, in its native camelCase spelling; aliases stay valid", () => {
    const keys = offered(schema.properties.spec);
    assert.ok(!keys.some((k) => k.includes("_")), `snake_case offered: ${keys.join(", ")}`);
    for (const planton of ["serverContainer", "disableJetStream", "tlsEnabled", "ingress", "disableNatsBox", "nackController"]) assert.ok(!keys.includes(planton), planton);
    assert.deepEqual(keys.slice(0, 4), ["namespace", "createNamespace", "clusterDomain", "replicas"]);
    assert.ok("nats_box" in schema.properties.spec.properties && "serverContainer" in schema.properties.spec.properties);
  });
  it("nested objects offer no snake_case duplicate either", () => {
    const walk = (n: unknown, path: string): string[] => {
      if (!n || typeof n !== "object") return [];
      const o = n as Record<string, unknown>;
      const here = o["properties"] ? offered(o as never).filter((k) => k.includes("_")).map((k) => `${path}.${k}`) : [];
      return [...here, ...Object.entries(o).flatMap(([k, v]) => walk(v, `${path}.${k}`))];
    };
    assert.deepEqual(walk(schema, "$"), []);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadDocuments } from "../../src/load/load.js";
import { parseSpec } from "../../src/spec/parse.js";
import { resourceSchema } from "../../src/spec/schema/resource.js";
import { exampleText } from "../support/examples.js";

// parseSpec checks a document against the schema before and after Project Planton's fields are translated;
// when the translation changes nothing, the first result is the second (docs/performance.md): one parse.
describe("parseSpec parses a document once when Planton's translation changes nothing", () => {
  const parses = (text: string) => {
    const original = resourceSchema.safeParse;
    let calls = 0;
    resourceSchema.safeParse = ((data: unknown, params?: Parameters<typeof original>[1]) => {
      calls++;
      return original.call(resourceSchema, data, params);
    }) as typeof original;
    try {
      const parsed = parseSpec(loadDocuments(text, "x.yaml").documents[0]!);
      return { calls, parsed };
    } finally {
      resourceSchema.safeParse = original;
    }
  };

  for (const name of ["dev", "staging", "production"]) {
    it(`examples/${name}.yaml: one parse, and the resource shares nothing with what was written`, () => {
      const { calls, parsed } = parses(exampleText(name));
      assert.equal(calls, 1);
      assert.deepEqual(parsed.diagnostics, []);
      const before = structuredClone(parsed.typed!.resource);
      (parsed.typed!.written["spec"] as Record<string, unknown>)["cluster"] = "changed";
      assert.deepEqual(parsed.typed!.resource, before);
    });
  }

  it("a document whose Planton fields are translated is parsed again, translated", () => {
    const { calls, parsed } = parses(exampleText("planton"));
    assert.equal(calls, 2);
    assert.ok(parsed.typed);
  });

  it("an invalid document is parsed again after translation, and reported once", () => {
    const { calls, parsed } = parses(exampleText("dev").replace(/replicas: \d+/, "replicas: many"));
    assert.equal(calls > 1, true);
    assert.equal(parsed.diagnostics.filter((d) => d.severity === "error").length, 1, JSON.stringify(parsed.diagnostics));
  });
});

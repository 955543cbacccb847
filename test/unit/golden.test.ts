import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cli, ROOT } from "../support/cli.js";
import { EXAMPLES } from "../support/examples.js";

const UPDATE = process.env["NATSKUBE_UPDATE_GOLDEN"] === "1";

// The CLI's bytes are the contract a GitOps repository diffs: compare them exactly.
describe("golden renders of the examples (npm run golden:update to accept a change)", () => {
  for (const name of EXAMPLES) {
    it(name, () => {
      const r = cli(["render", `examples/${name}.yaml`]);
      assert.equal(r.code, 0, r.stderr);
      const file = join(ROOT, "test", "golden", `${name}.yaml`);
      if (UPDATE) writeFileSync(file, r.stdout);
      assert.ok(existsSync(file), `missing ${file}: run npm run golden:update`);
      assert.equal(r.stdout, readFileSync(file, "utf8"), `render of examples/${name}.yaml drifted; review and run npm run golden:update`);
    });
  }
  it("rendering twice gives the same bytes", () => {
    const a = cli(["render", "examples/production.yaml", "-o", "json"]);
    const b = cli(["render", "examples/production.yaml", "-o", "json"]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
  });
});

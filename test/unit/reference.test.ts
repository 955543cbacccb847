import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { referenceMarkdown } from "../../src/spec/reference.js";
import { ROOT } from "../support/cli.js";

it("docs/reference.md is generated from the current schema (npm run reference:update)", () => {
  assert.equal(readFileSync(join(ROOT, "docs", "reference.md"), "utf8"), referenceMarkdown());
});

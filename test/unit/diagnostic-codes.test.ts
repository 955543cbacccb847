import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { DIAGNOSTIC_CODES } from "../../src/diagnostics/codes.js";
import { ROOT } from "../support/cli.js";

it("every diagnostic code is documented in docs/diagnostics.md, and only those", () => {
  const doc = readFileSync(join(ROOT, "docs", "diagnostics.md"), "utf8");
  const documented = [...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented.sort(), Object.keys(DIAGNOSTIC_CODES).sort());
});

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { ROOT } from "../support/cli.js";

type Lock = { packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } | string[] }> };
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as Lock;
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };

/** Whether a Node version satisfies an engines range of the forms npm packages use (`>=18`, `>= 18.x`, `>= 12.11.*`, `4.x || >=6`). */
function satisfies(version: readonly number[], range: string): boolean {
  return range.split("||").some((part) => {
    const m = /^\s*(>=|\^|~)?\s*(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?\s*$/.exec(part);
    assert.ok(m, `engines range "${part}" is a form this test does not read: extend satisfies()`);
    const want = [m[2], m[3], m[4]].map((x) => (x === undefined || x === "x" || x === "*" ? 0 : Number(x)));
    const cmp = version.map((v, i) => v - want[i]!).find((d) => d !== 0) ?? 0;
    if (m[1] === ">=") return cmp >= 0;
    return version[0] === want[0] && cmp >= 0;
  });
}

// The oldest Node the README and package.json promise.
const OLDEST = [Number(/^>=\s*(\d+)$/.exec(pkg.engines.node)![1]), 0, 0];

it("every runtime dependency supports the oldest Node natskube promises, so npm install warns about no engine", () => {
  const refusing = Object.entries(lock.packages)
    .filter(([path, p]) => path !== "" && !p.dev && typeof p.engines === "object" && !Array.isArray(p.engines) && p.engines.node && !satisfies(OLDEST, p.engines.node))
    .map(([path, p]) => `${path}@${p.version} wants node ${(p.engines as { node: string }).node}`);
  assert.deepEqual(refusing, []);
});

// These development-only packages declare node >=22 from their 6.x/5.x releases and run on Node 20 (the unit
// tier uses them there); their Node-20 releases model older Kubernetes APIs and lack types natskube imports.
// `npm ci` in a clone warns about them; a user installing natskube gets none of them.
const DEV_ONLY_NODE_22 = [
  "@kubernetes-models/apimachinery",
  "@kubernetes-models/base",
  "@kubernetes-models/cert-manager",
  "@kubernetes-models/gateway-api",
  "@kubernetes-models/validate",
  "kubernetes-models",
];

it("development dependencies that refuse the oldest Node are exactly the known kubernetes-models ones", () => {
  const refusing = Object.entries(lock.packages)
    .filter(([path, p]) => path !== "" && p.dev && typeof p.engines === "object" && !Array.isArray(p.engines) && p.engines.node && !satisfies(OLDEST, p.engines.node))
    .map(([path]) => path.replace(/^.*node_modules\//, ""))
    .sort();
  assert.deepEqual(refusing, DEV_ONLY_NODE_22);
});

it("the range reader can fail", () => {
  assert.equal(satisfies([20, 0, 0], ">= 22.x"), false);
  assert.equal(satisfies([20, 0, 0], ">= 18.x"), true);
  assert.equal(satisfies([20, 0, 0], "4.x || >=6.0.0"), true);
  assert.equal(satisfies([20, 0, 0], ">=20.11"), false);
});

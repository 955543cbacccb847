import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { ROOT } from "../support/cli.js";

type Lock = { packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } | string[]; dependencies?: Record<string, string> }> };
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as Lock;
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string }; overrides: Record<string, string> };

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

it("the README states the same oldest Node as package.json engines", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  assert.match(readme, new RegExp(`Node\\.js ${OLDEST[0]} or newer`));
});

// Every package in the lock, runtime or development: `npm ci` in a clone on the oldest Node prints no EBADENGINE.
// kubernetes-models 5.x and @kubernetes-models/* 5.x/6.x declare node >=22; the 4.x releases pinned in package.json
// declare >=14 and validate with the same generated schemas.
it("every package in package-lock.json, runtime or development, supports the oldest Node natskube promises", () => {
  const refusing = Object.entries(lock.packages)
    .filter(([path, p]) => path !== "" && typeof p.engines === "object" && !Array.isArray(p.engines) && p.engines.node && !satisfies(OLDEST, p.engines.node))
    .map(([path, p]) => `${path}@${p.version}${p.dev ? " (dev)" : ""} wants node ${(p.engines as { node: string }).node}`);
  assert.deepEqual(refusing, []);
});

it("the lock lists development packages, so the check above covers them", () => {
  assert.ok(Object.entries(lock.packages).some(([path, p]) => p.dev && path === "node_modules/kubernetes-models"));
});

// npm 11 (Node 20's npm) loops forever in `npm ci` when a bundled package depends on an overridden one with a
// spec the override does not satisfy (npm/cli#9227, fixed in npm 12): it checks bundled edges against the raw
// spec. The lock records the overridden spec in the dependents' entries, which npm ci and npm install keep.
it("the lock records each override as the spec of every package that depends on it, so npm 11's ci terminates", () => {
  const stale = Object.entries(pkg.overrides).flatMap(([name, version]) =>
    Object.entries(lock.packages)
      .filter(([, p]) => p.dependencies?.[name] !== undefined && p.dependencies[name] !== version)
      .map(([path, p]) => `${path} depends on ${name}@${p.dependencies![name]}, not the override ${version}`));
  assert.deepEqual(stale, []);
});

it("the range reader can fail", () => {
  assert.equal(satisfies([20, 0, 0], ">= 22.x"), false);
  assert.equal(satisfies([20, 0, 0], ">= 18.x"), true);
  assert.equal(satisfies([20, 0, 0], "4.x || >=6.0.0"), true);
  assert.equal(satisfies([20, 0, 0], ">=20.11"), false);
});

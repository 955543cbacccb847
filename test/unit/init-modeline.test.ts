import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { it } from "node:test";
import { BIN, ROOT } from "../support/cli.js";

const init = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, "init", "--preset", "production", ...args], { cwd, encoding: "utf8" });
const modeline = (text: string) => /^# yaml-language-server: \$schema=(.+)$/m.exec(text)?.[1];

it("init's modeline resolves, from the manifest's directory, to the schema natskube ships", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "natskube-init-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = init(dir);
  assert.equal(r.status, 0, r.stderr);
  const file = join(dir, "orders.yaml");
  writeFileSync(file, r.stdout);
  const ref = modeline(r.stdout);
  assert.ok(ref, "a modeline");
  assert.ok(!/^https?:/.test(ref), `a path, not a URL that does not exist: ${ref}`);
  assert.equal(readFileSync(resolve(dirname(file), ref), "utf8"), readFileSync(join(ROOT, "schema", "kubernetes-nats.schema.json"), "utf8"));
  assert.equal(modeline(init(ROOT).stdout), "./schema/kubernetes-nats.schema.json");
});

it("init --schema none writes no modeline; --schema URL writes that", () => {
  assert.equal(modeline(init(ROOT, "--schema", "none").stdout), undefined);
  assert.equal(modeline(init(ROOT, "--schema", "https://example.com/s.json").stdout), "https://example.com/s.json");
});

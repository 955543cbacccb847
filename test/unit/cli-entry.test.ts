import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { ROOT } from "../support/cli.js";

/** Bare specifiers reachable from `entry` through static imports only (what loading it evaluates). */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    // tsc output: one `import ... from "x";` or `export ... from "x";` per statement; `import type` is gone.
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s"([^"]+)";|^import\s"([^"]+)";/gms)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return packages;
}

describe("what loading an entry point costs", () => {
  it("the library entry loads no NATS client until verify is called", () => {
    const packages = [...staticPackages(join(ROOT, "dist", "src", "index.js"))];
    assert.ok(packages.includes("yaml") && packages.includes("zod"), `the walk found the entry's imports: ${packages.join(", ")}`);
    assert.deepEqual(packages.filter((p) => p.startsWith("@nats-io/")), []);
  });
  it("the CLI's entry loads no command module before it knows the command", () => {
    const main = join(ROOT, "dist", "src", "cli", "main.js");
    const text = readFileSync(join(ROOT, "dist", "src", "cli", "commands", "index.js"), "utf8");
    assert.doesNotMatch(text, /^import\s[^;]*from\s"\.\/[a-z]+\.js"/m);
    assert.deepEqual([...staticPackages(main)].filter((p) => !p.startsWith("node:")), []);
  });
  it("the command table's summaries are the commands' own", async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      assert.equal(command.name, entry.name);
      assert.equal(command.summary, entry.summary, entry.name);
    }
  });
});

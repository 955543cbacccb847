import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { cli, ROOT } from "../support/cli.js";
import { EXAMPLES } from "../support/examples.js";
import { dashboardReferences, joinDashboards, splitDashboards } from "../support/golden.js";

const UPDATE = process.env["NATSKUBE_UPDATE_GOLDEN"] === "1";
const GOLDEN = join(ROOT, "test", "golden");

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

// The CLI's bytes are the contract a GitOps repository diffs: compare them exactly. Each Grafana
// dashboard has a golden file of its own (test/support/golden.ts), so a change to the cluster is a
// short diff of test/golden/<example>.yaml; the files joined back must still be the CLI's bytes.
describe("golden renders of the examples (npm run golden:update to accept a change)", () => {
  for (const name of EXAMPLES) {
    it(name, () => {
      const r = cli(["render", `examples/${name}.yaml`]);
      assert.equal(r.code, 0, r.stderr);
      const split = splitDashboards(r.stdout, name);
      const file = join(GOLDEN, `${name}.yaml`);
      const dashboardDir = join(GOLDEN, "dashboards", name);
      if (UPDATE) {
        rmSync(dashboardDir, { recursive: true, force: true });
        write(file, split.main);
        for (const [path, text] of split.dashboards) write(join(GOLDEN, path), text);
      }
      const drifted = `render of examples/${name}.yaml drifted; review and run npm run golden:update`;
      assert.ok(existsSync(file), `missing ${file}: run npm run golden:update`);
      const main = readFileSync(file, "utf8");
      assert.equal(split.main, main, drifted);
      for (const [path, text] of split.dashboards) {
        assert.ok(existsSync(join(GOLDEN, path)), `missing test/golden/${path}: run npm run golden:update`);
        assert.equal(text, readFileSync(join(GOLDEN, path), "utf8"), `dashboard test/golden/${path}: ${drifted}`);
      }
      const onDisk = existsSync(dashboardDir) ? readdirSync(dashboardDir).map((f) => `dashboards/${name}/${f}`) : [];
      assert.deepEqual(onDisk.sort(), dashboardReferences(main).sort(), `test/golden/dashboards/${name}/ holds files the render has no dashboard for: run npm run golden:update`);
      // Every byte: the golden files put together are exactly what the CLI wrote.
      assert.equal(joinDashboards(main, (path) => readFileSync(join(GOLDEN, path), "utf8")), r.stdout, drifted);
    });
  }
  it("a dashboard golden file is the ConfigMap's JSON, and joining gives back the render", () => {
    const text = ["---", "kind: ConfigMap", "metadata:", "  labels:", '    grafana_dashboard: "1"', "data:", "  a.json: |", "    {", '      "x": 1', "    }", "  b.txt: |", "    y", "---", "kind: Secret", ""].join("\n");
    const split = splitDashboards(text, "ex");
    assert.deepEqual([...split.dashboards], [["dashboards/ex/a.json", '{\n  "x": 1\n}\n']]);
    assert.match(split.main, /^ {2}a\.json: \|\n {4}<golden dashboards\/ex\/a\.json>\n {2}b\.txt: \|\n {4}y\n/m);
    assert.equal(joinDashboards(split.main, (p) => split.dashboards.get(p)!), text);
    assert.deepEqual(splitDashboards(text.replace('grafana_dashboard: "1"', "other: x"), "ex").dashboards.size, 0);
  });
  it("rendering twice gives the same bytes", () => {
    const a = cli(["render", "examples/production.yaml", "-o", "json"]);
    const b = cli(["render", "examples/production.yaml", "-o", "json"]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
  });
});

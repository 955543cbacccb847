// The Flux recipe of docs/gitops.md: gitops/flux/render.sh in a git repository, as a CI job and a developer run
// it, and the folder it writes built by the real kustomize as Flux's kustomize-controller builds a path.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { ROOT } from "../support/cli.js";
import { exampleText } from "../support/examples.js";
import { idOf, objectsOf, workspace, type Workspace } from "../support/gitops.js";
import { toolPath } from "../support/tools.js";

const SCRIPT = join(ROOT, "gitops", "flux", "render.sh");
const OUT = "clusters/prod/orders";

/** A repository holding nats/orders.yaml, committed. */
function repo(t: TestContext): Workspace {
  const ws = workspace(t, "natskube-flux-");
  ws.write("nats/orders.yaml", exampleText("production"));
  const git = (...args: string[]) => {
    const r = ws.run("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.com", ...args]);
    assert.equal(r.code, 0, r.stderr);
  };
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "manifest");
  return ws;
}
const commit = (ws: Workspace) => {
  for (const args of [["add", "-A"], ["-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-qm", "render"]]) assert.equal(ws.run("git", args).code, 0);
};

describe("Flux: render in CI and commit (gitops/flux/render.sh)", () => {
  it("--write renders the folder; the CI check passes while it is current; kustomize builds natskube's objects", (t) => {
    const ws = repo(t);
    const write = ws.run("sh", [SCRIPT, "nats/orders.yaml", OUT, "--write"]);
    assert.equal(write.code, 0, write.stderr);
    commit(ws);
    const check = ws.run("sh", [SCRIPT, "nats/orders.yaml", OUT]);
    assert.equal(check.code, 0, check.stderr);
    assert.equal(ws.run("git", ["status", "--porcelain"]).stdout, "", "the check leaves the working copy clean");
    // kustomize-controller runs `kustomize build` on spec.path (its kustomization.yaml here), without plugins.
    const built = ws.run(toolPath("kustomize"), ["build", OUT]);
    assert.equal(built.code, 0, built.stderr);
    const rendered = objectsOf(ws.run("natskube", ["render", "nats/orders.yaml"]).stdout);
    const byId = (os: ReturnType<typeof objectsOf>) => Object.fromEntries(os.map((o) => [idOf(o), o]));
    assert.deepEqual(byId(objectsOf(built.stdout)), byId(rendered));
    // Why docs/gitops.md says to leave postBuild substitution off: the dashboards carry ${...} variables.
    assert.match(built.stdout, /\$\{[A-Za-z_]+\}/);
  });

  it("the CI check fails, naming the folder, when the manifest changed and nobody re-rendered", (t) => {
    const ws = repo(t);
    assert.equal(ws.run("sh", [SCRIPT, "nats/orders.yaml", OUT, "--write"]).code, 0);
    commit(ws);
    ws.write("nats/orders.yaml", exampleText("production").replace(/^  replicas: 3(.*)$/m, "  replicas: 5$1"));
    const check = ws.run("sh", [SCRIPT, "nats/orders.yaml", OUT]);
    assert.equal(check.code, 1);
    assert.match(check.stderr, new RegExp(`^${OUT} is not what natskube renders from nats/orders.yaml:$`, "m"));
    assert.match(check.stderr, new RegExp(`^ M ${OUT}/stateful-set-nats\\.yaml$`, "m"), "the StatefulSet's replicas changed");
    assert.match(check.stderr, /then commit clusters\/prod\/orders/);
  });

  it("objects natskube no longer renders leave the folder (natsBox turned off)", (t) => {
    const ws = repo(t);
    assert.equal(ws.run("sh", [SCRIPT, "nats/orders.yaml", OUT, "--write"]).code, 0);
    const before = readdirSync(join(ws.dir, OUT));
    assert.ok(before.some((f) => f.includes("nats-box")));
    ws.write("nats/orders.yaml", exampleText("production").replace(/^  natsBox:\n    enabled: true/m, "  natsBox:\n    enabled: false"));
    assert.notEqual(readFileSync(join(ws.dir, "nats/orders.yaml"), "utf8"), exampleText("production"));
    assert.equal(ws.run("sh", [SCRIPT, "nats/orders.yaml", OUT, "--write"]).code, 0);
    assert.deepEqual(readdirSync(join(ws.dir, OUT)).filter((f) => f.includes("nats-box")), []);
  });

  it("refuses a DIR that is not a folder of its own, and an invalid manifest fails with its error", (t) => {
    const ws = repo(t);
    const dot = ws.run("sh", [SCRIPT, "nats/orders.yaml", "."]);
    assert.equal(dot.code, 2);
    assert.match(dot.stderr, /DIR must be a folder of its own/);
    assert.ok(readdirSync(ws.dir).includes("nats"), "nothing deleted");
    ws.write("nats/orders.yaml", exampleText("dev").replace(/^  replicas: 1 .*$/m, "$&\n  replcas: 3"));
    const bad = ws.run("sh", [SCRIPT, "nats/orders.yaml", OUT]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^nats\/orders\.yaml:\d+:3: error unknown-field spec\.replcas/m);
  });

  it("docs/gitops.md shows the script verbatim", () => {
    assert.ok(readFileSync(join(ROOT, "docs", "gitops.md"), "utf8").includes("```sh\n" + readFileSync(SCRIPT, "utf8") + "```\n"));
  });
});

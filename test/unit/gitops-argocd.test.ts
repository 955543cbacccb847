// The Argo CD config management plugin of docs/gitops.md (gitops/argocd/plugin.yaml), run the way Argo CD's
// cmp-server runs it: discovery by file name in the Application's source folder, then the generate command
// in that folder, with the build environment Argo CD sets and the sidecar's PATH, stdout as the manifests.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { cli, ROOT } from "../support/cli.js";
import { exampleText } from "../support/examples.js";
import { objectsOf, workspace, type Workspace } from "../support/gitops.js";
import { unknownFields, validateWithModels } from "../support/kube.js";

const PLUGIN_FILE = join(ROOT, "gitops", "argocd", "plugin.yaml");
const pluginText = readFileSync(PLUGIN_FILE, "utf8");
const plugin = parse(pluginText) as {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { version: string; discover: { fileName: string }; generate: { command: string[]; args: string[] } };
};

/** What Argo CD's repo-server passes to a plugin (build environment), for the Application "orders". */
function argocdEnv(ws: Workspace, app = "orders", extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: ws.path,
    HOME: ws.dir,
    ARGOCD_APP_NAME: app,
    ARGOCD_APP_NAMESPACE: "messaging",
    ARGOCD_APP_PROJECT_NAME: "default",
    ARGOCD_APP_REVISION: "0123456789abcdef0123456789abcdef01234567",
    ARGOCD_APP_REVISION_SHORT: "0123456",
    ARGOCD_APP_SOURCE_PATH: "apps/orders",
    ARGOCD_APP_SOURCE_REPO_URL: "https://git.example.com/platform/deploy.git",
    ARGOCD_APP_SOURCE_TARGET_REVISION: "main",
    KUBE_VERSION: "1.37.2",
    KUBE_API_VERSIONS: "v1,apps/v1,policy/v1,networking.k8s.io/v1,cert-manager.io/v1,monitoring.coreos.com/v1,jetstream.nats.io/v1beta2",
    ...extra,
  };
}

/** The generate command exactly as plugin.yaml has it, with the build environment only, not the test's own. */
function generate(ws: Workspace, appDir: string, env: Record<string, string>) {
  const [cmd, ...cmdArgs] = plugin.spec.generate.command;
  return ws.run(cmd!, [...cmdArgs, ...plugin.spec.generate.args], { cwd: appDir, exactEnv: env });
}

describe("Argo CD config management plugin (gitops/argocd/plugin.yaml)", () => {
  it("is a v1 sidecar plugin named natskube, discovered by ./natskube.yaml", () => {
    assert.equal(plugin.apiVersion, "argoproj.io/v1alpha1");
    assert.equal(plugin.kind, "ConfigManagementPlugin");
    assert.equal(`${plugin.metadata.name}-${plugin.spec.version}`, "natskube-v1", "the name an Application gives as spec.source.plugin.name");
    assert.equal(plugin.spec.discover.fileName, "./natskube.yaml");
  });

  it("in the Application's folder of the repository: exactly natskube render's output, whatever the Application is called", (t) => {
    const ws = workspace(t);
    const appDir = join(ws.dir, "repo", "apps", "orders");
    ws.write("repo/apps/orders/natskube.yaml", exampleText("production"));
    ws.write("repo/apps/other/README.md", "not a natskube app\n");
    // Discovery is a file-name glob in the source folder; this one is a literal name.
    assert.ok(!/[*?[]/.test(plugin.spec.discover.fileName));
    assert.ok(existsSync(join(appDir, plugin.spec.discover.fileName)));
    assert.ok(!existsSync(join(ws.dir, "repo", "apps", "other", plugin.spec.discover.fileName)));

    const r = generate(ws, appDir, argocdEnv(ws));
    assert.equal(r.code, 0, r.stderr);
    const expected = cli(["render", "examples/production.yaml"]);
    assert.equal(r.stdout, expected.stdout, "byte for byte");
    assert.ok(objectsOf(r.stdout).length > 10);
    assert.equal(generate(ws, appDir, argocdEnv(ws, "orders-eu")).stdout, r.stdout, "the Application's name changes nothing");
    assert.ok(!objectsOf(r.stdout).some((o) => o.kind === "Secret" && o.metadata.name.endsWith("-auth")), "no generated credentials");
  });

  it("plugin env NATSKUBE_MANIFEST (ARGOCD_ENV_NATSKUBE_MANIFEST) picks another file of the folder", (t) => {
    const ws = workspace(t);
    const appDir = join(ws.dir, "repo", "apps", "orders");
    ws.write("repo/apps/orders/natskube.yaml", exampleText("production"));
    ws.write("repo/apps/orders/nats/dev.yaml", exampleText("dev"));
    const r = generate(ws, appDir, argocdEnv(ws, "orders", { ARGOCD_ENV_NATSKUBE_MANIFEST: "nats/dev.yaml" }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, cli(["render", "examples/dev.yaml"]).stdout);
  });

  it("an invalid manifest fails the generate step: nothing on stdout, the located error on stderr (Argo CD shows it)", (t) => {
    const ws = workspace(t);
    const appDir = join(ws.dir, "repo", "apps", "orders");
    const text = exampleText("dev").replace(/^  replicas: 1 .*$/m, "$&\n  replcas: 3");
    ws.write("repo/apps/orders/natskube.yaml", text);
    const r = generate(ws, appDir, argocdEnv(ws));
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, new RegExp(`^natskube\\.yaml:${text.split("\n").indexOf("  replcas: 3") + 1}:3: error unknown-field spec\\.replcas`, "m"));
  });

  it("the sidecar container of docs/gitops.md is a valid Kubernetes container (upstream schema, no unknown field)", async () => {
    const doc = readFileSync(join(ROOT, "docs", "gitops.md"), "utf8");
    const block = /```yaml\n(containers:\n[\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(block, "the sidecar snippet");
    const { containers, volumes } = parse(block) as { containers: unknown[]; volumes: unknown[] };
    // The repo-server's own volumes the snippet mounts (var-files, plugins) are declared here as Argo CD's manifests do.
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "argocd-repo-server" },
      spec: { containers, volumes: [...volumes, { name: "var-files", emptyDir: {} }, { name: "plugins", emptyDir: {} }] } };
    assert.deepEqual(await validateWithModels([pod]), []);
    assert.deepEqual(unknownFields([pod]), []);
  });

  it("docs/gitops.md shows this file verbatim", () => {
    assert.ok(readFileSync(join(ROOT, "docs", "gitops.md"), "utf8").includes("```yaml\n" + pluginText + "```\n"));
  });
});

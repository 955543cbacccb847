// apply, diff and delete before and without a cluster: usage, invalid manifests, kubeconfig and
// connection failures as one line each; and the Kubernetes client loaded by these commands alone.
// Against the real API server: test/kube/live.test.ts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { BIN, ROOT, show, type CliResult } from "../support/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "natskube-cli-live-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: readonly string[], env: NodeJS.ProcessEnv): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000, env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const DEV = join(ROOT, "examples", "dev.yaml");

/** A kubeconfig whose server is a loopback port nothing listens on (no credentials needed to fail). */
function deadKubeconfig(server = "https://127.0.16.254:1"): string {
  const path = join(tmp, `dead-${server.replace(/\W/g, "")}.kubeconfig`);
  writeFileSync(
    path,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: dead, cluster: {server: '${server}', insecure-skip-tls-verify: true}}]`,
      "users: [{name: u, user: {token: not-a-secret}}]",
      "contexts: [{name: dead, context: {cluster: dead, user: u}}]",
      "current-context: dead",
    ].join("\n"),
  );
  return path;
}

describe("natskube apply, diff, delete without a cluster", () => {
  for (const command of ["apply", "diff", "delete"]) {
    it(`${command}: an unreachable API server is one line and exit 1, no stack trace`, () => {
      const r = run([command, DEV], { KUBECONFIG: deadKubeconfig() });
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, new RegExp(`^natskube ${command}: error cluster-unreachable: cannot reach the API server https://127\\.0\\.16\\.254:1 \\(context dead\\): .*ECONNREFUSED`), show(r));
      assert.match(r.stderr, /\n {2}hint: Check the server address/, show(r));
      assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, show(r));
      assert.equal(r.stdout, "");
    });

    it(`${command}: no kubeconfig anywhere`, () => {
      const r = run([command, DEV], { KUBECONFIG: "", HOME: tmp, KUBERNETES_SERVICE_HOST: "" });
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, new RegExp(`^natskube ${command}: error kubeconfig: no kubeconfig: ${tmp.replace(/[.]/g, "\\.")}/\\.kube/config does not exist`), show(r));
    });

    it(`${command}: an invalid manifest is reported as by validate, before any connection`, () => {
      const bad = join(tmp, "bad.yaml");
      writeFileSync(bad, readFileSync(DEV, "utf8").replace("replicas: 1 ", "replicas: 0 "));
      const r = run([command, bad], { KUBECONFIG: deadKubeconfig() });
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /bad\.yaml:\d+:\d+: error range spec\.replicas/, show(r));
      assert.doesNotMatch(r.stderr, /cluster-unreachable/, show(r));
    });

    it(`${command}: usage errors exit 2`, () => {
      for (const args of [[command], [command, DEV, DEV], [command, DEV, "--request-timeout", "soon"]]) {
        const r = run(args, { KUBECONFIG: deadKubeconfig() });
        assert.equal(r.code, 2, show(r));
        assert.match(r.stderr, new RegExp(`^natskube ${command}: .*\\nUsage: natskube ${command} FILE`), show(r));
      }
    });
  }

  it("an API server that accepts the connection and never answers: --request-timeout bounds the wait", async () => {
    // Listening, never reading: the kernel completes the TCP handshake, the TLS handshake never comes.
    const server = createServer(() => {});
    await new Promise<void>((r) => server.listen(0, "127.0.16.253", r));
    try {
      const { port } = server.address() as { port: number };
      const started = Date.now();
      const r = run(["diff", DEV, "--request-timeout", "2s"], { KUBECONFIG: deadKubeconfig(`https://127.0.16.253:${port}`) });
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, new RegExp(`^natskube diff: error cluster-unreachable: the API server https://127\\.0\\.16\\.253:${port} \\(context dead\\) did not answer while discovering v1 \\(timed out\\)\n  hint: `), show(r));
      assert.ok(Date.now() - started < 20_000, `bounded: ${Date.now() - started} ms`);
    } finally {
      server.close();
    }
  });

  it("the Kubernetes client is in dist/cli/live.cjs alone: render and --version never read it", () => {
    const cli = readFileSync(join(ROOT, "dist", "cli", "natskube.cjs"), "utf8");
    const live = readFileSync(join(ROOT, "dist", "cli", "live.cjs"), "utf8");
    assert.match(live, /KubernetesObjectApi/);
    assert.doesNotMatch(cli, /KubernetesObjectApi|client-node/);
    assert.match(cli, /require\("\.\/live\.cjs"\)/);
  });
});

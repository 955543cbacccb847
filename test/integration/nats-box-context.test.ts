// nats-box against the real server: the rendered Deployment is "run" here as the kubelet and the
// nats CLI would run it. Its Secret volumes are written to a temp root, its entrypoint script runs
// under sh, and a client connects with exactly what the CLI takes from the selected context and the
// container's environment (natscli loadContext: NATS_USER without NATS_PASSWORD is a token), and
// the real nats CLI (natscli, the version scripts/ensure-tools.sh builds) runs in the box with no flags.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { connect, type ConnectionOptions } from "@nats-io/transport-node";
import type { Model } from "../../src/model/model.js";
import type { KubeObject } from "../../src/render/index.js";
import { makeCertificateAuthority, makeServerCertificate } from "../../src/verify/certs.js";
import type { LocalPlan } from "../../src/verify/local-plan.js";
import { podEnv } from "../../src/verify/pod-env.js";
import { bootPods, defer, podsOf, tempDir } from "../support/local.js";
import { manifest } from "../support/render.js";
import { natsServerBin, toolPath } from "../support/tools.js";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Secrets = Record<string, Record<string, string>>;

const bin = natsServerBin();
const HOSTS = ["127.0.15.1", "127.0.15.2", "127.0.15.3"];
const CREDENTIALS = { token: "BoxTok3nValue7", user: "admin", password: "Passw0rdBoxValue" };

/** The whole render's Secrets (the contexts Secret) plus the ones the cluster would hold (auth, TLS). */
function secretsOf(objects: KubeObject[], extra: Secrets): Secrets {
  const rendered = objects.filter((o) => o.kind === "Secret").map((o) => [o.metadata.name, (o as Any).stringData ?? {}] as const);
  return { ...Object.fromEntries(rendered), ...extra };
}

/** Every Secret key the container's env reads exists (in the render or the Secrets the cluster would hold), or the pod would not start. */
function secretKeysExist(container: Any, secrets: Secrets): void {
  for (const e of (container.env ?? []) as Any[]) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref && secrets[ref.name]?.[ref.key] === undefined) throw new Error(`${e.name}: Secret ${ref.name} has no key ${ref.key}: the pod would not start`);
  }
}

/** nats-io/nats-box's Dockerfile: `WORKDIR /root`, root's home, mode 0700: where a container without workingDir starts. */
const IMAGE_WORKDIR = "/root";
/** Where the nats-box image keeps its binaries (the `nats` CLI among them). */
const IMAGE_BIN = "/usr/local/bin";

interface Box {
  root: string;
  env: Record<string, string>;
  /** The image's PATH: its own bin folder (under the root), then the host's system folders for sh and coreutils. */
  path: string;
  /** Where the container's processes (and `kubectl exec`) start: its workingDir, else the image's WORKDIR. */
  cwd: string;
  /** The pod's runAsUser/runAsGroup: every process in the box runs as that user, as in the pod. */
  user: { uid: number; gid: number };
  /** A path as the container sees it (absolute, or relative to the working directory $HOME), on the host. */
  hostPath(p: string): string;
}

/**
 * Mounts the nats-box pod's volumes under `root` (Secret keys as files, `items` honoured, emptyDirs as
 * directories), resolves its environment, and runs its entrypoint script with `true` as the command.
 * The root filesystem is read-only to the pod's user as in the pod (readOnlyRootFilesystem, non-root):
 * everything outside the mounts belongs to root, emptyDirs to the pod's fsGroup, and the image's
 * WORKDIR is root's 0700 home.
 */
function startNatsBox(t: TestContext, plan: LocalPlan, secrets: Secrets): Box {
  const root = tempDir(t, "natskube-box-");
  chmodSync(root, 0o755);
  const deployment = plan.objects.find((o) => o.kind === "Deployment" && o.metadata.name === plan.model.names.natsBox) as Any;
  const spec = deployment.spec.template.spec;
  const c = spec.containers[0];
  secretKeysExist(c, secrets);
  // The environment as the kubelet fills it, by verify's pod-env.ts (the same Secret values the servers got).
  const env = podEnv(c, { podName: "nats-box", namespace: plan.model.namespace, podIp: "127.0.0.1", secrets: plan.secrets, objects: plan.objects });
  const user = { uid: spec.securityContext.runAsUser, gid: spec.securityContext.runAsGroup };
  assert.ok(user.uid > 0 && spec.securityContext.fsGroup === user.gid, "nats-box runs as a non-root user whose group owns the emptyDirs");
  const hostPath = (p: string) => (isAbsolute(p) ? join(root, p) : join(root, env["HOME"] ?? "/", p));
  mkdirSync(hostPath(IMAGE_WORKDIR), { recursive: true, mode: 0o700 });
  for (const mount of c.volumeMounts as Any[]) {
    const vol = (spec.volumes as Any[]).find((v) => v.name === mount.name);
    if (!vol) throw new Error(`volumeMount ${mount.name} has no volume: the API server would reject the Deployment`);
    const dir = hostPath(mount.mountPath);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    if (vol.emptyDir) {
      chownSync(dir, user.uid, user.gid);
      continue;
    }
    const data = secrets[vol.secret.secretName];
    if (!data) throw new Error(`Secret ${vol.secret.secretName} does not exist: the pod would not start`);
    const items: { key: string; path: string }[] = vol.secret.items ?? Object.keys(data).map((k) => ({ key: k, path: k }));
    for (const { key, path } of items) {
      if (data[key] === undefined) throw new Error(`Secret ${vol.secret.secretName} has no key ${key}`);
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), data[key]!);
    }
  }
  // The box's user must not need the checkout: its tools folder may sit under a root-only folder
  // (a clone in `mktemp -d`), as the host's files are out of a pod's reach. The image's binaries are in the image.
  mkdirSync(hostPath(IMAGE_BIN), { recursive: true, mode: 0o755 });
  copyFileSync(toolPath("nats"), join(hostPath(IMAGE_BIN), "nats"));
  chmodSync(join(hostPath(IMAGE_BIN), "nats"), 0o755);
  const path = `${hostPath(IMAGE_BIN)}:/usr/bin:/bin`;
  const shEnv: Record<string, string> = { ...env, PATH: path };
  for (const k of ["HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "NKEYS_PATH"]) if (shEnv[k]) shEnv[k] = hostPath(shEnv[k]!);
  const cwd = c.workingDir ?? IMAGE_WORKDIR;
  const run = spawnSync(c.command[0], [...c.command.slice(1), "true"], { env: shEnv, cwd: hostPath(cwd), ...user, encoding: "utf8", timeout: 10_000 });
  assert.equal(run.status, 0, `entrypoint failed: ${run.stderr}`);
  return { root, env, path, cwd, user, hostPath };
}

/** What `nats` does in the pod with no flags: the selected context, then NATS_USER/NATS_PASSWORD over it. */
function natsCliOptions(box: Box): { options: ConnectionOptions; context: Any } {
  const natsDir = box.hostPath(join(box.env["XDG_CONFIG_HOME"]!, "nats"));
  const name = readFileSync(join(natsDir, "context.txt"), "utf8").trim();
  const contextDir = box.hostPath(readlinkSync(join(natsDir, "context")));
  const context = JSON.parse(readFileSync(join(contextDir, `${name}.json`), "utf8")) as Any;
  const user = box.env["NATS_USER"];
  const pass = box.env["NATS_PASSWORD"];
  const auth = user && !pass ? { token: user } : user ? { user, pass } : {};
  const options: ConnectionOptions = {
    servers: String(context.url).split(","),
    ...auth,
    ...(context.ca ? { tls: { caFile: box.hostPath(context.ca), ...(context.cert ? { certFile: box.hostPath(context.cert), keyFile: box.hostPath(context.key) } : {}) } } : {}),
    timeout: 3000,
    maxReconnectAttempts: 0,
  };
  return { options, context };
}

/**
 * The real `nats` CLI in the box: its environment and working directory as in the pod, with paths
 * under the box root (the context link the entrypoint made points at the container's absolute
 * path, so it is re-pointed at the same path under the root, as the container's root would see it).
 */
function natsCli(box: Box, args: string[]): Promise<{ code: number; out: string }> {
  const link = join(box.hostPath(box.env["XDG_CONFIG_HOME"]!), "nats", "context");
  const target = readlinkSync(link);
  if (isAbsolute(target) && !target.startsWith(box.root)) {
    unlinkSync(link);
    symlinkSync(box.hostPath(target), link);
  }
  const env: Record<string, string> = { ...box.env, PATH: box.path };
  for (const k of ["HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "NKEYS_PATH"]) if (env[k]) env[k] = box.hostPath(env[k]!);
  return new Promise((done) =>
    execFile(join(box.hostPath(IMAGE_BIN), "nats"), args, { cwd: box.hostPath(box.cwd), ...box.user, env, timeout: 15_000 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    ),
  );
}

/**
 * `kubectl exec -it deploy/<name>-box -- sh` starts in the container's working directory as the pod's
 * user: it must be readable and writable (files a user saves, `nats ... > out.json`), on the
 * read-only root filesystem only an emptyDir is.
 */
function execShellWrites(box: Box): void {
  const run = spawnSync("sh", ["-c", "pwd && ls . >/dev/null && echo saved > probe && cat probe"], { cwd: box.hostPath(box.cwd), env: { PATH: box.path }, ...box.user, encoding: "utf8", timeout: 10_000 });
  assert.equal(run.status, 0, `a shell in the box cannot use its working directory ${box.cwd}: ${run.stderr}`);
  assert.match(run.stdout, /saved/);
}

/** A reply service on the cluster, then `nats request` from the box with no flags but the subject. */
async function cliRequest(t: TestContext, box: Box, options: ConnectionOptions): Promise<void> {
  const nc = await connect(options);
  t.after(() => nc.close());
  const sub = nc.subscribe("box.echo", { callback: (_e, m) => void m.respond(m.data) });
  await nc.flush();
  // The CLI may reach another server than the responder's; the interest crosses the route a moment later.
  let r = await natsCli(box, ["request", "box.echo", "from-the-box", "--timeout", "5s"]);
  for (let i = 0; i < 20 && /No responders/.test(r.out); i++) {
    await new Promise((res) => setTimeout(res, 200));
    r = await natsCli(box, ["request", "box.echo", "from-the-box", "--timeout", "5s"]);
  }
  sub.unsubscribe();
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /from-the-box/);
}

/** The chart's helm test: a reply service and a request through the cluster. */
async function requestReply(t: TestContext, options: ConnectionOptions): Promise<void> {
  const nc = await connect(options);
  defer(t, () => nc.close());
  const sub = nc.subscribe("echo", { callback: (_e, m) => void m.respond(m.data) });
  await nc.flush();
  const reply = await nc.request("echo", "hi", { timeout: 3000 });
  assert.equal(reply.string(), "hi");
  sub.unsubscribe();
}

interface Setup {
  r: { model: Model; objects: KubeObject[] };
  box: Box;
  ca?: string;
}

async function bootWithBox(t: TestContext, spec: Record<string, unknown>): Promise<Setup> {
  const text = manifest(spec);
  const m = podsOf(text, { firstAddress: HOSTS[0]! }).plan.model;
  const extra: Secrets = {};
  const files: Record<string, string> = {};
  let ca: string | undefined;
  if (m.spec.auth.enabled) extra[m.names.authSecret] = { [m.spec.auth.tokenKey]: CREDENTIALS.token, [m.spec.auth.userKey]: CREDENTIALS.user, [m.spec.auth.passwordKey]: CREDENTIALS.password };
  if (m.tls) {
    const dir = tempDir(t, "natskube-box-certs-");
    const authority = await makeCertificateAuthority(join(dir, "ca"));
    const cert = await makeServerCertificate(authority, { name: "server", dnsNames: ["localhost"], ipAddresses: HOSTS.slice(0, m.replicas), dir: join(dir, "server") });
    extra[m.names.tlsSecret] = { "tls.crt": cert.certPem, "tls.key": cert.keyPem, "ca.crt": authority.certPem };
    Object.assign(files, { "certs/tls.crt": cert.certPem, "certs/tls.key": cert.keyPem, "certs/ca.crt": authority.certPem });
    ca = authority.certPem;
    if (m.tls.client) {
      // What cert-manager writes for natskube's client Certificate: the certificate, its key and the CA.
      const client = await makeServerCertificate(authority, { name: "client", dnsNames: ["natskube-box-client"], ipAddresses: [], dir: join(dir, "client") });
      extra[m.tls.client.secretName] = { "tls.crt": client.certPem, "tls.key": client.keyPem, "ca.crt": authority.certPem };
    }
  }
  // The servers' env from the rendered StatefulSet, the auth Secret holding the known credentials.
  const secretValues = Object.fromEntries(Object.entries(extra).flatMap(([name, data]) => Object.entries(data).map(([key, v]) => [`${name}/${key}`, v])));
  const { plan, cluster } = await bootPods(t, text, { bin, firstAddress: HOSTS[0]!, secretValues, files: () => files });
  if (m.clustered) await cluster.waitRoutes(m.replicas - 1, 10_000);
  const secrets = secretsOf(plan.objects, extra);
  const sts = plan.objects.find((o) => o.kind === "StatefulSet") as Any;
  secretKeysExist(sts.spec.template.spec.containers.find((c: Any) => c.name === "nats"), secrets);
  const box = startNatsBox(t, plan, secrets);
  return { r: { model: plan.model, objects: plan.objects }, box, ...(ca ? { ca } : {}) };
}

// Every test that starts processes has a bound: a hung one must fail, not hold the loopback locks.
describe("the nats-box context reaches the booted cluster with no flags", { timeout: 45_000 }, () => {
  it("no auth, no TLS: the context URL alone", async (t) => {
    const { box } = await bootWithBox(t, { replicas: 1, jetstream: { enabled: false } });
    const { options, context } = natsCliOptions(box);
    assert.deepEqual(Object.keys(context).sort(), ["description", "url"]);
    await requestReply(t, options);
    await cliRequest(t, box, options);
    execShellWrites(box);
  });

  it("TOKEN: NATS_USER from the auth Secret is the token; without it the server refuses", async (t) => {
    const { box } = await bootWithBox(t, { replicas: 1, jetstream: { enabled: false }, auth: { enabled: true, mode: "TOKEN" } });
    const { options } = natsCliOptions(box);
    assert.deepEqual([options.token, options.user, options.pass], [CREDENTIALS.token, undefined, undefined]);
    await requestReply(t, options);
    await cliRequest(t, box, options);
    const { token: _token, ...anonymous } = options;
    await assert.rejects(connect(anonymous), /Authorization Violation/i);
  });

  it("BASIC: NATS_USER and NATS_PASSWORD; a wrong password is refused", async (t) => {
    const { box } = await bootWithBox(t, { replicas: 1, jetstream: { enabled: false }, auth: { enabled: true, mode: "BASIC" } });
    const { options } = natsCliOptions(box);
    assert.deepEqual([options.user, options.pass], [CREDENTIALS.user, CREDENTIALS.password]);
    await requestReply(t, options);
    await cliRequest(t, box, options);
    await assert.rejects(connect({ ...options, pass: "WrongPassw0rd" }), /Authorization Violation/i);
  });

  it("3 servers, TOKEN + TLS: tls:// URLs, the mounted CA verifies the server; only ca.crt reaches the pod", async (t) => {
    const { box, r } = await bootWithBox(t, { replicas: 3, jetstream: { enabled: false }, auth: { enabled: true, mode: "TOKEN" }, tls: { enabled: true } });
    const { options, context } = natsCliOptions(box);
    assert.deepEqual(options.servers, HOSTS.map((h) => `tls://${h}:4222`));
    assert.equal(context.ca, `${r.model.topology.paths.certDir}/ca.crt`);
    const certDir = box.hostPath(r.model.topology.paths.certDir);
    assert.ok(existsSync(join(certDir, "ca.crt")));
    assert.equal(existsSync(join(certDir, "tls.key")), false, "the server's private key is not mounted in nats-box");
    await requestReply(t, options);
    await cliRequest(t, box, options);
    // Every server is reachable with the same context (the Service's job in Kubernetes).
    for (const server of options.servers as string[]) await requestReply(t, { ...options, servers: [server] });
    // The CA is what makes TLS work: without it the self-signed chain is not trusted.
    const { tls: _tls, ...noCa } = options;
    await assert.rejects(connect(noCa));
  });

  it("3 servers, BASIC + tls.verifyClients: the context presents the client certificate natskube issues; without it the servers refuse", async (t) => {
    const { box, r } = await bootWithBox(t, { replicas: 3, jetstream: { enabled: false }, auth: { enabled: true, mode: "BASIC" }, tls: { enabled: true, verifyClients: true } });
    const { options, context } = natsCliOptions(box);
    assert.ok(context.cert && context.key, `the context names a certificate and key: ${JSON.stringify(context)}`);
    const clientDir = box.hostPath(dirname(context.cert));
    assert.deepEqual([existsSync(join(clientDir, "tls.crt")), existsSync(join(clientDir, "tls.key")), existsSync(join(clientDir, "ca.crt"))], [true, true, false], "only the client's certificate and key are mounted beside it");
    assert.equal(r.model.tls?.client?.secretName, "nats-client-tls");
    await requestReply(t, options);
    await cliRequest(t, box, options);
    // The certificate is what the servers ask for: the same user and CA without it are refused.
    const { certFile: _c, keyFile: _k, ...caOnly } = options.tls as Record<string, string>;
    await assert.rejects(connect({ ...options, tls: caOnly }));
  });
});

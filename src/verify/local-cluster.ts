// Runs real nats-server processes on loopback addresses so that `natskube verify`
// and the tests can prove a generated nats.conf actually boots and forms a cluster.
// Every wait is bounded in time and in iterations; every child is tracked by PID and
// killed on process exit so a failing run never leaves servers behind.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { connect as tcpConnect } from "node:net";
import { accessSync, closeSync, constants, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { sleep } from "./checks.js";
import { PROGRESS_EVERY_MS } from "./defaults.js";
import { basename, delimiter, dirname, isAbsolute, join, normalize, resolve } from "node:path";

export interface LocalServerSpec {
  /** e.g. "orders-bus-0"; also the directory name (and usually POD_NAME). */
  name: string;
  /** Its own loopback address, e.g. "127.0.0.2", so every server can use the pod ports. */
  host: string;
  /** The nats.conf text, written to <dir>/nats.conf. */
  confText: string;
  /** Process environment, merged over PATH only. Values may be secrets: never logged. */
  env: Record<string, string>;
  /** Extra files (path relative to the server's dir -> content), e.g. certificates. */
  files?: Record<string, string>;
  /** Monitoring port on `host` (default 8222): readiness, /healthz, /routez, /jsz. */
  monitorPort?: number;
  /**
   * Another address for the monitoring listener alone (a kwok pod's IP put on lo, so that the API
   * server's pod proxy reaches it); clients and routes stay on `host`.
   */
  monitorHost?: string;
}

export interface RunningServer {
  readonly name: string;
  readonly host: string;
  readonly dir: string;
  readonly confPath: string;
  readonly monitorUrl: string;
  /** PID of the current process; undefined when it is not running. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** server_name reported by /varz (what /jsz and /routez call this server). */
  readonly serverName: string | undefined;
  /** Tail of the captured stdout+stderr, across restarts. */
  readonly logs: string;
}

export interface StartOptions {
  bin: string;
  workDir: string;
  /** Bound for every server to answer /varz after spawn (default 10 s). */
  startTimeoutMs?: number;
  /** Bound for waiting on another process that uses the same loopback address (default 30 s). */
  hostLockTimeoutMs?: number;
  /** Told what a wait is still waiting for, every few seconds (the library never prints). */
  onProgress?: (message: string) => void;
}

export interface LocalCluster {
  readonly servers: readonly RunningServer[];
  /** All running servers answer /healthz 200 (with JetStream: a meta leader exists). */
  waitHealthy(timeoutMs: number): Promise<void>;
  /**
   * Every running server has routes to at least `expected` distinct peers. Peers, not
   * /routez num_routes: from 2.10 on a pool of routes (3 by default, plus one) links each pair.
   */
  waitRoutes(expected: number, timeoutMs: number): Promise<void>;
  /** Every running server sees every other running server as a route peer, by name; says who is missing from whose view. */
  waitFormed(timeoutMs: number): Promise<string>;
  /**
   * Spec name of the JetStream meta leader, once every running server names the same running
   * leader and reports a meta group of all the cluster's servers (/jsz meta_cluster.cluster_size):
   * nats-server 2.10 can elect a leader in a group that formed short and never grows.
   */
  waitMetaLeader(timeoutMs: number): Promise<string>;
  /**
   * A (re)started server is back as a JetStream member: its own /jsz names a running leader and
   * the full group, /healthz?js-enabled-only=true is 200, and the leader lists it online.
   */
  waitRejoined(name: string, timeoutMs: number): Promise<string>;
  /** Sends `signal` (default SIGTERM) and waits for exit; escalates to SIGKILL after a bound. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped server again with the same dir, conf, env and store. */
  restart(name: string): Promise<void>;
  /** `nats-server --signal ldm=<pid>`, then waits for exit (bounded, default 30 s). */
  lameDuck(name: string, timeoutMs?: number): Promise<void>;
  /**
   * Stops a server the way the kubelet stops a pod: runs the preStop exec command in the server's
   * directory (`nats-server` resolves to this cluster's binary) for at most `graceMs`
   * (terminationGracePeriodSeconds), then SIGTERM, then SIGKILL when the grace period is used up
   * (the kubelet adds 2 s when the preStop took it all). The server may be restarted after.
   */
  terminatePod(name: string, opts: { preStop?: string[]; graceMs: number }): Promise<PodTermination>;
  /** Stops everything it started (SIGTERM, then SIGKILL); idempotent. */
  stop(): Promise<void>;
}

export interface PodTermination {
  /** "ok", "none", or why the preStop command failed (the kubelet goes on with SIGTERM regardless). */
  preStop: string;
  /** Milliseconds the preStop command ran. */
  preStopMs: number;
  /** The server had exited before the kubelet's SIGTERM (a preStop that waits for the drain). */
  exitedBeforeSigterm: boolean;
  /** false when the server outlived the grace period and was killed. */
  exitedInGrace: boolean;
  ms: number;
}

const POLL_MS = 50;
const FETCH_TIMEOUT_MS = 1000;
// What the kubelet adds to the grace period when the preStop hook used it all up.
const KUBELET_EXTRA_GRACE_MS = 2000;
const STOP_GRACE_MS = 5000;
const LOG_LINES_KEPT = 300;
const LOG_LINES_IN_ERRORS = 25;
// Env keys whose values are scrubbed from log tails put into error messages.
const SECRET_KEY = /PASS|TOKEN|SECRET|KEY|SEED|CRED|NKEY|JWT/i;

// ---------------------------------------------------------------- binary lookup

/** Whether `path` is a file this process may execute. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** --nats-server path, then $NATS_SERVER_BIN, then PATH, then Debian's /usr/sbin path. */
export function findNatsServer(explicit?: string): string | undefined {
  if (explicit) return isExecutable(explicit) ? resolve(explicit) : undefined;
  const fromEnv = process.env["NATS_SERVER_BIN"];
  if (fromEnv) return isExecutable(fromEnv) ? resolve(fromEnv) : undefined;
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    if (dir && isExecutable(join(dir, "nats-server"))) return join(dir, "nats-server");
  }
  return isExecutable("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : undefined;
}

function minimalEnv(extra: Record<string, string>): Record<string, string> {
  // Only PATH from our environment: a generated conf must not silently depend on
  // variables that happen to be set on the developer's machine.
  return { PATH: process.env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin", ...extra };
}

/**
 * `nats-server -t -c FILE`, run in the file's directory (relative cert paths resolve
 * against the cwd, as they do when the server runs). `env` supplies $VARs the conf uses.
 */
export function checkConfig(
  bin: string,
  confPath: string,
  opts: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ ok: boolean; message: string }> {
  return new Promise((done) => {
    execFile(
      bin,
      ["-t", "-c", basename(confPath)],
      { cwd: dirname(resolve(confPath)), env: minimalEnv(opts.env ?? {}), timeout: opts.timeoutMs ?? 10_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        const message = `${stderr}${stdout}`.trim().replace(/^nats-server: /gm, "");
        if (!err) return done({ ok: true, message });
        const killed = (err as { killed?: boolean }).killed;
        done({ ok: false, message: killed ? `nats-server -t timed out: ${message}` : message || err.message });
      },
    );
  });
}

// ---------------------------------------------------------------- process tracking

// Children of this process, killed synchronously if the process exits or is interrupted.
const liveChildren = new Set<ChildProcess>();
const heldLocks = new Set<string>();
let cleanupRegistered = false;

function killAllNow(): void {
  for (const child of liveChildren) {
    try {
      child.kill("SIGKILL");
    } catch {
      /* already gone */
    }
  }
  liveChildren.clear();
  for (const lock of heldLocks) rmSync(lock, { force: true });
  heldLocks.clear();
}

function registerCleanupOnce(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  process.on("exit", killAllNow);
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.on(signal, () => {
      killAllNow();
      // Our listener disabled Node's default "exit on signal"; restore it unless the
      // application has its own handler for this signal.
      if (process.listenerCount(signal) === 1) process.exit(code);
    });
  }
}

function validateSpecs(servers: LocalServerSpec[]): void {
  if (servers.length === 0) throw new Error("startLocalCluster: no servers given");
  const names = new Set<string>();
  const hosts = new Set<string>();
  for (const s of servers) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s.name)) throw new Error(`invalid server name ${JSON.stringify(s.name)}`);
    const octets = s.host.split(".").map(Number);
    if (!/^127\.\d+\.\d+\.\d+$/.test(s.host) || octets.some((o) => o > 255)) {
      throw new Error(`server ${s.name}: host ${s.host} is not a loopback address (127.0.0.0/8 only)`);
    }
    if (names.has(s.name)) throw new Error(`duplicate server name ${s.name}`);
    if (hosts.has(s.host)) throw new Error(`duplicate host ${s.host} (each server needs its own loopback address)`);
    names.add(s.name);
    hosts.add(s.host);
    for (const rel of Object.keys(s.files ?? {})) {
      const n = normalize(rel);
      if (isAbsolute(rel) || n === ".." || n.startsWith("../")) throw new Error(`server ${s.name}: file path ${rel} escapes its directory`);
    }
  }
}

// ---------------------------------------------------------------- host locks

// Test files run in parallel processes; two clusters on the same loopback address
// would fight over ports. A lock file per address (holding the owner's PID, stale
// when that PID is gone) makes the second one wait instead of failing at random.
const LOCK_DIR = join(tmpdir(), "natskube-loopback-locks");

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function lockHosts(hosts: string[], timeoutMs: number): Promise<string[]> {
  mkdirSync(LOCK_DIR, { recursive: true });
  const taken: string[] = [];
  const deadline = Date.now() + timeoutMs;
  try {
    for (const host of [...hosts].sort()) {
      const path = join(LOCK_DIR, `${host}.lock`);
      for (let attempt = 0; ; attempt++) {
        try {
          const fd = openSync(path, "wx");
          writeSync(fd, String(process.pid));
          closeSync(fd);
          heldLocks.add(path);
          taken.push(path);
          break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        }
        let owner = NaN;
        try {
          owner = Number(readFileSync(path, "utf8"));
        } catch {
          continue; // released between our open and read: retry at once
        }
        if (owner === process.pid) throw new Error(`loopback address ${host} is already used by another local cluster in this process`);
        const wellFormed = Number.isInteger(owner) && owner > 0;
        // Owner gone: stale. Malformed for several polls: its writer died mid-write.
        if ((wellFormed && !pidAlive(owner)) || (!wellFormed && attempt > 3)) rmSync(path, { force: true });
        if (Date.now() > deadline) throw new Error(`loopback address ${host} is held by pid ${owner} for more than ${timeoutMs} ms (lock ${path})`);
        await sleep(POLL_MS);
      }
    }
    return taken;
  } catch (e) {
    releaseLocks(taken);
    throw e;
  }
}

function releaseLocks(paths: string[]): void {
  for (const path of paths) {
    rmSync(path, { force: true });
    heldLocks.delete(path);
  }
}

// ---------------------------------------------------------------- one server

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, body };
}

/** Whether a TCP connection to host:port is accepted within a second (closed at once). */
function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = tcpConnect({ host, port, timeout: FETCH_TIMEOUT_MS });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.once("connect", () => finish(true));
    socket.once("timeout", () => finish(false));
    socket.once("error", () => finish(false));
  });
}

interface RouteInfo {
  remote_id?: string;
  remote_name?: string;
}

interface MetaCluster {
  leader?: string;
  cluster_size?: number;
  replicas?: { name: string; current?: boolean; offline?: boolean }[];
}

class Server implements RunningServer {
  readonly dir: string;
  readonly confPath: string;
  readonly monitorUrl: string;
  serverName: string | undefined;
  serverId: string | undefined;
  private child: ChildProcess | undefined;
  private gone = true; // set on 'exit' or on a spawn 'error' (which has no exit code)
  private exited: Promise<void> = Promise.resolve();
  private lines: string[] = [];
  /** server_id this run printed at startup: tells its /varz from a stale server's. */
  private loggedId: string | undefined;
  private partial = "";
  /** false once we stopped it on purpose, so waits skip it instead of failing. */
  wanted = false;
  lastExit = "";

  constructor(readonly spec: LocalServerSpec, workDir: string, private readonly bin: string) {
    this.dir = join(workDir, spec.name);
    this.confPath = join(this.dir, "nats.conf");
    this.monitorUrl = `http://${spec.monitorHost ?? spec.host}:${spec.monitorPort ?? 8222}`;
  }

  get name(): string {
    return this.spec.name;
  }
  get host(): string {
    return this.spec.host;
  }
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }
  get running(): boolean {
    return this.child !== undefined && !this.gone;
  }
  get logs(): string {
    return [...this.lines, this.partial].join("\n").trimEnd();
  }

  writeFiles(): void {
    mkdirSync(this.dir, { recursive: true });
    // nats-server has no flag for the monitoring address: a top-level `http: host:port` (same port as
    // http_port, so the order nats-server reads the two keys in does not matter) moves it off `host`.
    const monitor = this.spec.monitorHost ? `\nhttp: "${this.spec.monitorHost}:${this.spec.monitorPort ?? 8222}"\n` : "";
    writeFileSync(this.confPath, this.spec.confText + monitor);
    for (const [rel, content] of Object.entries(this.spec.files ?? {})) {
      const path = join(this.dir, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content, { mode: 0o600 });
    }
  }

  spawn(): void {
    if (this.running) throw new Error(`server ${this.name} is already running (pid ${this.pid})`);
    registerCleanupOnce();
    if (this.lines.length > 0) this.lines.push("----- restarted -----");
    // Relative "nats.conf" with cwd = dir: relative paths in the conf resolve in the
    // server's own dir, and error lines read "nats.conf:3:5: ..." like in a pod.
    const child = spawn(this.bin, ["-c", "nats.conf"], { cwd: this.dir, env: minimalEnv(this.spec.env), stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.gone = false;
    this.wanted = true;
    this.serverName = undefined;
    this.serverId = undefined;
    this.loggedId = undefined;
    liveChildren.add(child);
    const onData = (chunk: Buffer): void => this.capture(chunk.toString("utf8"));
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    this.exited = new Promise((done) => {
      child.once("error", (err) => {
        this.capture(`\nfailed to start ${this.bin}: ${err.message}\n`);
        this.lastExit = `could not be started (${err.message})`;
        this.gone = true;
        liveChildren.delete(child);
        done();
      });
      child.once("exit", (code, signal) => {
        this.lastExit = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        this.gone = true;
        liveChildren.delete(child);
        done();
      });
    });
  }

  private capture(text: string): void {
    const parts = (this.partial + text).split("\n");
    this.partial = parts.pop() ?? "";
    this.lines.push(...parts);
    for (const line of parts) this.loggedId ??= /\[INF\]\s+ID:\s+(N[A-Z0-9]{55})\s*$/.exec(line)?.[1];
    if (this.lines.length > LOG_LINES_KEPT) this.lines.splice(0, this.lines.length - LOG_LINES_KEPT);
  }

  /** Log tail for error messages, with secret-looking env values scrubbed. */
  tail(): string {
    let text = this.logs.split("\n").slice(-LOG_LINES_IN_ERRORS).join("\n");
    for (const [key, value] of Object.entries(this.spec.env)) {
      if (SECRET_KEY.test(key) && value.length >= 3) text = text.split(value).join("***");
    }
    return text ? `\n--- ${this.name} log tail ---\n${text}` : `\n--- ${this.name}: no output ---`;
  }

  /** Error for a server we did not stop on purpose but which is gone. */
  exitError(what: string): Error {
    return new Error(`nats-server ${this.name} (${this.host}) ${this.lastExit || "is not running"} ${what}${this.tail()}`);
  }

  async waitExit(timeoutMs: number): Promise<boolean> {
    if (!this.child || !this.running) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
    const ok = await Promise.race([this.exited.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return ok;
  }

  /** Sends a signal and waits; SIGKILL if it does not exit within the bound. Resolves false when SIGKILL was needed. */
  async stopWith(signal: NodeJS.Signals, timeoutMs = STOP_GRACE_MS): Promise<boolean> {
    this.wanted = false;
    if (!this.running) return true;
    this.child?.kill(signal);
    if (await this.waitExit(timeoutMs)) return true;
    this.child?.kill("SIGKILL");
    if (!(await this.waitExit(STOP_GRACE_MS))) throw new Error(`nats-server ${this.name} (pid ${this.pid}) survived SIGKILL for ${STOP_GRACE_MS} ms`);
    return false;
  }

  /**
   * Ready = /varz answers from *this* process (server_id matches the one it logged) and its client
   * port accepts connections: the monitoring listener opens first, the client one a few ms later.
   */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer yet";
    for (let i = 0; i < Math.ceil(timeoutMs / POLL_MS) + 1; i++) {
      if (!this.running) {
        await this.exited;
        throw this.exitError("before it was ready");
      }
      const loggedId = this.loggedId;
      try {
        const { status, body } = await getJson(`${this.monitorUrl}/varz`);
        const varz = body as { server_id?: string; server_name?: string; port?: number };
        if (status === 200 && (!loggedId || varz.server_id === loggedId)) {
          const port = varz.port ?? 0;
          if (port <= 0 || (await tcpOpen(this.host, port))) {
            this.serverName = varz.server_name;
            this.serverId = varz.server_id;
            return;
          }
          last = `/varz answers, client port ${port} not open yet`;
        } else last = status === 200 ? `/varz answered for another server (${varz.server_id})` : `/varz status ${status}`;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() > deadline) break;
      await sleep(POLL_MS);
    }
    throw new Error(`nats-server ${this.name} not ready at ${this.monitorUrl}/varz after ${timeoutMs} ms (${last})${this.tail()}`);
  }
}

// ---------------------------------------------------------------- the cluster

/**
 * Writes each server's files under workDir/<name>, starts all servers at once (routes
 * need their peers) and resolves when each answers /varz. On any failure everything
 * started is stopped and the error carries the failing server's own log lines.
 */
export async function startLocalCluster(specs: LocalServerSpec[], opts: StartOptions): Promise<LocalCluster> {
  validateSpecs(specs);
  const locks = await lockHosts(
    specs.map((s) => s.host),
    opts.hostLockTimeoutMs ?? 30_000,
  );
  const servers = specs.map((s) => new Server(s, resolve(opts.workDir), opts.bin));
  const cluster = new Cluster(servers, locks, opts.bin, opts.startTimeoutMs ?? 10_000, opts.onProgress);
  try {
    for (const s of servers) s.writeFiles();
    for (const s of servers) s.spawn();
    await Promise.all(servers.map((s) => s.waitReady(opts.startTimeoutMs ?? 10_000)));
    return cluster;
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

class Cluster implements LocalCluster {
  private stopped = false;

  constructor(
    private readonly all: Server[],
    private readonly locks: string[],
    private readonly bin: string,
    private readonly startTimeoutMs: number,
    private readonly onProgress?: (message: string) => void,
  ) {}

  get servers(): readonly RunningServer[] {
    return this.all;
  }

  private get(name: string): Server {
    const s = this.all.find((x) => x.name === name);
    if (!s) throw new Error(`no server named ${name} (have: ${this.all.map((x) => x.name).join(", ")})`);
    return s;
  }

  /**
   * Polls `check` on every server that should be running until all pass. Fails fast
   * if one of them exits; on timeout reports each failing server's last state and log.
   */
  private async pollAll(
    what: string,
    timeoutMs: number,
    check: (s: Server) => Promise<string | true>,
    whole: (targets: Server[]) => string | true = () => true,
  ): Promise<void> {
    if (this.stopped) throw new Error(`${what}: cluster was stopped`);
    const started = Date.now();
    const deadline = started + timeoutMs;
    let nextProgress = started + PROGRESS_EVERY_MS;
    const pending = new Map<Server, string>();
    for (let i = 0; i < Math.ceil(timeoutMs / POLL_MS) + 1; i++) {
      const targets = this.all.filter((s) => s.wanted);
      if (targets.length === 0) throw new Error(`${what}: no server is running`);
      const dead = targets.find((s) => !s.running);
      if (dead) throw dead.exitError(`while waiting for ${what}`);
      pending.clear();
      await Promise.all(
        targets.map(async (s) => {
          const r = await check(s).catch((e: Error) => e.message);
          if (r !== true) pending.set(s, r);
        }),
      );
      if (pending.size === 0) {
        const verdict = whole(targets);
        if (verdict === true) return;
        for (const t of targets) pending.set(t, verdict);
      }
      if (Date.now() > deadline) break;
      if (this.onProgress && Date.now() > nextProgress) {
        nextProgress = Date.now() + PROGRESS_EVERY_MS;
        const first = [...pending][0];
        this.onProgress(`waiting ${Math.round((Date.now() - started) / 1000)} s for ${what}${first ? ` (${first[0].name}: ${first[1]})` : ""}`);
      }
      await sleep(POLL_MS);
    }
    const details = [...pending].map(([s, why]) => `${s.name}: ${why}${s.tail()}`).join("\n");
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${details}`);
  }

  waitHealthy(timeoutMs: number): Promise<void> {
    return this.pollAll("/healthz 200 on all servers", timeoutMs, async (s) => {
      const { status, body } = await getJson(`${s.monitorUrl}/healthz`);
      return status === 200 || `/healthz ${status} ${JSON.stringify(body)}`;
    });
  }

  /** Distinct route peers of `s` (pooled routes and per-account routes count once). */
  private async routePeers(s: Server): Promise<{ status: number; peers: Set<string> }> {
    const { status, body } = await getJson(`${s.monitorUrl}/routez`);
    const routes = ((body as { routes?: RouteInfo[] }).routes ?? []).filter((r) => r.remote_name || r.remote_id);
    return { status, peers: new Set(routes.map((r) => r.remote_name || r.remote_id || "")) };
  }

  /** Server name or server_id by which others know `s` (what /routez remote_name or remote_id says). */
  private knownAs(s: Server, peers: Set<string>): boolean {
    return (s.serverName !== undefined && peers.has(s.serverName)) || (s.serverId !== undefined && peers.has(s.serverId));
  }

  waitRoutes(expected: number, timeoutMs: number): Promise<void> {
    return this.pollAll(`routes to ${expected} peer(s) on every server`, timeoutMs, async (s) => {
      const { status, peers } = await this.routePeers(s);
      return (status === 200 && peers.size >= expected) || `/routez status ${status}, ${peers.size} distinct peer(s): ${[...peers].join(", ") || "none"}`;
    });
  }

  async waitFormed(timeoutMs: number): Promise<string> {
    await this.pollAll("every server to see every other as a route peer", timeoutMs, async (s) => {
      const { status, peers } = await this.routePeers(s);
      if (status !== 200) return `/routez status ${status}`;
      const missing = this.all.filter((o) => o !== s && o.wanted && !this.knownAs(o, peers)).map((o) => o.name);
      return missing.length === 0 || `${missing.join(", ")} missing from ${s.name}'s routes (it sees ${[...peers].join(", ") || "no peer"})`;
    });
    const running = this.all.filter((s) => s.wanted);
    return `each of ${running.length} servers routes to the other ${running.length - 1}`;
  }

  async waitMetaLeader(timeoutMs: number): Promise<string> {
    // Right after a leader dies, survivors still name it for a while, so only accept
    // a leader that every running server names in the same round and that is running.
    const named = new Map<Server, string>();
    let agreed = "";
    await this.pollAll(
      "a JetStream meta leader",
      timeoutMs,
      async (s) => {
        named.delete(s);
        const { status, body } = await getJson(`${s.monitorUrl}/jsz`);
        const meta = (body as { meta_cluster?: MetaCluster }).meta_cluster;
        const leader = meta?.leader;
        if (status !== 200 || !leader) return `/jsz status ${status}, meta leader ${leader ?? "none"}`;
        // Stopped servers stay members, so the group is always the whole cluster.
        const size = meta?.cluster_size ?? 0;
        if (size < this.all.length) return `${s.name}'s meta group has ${size} of ${this.all.length} servers (leader ${leader}${this.missingPeers(meta)})`;
        named.set(s, leader);
        return true;
      },
      (targets) => {
        const views = new Set(targets.map((t) => named.get(t)));
        if (views.size !== 1) return `servers disagree on the meta leader (${[...views].join(", ")})`;
        agreed = [...views][0] ?? "";
        const leader = targets.find((t) => t.running && t.serverName === agreed);
        return leader !== undefined || `meta leader ${agreed} is not one of the running servers`;
      },
    );
    return this.all.find((x) => x.serverName === agreed)?.name ?? agreed;
  }

  /** ": X missing" from a leader's view of its peers; followers list none, so this says nothing then. */
  private missingPeers(meta: MetaCluster | undefined): string {
    const listed = meta?.replicas;
    if (!listed) return "";
    const names = new Set([meta?.leader, ...listed.map((r) => r.name)]);
    const missing = this.all.filter((o) => o.serverName && !names.has(o.serverName)).map((o) => o.name);
    return missing.length ? `; ${missing.join(", ")} missing from its peers` : "";
  }

  async waitRejoined(name: string, timeoutMs: number): Promise<string> {
    const s = this.get(name);
    let leaderName = "";
    await this.pollAll(`${name} to rejoin the JetStream meta group`, timeoutMs, async (t) => {
      if (t !== s) return true;
      const { status, body } = await getJson(`${s.monitorUrl}/jsz`);
      const meta = (body as { meta_cluster?: MetaCluster }).meta_cluster;
      const leader = this.all.find((o) => o.running && o.serverName !== undefined && o.serverName === meta?.leader);
      if (status !== 200 || !leader) return `its /jsz names meta leader ${meta?.leader ?? "none"}, not a running server`;
      if ((meta?.cluster_size ?? 0) < this.all.length) return `its meta group has ${meta?.cluster_size ?? 0} of ${this.all.length} servers`;
      const health = await getJson(`${s.monitorUrl}/healthz?js-enabled-only=true`);
      if (health.status !== 200) return `/healthz?js-enabled-only=true ${health.status} ${JSON.stringify(health.body)}`;
      // The leader's own view must list it online. Not its "current" flag: 2.10 computes that from
      // the last index the follower acknowledged, which an idle meta group can leave stale for
      // minutes after a restart although the follower is caught up (seen in the chaos soak).
      if (leader !== s) {
        const seen = ((await getJson(`${leader.monitorUrl}/jsz`)).body as { meta_cluster?: MetaCluster }).meta_cluster;
        const peer = seen?.replicas?.find((r) => r.name === s.serverName);
        if (!peer || peer.offline) return `leader ${leader.name} counts it ${!peer ? "absent" : "offline"}`;
      }
      leaderName = leader.name;
      return true;
    });
    return `${name} rejoined, online for meta leader ${leaderName}`;
  }

  async kill(name: string, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    await this.get(name).stopWith(signal);
  }

  async restart(name: string): Promise<void> {
    if (this.stopped) throw new Error(`restart ${name}: cluster was stopped`);
    const s = this.get(name);
    if (s.running) throw new Error(`restart ${name}: still running (pid ${s.pid}); kill it first`);
    s.spawn();
    try {
      await s.waitReady(this.startTimeoutMs);
    } catch (e) {
      await s.stopWith("SIGKILL");
      throw e;
    }
  }

  async lameDuck(name: string, timeoutMs = 30_000): Promise<void> {
    const s = this.get(name);
    if (!s.running) throw new Error(`lameDuck ${name}: not running`);
    const pid = s.pid;
    s.wanted = false; // it is about to leave on purpose: waits must not fail on it
    await new Promise<void>((done, fail) =>
      execFile(this.bin, ["--signal", `ldm=${pid}`], { timeout: 10_000 }, (err, stdout, stderr) => {
        if (!err) return done();
        s.wanted = s.running;
        fail(new Error(`nats-server --signal ldm=${pid} failed: ${`${stderr}${stdout}`.trim() || err.message}`));
      }),
    );
    if (!(await s.waitExit(timeoutMs))) {
      throw new Error(`nats-server ${name} still running ${timeoutMs} ms after lame duck mode (lame_duck_duration too long?)${s.tail()}`);
    }
  }

  async terminatePod(name: string, opts: { preStop?: string[]; graceMs: number }): Promise<PodTermination> {
    const s = this.get(name);
    if (!s.running) throw new Error(`terminatePod ${name}: not running`);
    const started = Date.now();
    s.wanted = false; // leaving on purpose: waits must not fail on it
    let preStop = "none";
    if (opts.preStop?.length) preStop = await this.runPreStop(s, opts.preStop, opts.graceMs);
    const preStopMs = Date.now() - started;
    const exitedBeforeSigterm = !s.running;
    const left = opts.graceMs - preStopMs;
    const exitedInGrace = await s.stopWith("SIGTERM", left > 0 ? left : KUBELET_EXTRA_GRACE_MS);
    return { preStop, preStopMs, exitedBeforeSigterm, exitedInGrace, ms: Date.now() - started };
  }

  /**
   * The exec hook as the kubelet runs it, bounded by the grace period. In the pod the hook ends
   * when the container's main process exits; here it is a separate process, so it is also ended
   * (by its PID) once the server is gone.
   */
  private runPreStop(s: Server, command: string[], graceMs: number): Promise<string> {
    const [cmd, ...args] = command;
    const file = basename(cmd!) === "nats-server" ? this.bin : cmd!;
    // The image's PATH has nats-server; here the hook must find this cluster's binary.
    const env = minimalEnv({ PATH: `${dirname(this.bin)}${delimiter}${process.env["PATH"] ?? "/usr/bin:/bin"}` });
    return new Promise<string>((done) => {
      const hook = execFile(file, args, { cwd: s.dir, env, timeout: graceMs, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
        if (!err || !s.running) return done("ok");
        const killed = (err as { killed?: boolean }).killed;
        done(killed ? `still running after the ${graceMs} ms grace period` : `failed: ${`${stderr}${stdout}`.trim() || err.message}`);
      });
      void s.waitExit(graceMs + KUBELET_EXTRA_GRACE_MS).then(() => {
        if (!s.running && hook.exitCode === null) setTimeout(() => hook.kill("SIGKILL"), 1500);
      });
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const results = await Promise.allSettled(this.all.map((s) => s.stopWith("SIGTERM")));
    releaseLocks(this.locks);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }
}

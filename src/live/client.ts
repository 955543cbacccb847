/**
 * The API server, through the official client (@kubernetes/client-node): its kubeconfig loading
 * (files, contexts, client certificates, tokens, exec plugins), its discovery of resource paths and
 * its HTTP layer. This is the only file that imports it, and only when a live command connects:
 * `render` and `--version` never load it.
 *
 * Bodies go out and come back as plain JSON, not through the client's typed models: those drop the
 * fields they do not know (a field newer than the client would vanish from an apply, unreported,
 * instead of failing strict validation) and turn timestamps into Dates.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { KubeObject } from "../render/object.js";
import { FIELD_MANAGER } from "./normalize.js";
import { forwardPort, type LocalForward } from "./port-forward.js";

export interface ConnectOptions {
  /** --kubeconfig; else KUBECONFIG (a list of files, as kubectl merges them); else ~/.kube/config. */
  kubeconfig?: string;
  /** --context; else the kubeconfig's current context. */
  context?: string;
  /** Bound on every request, in ms. */
  requestTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface Ref {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

export interface Cluster {
  /** The context and the API server's URL, for messages. */
  readonly context: string;
  readonly server: string;
  /** The object, or undefined when there is none. */
  get(ref: Ref): Promise<KubeObject | undefined>;
  /** Whether the API server serves this kind (a CRD's kinds only once it is installed). */
  served(apiVersion: string, kind: string): Promise<boolean>;
  /** Objects of a kind in a namespace with a label selector; [] when the kind is not served. */
  list(apiVersion: string, kind: string, namespace: string, labelSelector: string): Promise<KubeObject[]>;
  /** Server-side apply as `natskube`, strict field validation. */
  apply(o: KubeObject, options: { dryRun: boolean; force: boolean }): Promise<KubeObject>;
  /** Deletes; false when the object was already gone. */
  remove(ref: Ref, options: { dryRun: boolean; propagation?: "Foreground" | "Background" | "Orphan" }): Promise<boolean>;
  /** A local listener carried to a pod's port through the API server (pods/portforward). */
  forward(namespace: string, pod: string, port: number): Promise<LocalForward>;
  /**
   * GET `path` (with its query) of a pod's port through the API server's pod proxy (`get` on
   * `pods/proxy`): the pod's answer, whatever its status. The API server's own refusals (no right,
   * the pod unreachable) throw ClusterError.
   */
  proxyGet(target: ProxyTarget, path: string, timeoutMs: number): Promise<{ status: number; body: unknown }>;
}

export interface ProxyTarget {
  namespace: string;
  pod: string;
  scheme: "http" | "https";
  port: number;
}

/** The pod proxy's path of `target` (the API server's `[scheme:]name:port` form). */
export function proxyPath(t: ProxyTarget): string {
  return `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/pods/${t.scheme === "https" ? "https:" : ""}${encodeURIComponent(t.pod)}:${t.port}/proxy`;
}

/** A failure talking to the API server, as the diagnostic the CLI prints. Thrown inside src/live, caught at its edge. */
export class ClusterError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

const fail = (code: Diagnostic["code"], message: string, hint?: string): ClusterError =>
  new ClusterError({ code, severity: "error", path: "", message, ...(hint ? { hint } : {}) });

/** The kubeconfig files, as kubectl picks them. */
export function kubeconfigFiles(options: ConnectOptions): string[] {
  const env = options.env ?? process.env;
  if (options.kubeconfig) return [options.kubeconfig];
  const list = (env["KUBECONFIG"] ?? "").split(delimiter).filter(Boolean);
  if (list.length) return list;
  return [join(env["HOME"] ?? homedir(), ".kube", "config")];
}

/** Tries of a request the API server did not process (429, 503): waits of 0.5, 1, 2, 4 s between. */
const RETRIES = 5;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Connects (reads the kubeconfig; no request yet). Throws ClusterError. */
export async function connect(options: ConnectOptions): Promise<Cluster> {
  const env = options.env ?? process.env;
  const files = kubeconfigFiles(options);
  // In a pod without a kubeconfig, the client uses the pod's service account, as kubectl does.
  const inCluster = !options.kubeconfig && !env["KUBECONFIG"] && !!env["KUBERNETES_SERVICE_HOST"];
  const missing = files.filter((f) => !existsSync(f));
  if (!inCluster && missing.length === files.length)
    throw fail("kubeconfig", `no kubeconfig: ${missing.join(", ")} ${missing.length === 1 ? "does" : "do"} not exist`, "Pass --kubeconfig FILE or set KUBECONFIG, as for kubectl.");
  const k8s = await import("@kubernetes/client-node");
  const kc = new k8s.KubeConfig();
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw fail("kubeconfig", `cannot read the kubeconfig (${files.join(", ")}): ${firstLine(e)}`);
  }
  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context))
      throw fail("kubeconfig", `the kubeconfig has no context "${options.context}"`, `Contexts: ${kc.getContexts().map((c) => c.name).join(", ") || "none"}.`);
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw fail("kubeconfig", `the kubeconfig's current context "${kc.getCurrentContext()}" names no cluster`, "Pass --context NAME.");
  const timeout = options.requestTimeoutMs ?? 30_000;
  const server = cluster.server;
  const context = kc.getCurrentContext();

  /** The client's object API with plain JSON bodies; its discovery, authentication and transport as they are. */
  class RawApi extends k8s.KubernetesObjectApi {
    protected override async processResponse(response: { httpStatusCode: number; body: { text(): Promise<string> } }): Promise<never> {
      const text = await response.body.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return body as never;
      throw new HttpError(response.httpStatusCode, body);
    }
    protected override requestPromise<T extends import("@kubernetes/client-node").KubernetesObject>(ctx: import("@kubernetes/client-node").RequestContext, type?: string): Promise<T> {
      if (!ctx.getSignal()) ctx.setSignal(AbortSignal.timeout(timeout));
      return super.requestPromise<T>(ctx, type);
    }
    path(o: Ref, action: "read" | "list" | "patch" | "delete"): Promise<string> {
      return this.specUriPath(structuredClone(o) as import("@kubernetes/client-node").KubernetesObject, action);
    }
    async send(method: "GET" | "PATCH" | "DELETE", path: string, query: Record<string, string>, body?: unknown, contentType?: string, timeoutMs?: number): Promise<unknown> {
      const ctx = this.configuration.baseServer.makeRequestContext(path, method as never);
      if (timeoutMs !== undefined) ctx.setSignal(AbortSignal.timeout(timeoutMs));
      ctx.setHeaderParam("Accept", "application/json");
      for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v);
      if (body !== undefined) {
        ctx.setHeaderParam("Content-Type", contentType ?? "application/json");
        ctx.setBody(JSON.stringify(body));
      }
      return this.requestPromise(ctx);
    }
    async isServed(apiVersion: string, kind: string): Promise<boolean> {
      return (await this.resource(apiVersion, kind)) !== undefined;
    }
  }
  const api = kc.makeApiClient(RawApi);
  const where = `the API server ${server} (context ${context})`;

  // 429 and 503 say the request was not processed (throttled, a CRD's storage still initialising
  // right after its install): tried again, a bounded number of times.
  const wrap = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await f();
      } catch (e) {
        if (e instanceof HttpError && (e.status === 429 || e.status === 503) && attempt < RETRIES) {
          await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
          continue;
        }
        throw translate(e, what, where);
      }
    }
  };
  const served = (apiVersion: string, kind: string) =>
    wrap(`discovering ${apiVersion}`, async () => {
      try {
        return await api.isServed(apiVersion, kind);
      } catch (e) {
        // An API group nobody installed answers 404 to discovery.
        if (e instanceof HttpError && e.status === 404) return false;
        throw e;
      }
    });
  const requireServed = async (o: Ref) => {
    if (!(await served(o.apiVersion, o.kind)))
      throw fail(
        "cluster-missing-api",
        `${where} does not serve ${o.kind} (${o.apiVersion}), which ${o.metadata.namespace ?? ""}/${o.metadata.name} needs`,
        o.apiVersion.startsWith("jetstream.nats.io/") ? "Install NACK's CRDs first (docs/nack.md)." : "Install the CRDs of the operator that defines it first.",
      );
  };

  return {
    context,
    server,
    served,
    async get(ref) {
      await requireServed(ref);
      return wrap(`reading ${describe(ref)}`, async () => {
        try {
          return (await api.send("GET", await api.path(ref, "read"), {})) as KubeObject;
        } catch (e) {
          if (e instanceof HttpError && e.status === 404) return undefined;
          throw e;
        }
      });
    },
    async list(apiVersion, kind, namespace, labelSelector) {
      if (!(await served(apiVersion, kind))) return [];
      return wrap(`listing ${kind} in ${namespace}`, async () => {
        const path = await api.path({ apiVersion, kind, metadata: { name: "", namespace } }, "list");
        const out: KubeObject[] = [];
        let next: string | undefined;
        do {
          const page = (await api.send("GET", path, { labelSelector, limit: "500", ...(next ? { continue: next } : {}) })) as { items?: KubeObject[]; metadata?: { continue?: string } };
          // A list's items carry no apiVersion and kind of their own.
          for (const item of page.items ?? []) out.push({ ...item, apiVersion, kind });
          next = page.metadata?.continue || undefined;
        } while (next);
        return out;
      });
    },
    async apply(o, { dryRun, force }) {
      await requireServed(o);
      return wrap(`applying ${describe(o)}`, async () => {
        const query: Record<string, string> = { fieldManager: FIELD_MANAGER, fieldValidation: "Strict", ...(force ? { force: "true" } : {}), ...(dryRun ? { dryRun: "All" } : {}) };
        return (await api.send("PATCH", await api.path(o, "patch"), query, o, "application/apply-patch+yaml")) as KubeObject;
      });
    },
    async remove(ref, { dryRun, propagation }) {
      if (!(await served(ref.apiVersion, ref.kind))) return false;
      return wrap(`deleting ${describe(ref)}`, async () => {
        try {
          const body = { kind: "DeleteOptions", apiVersion: "v1", ...(propagation ? { propagationPolicy: propagation } : {}), ...(dryRun ? { dryRun: ["All"] } : {}) };
          await api.send("DELETE", await api.path(ref, "delete"), dryRun ? { dryRun: "All" } : {}, body);
          return true;
        } catch (e) {
          if (e instanceof HttpError && e.status === 404) return false;
          throw e;
        }
      });
    },
    forward: (namespace, pod, port) => forwardPort(new k8s.PortForward(kc), namespace, pod, port),
    async proxyGet(target, path, timeoutMs) {
      const [route, search] = path.split("?", 2) as [string, string | undefined];
      const what = `reading ${route} of pod ${target.namespace}/${target.pod} through the pod proxy`;
      // Not through wrap: a 503 here is mostly the pod's own answer (/healthz), never worth a retry.
      try {
        const body = await api.send("GET", `${proxyPath(target)}/${route.replace(/^\/+/, "")}`, Object.fromEntries(new URLSearchParams(search ?? "")), undefined, undefined, timeoutMs);
        return { status: 200, body };
      } catch (e) {
        if (!(e instanceof HttpError)) throw translate(e, what, where);
        if (!isApiStatus(e.body)) return { status: e.status, body: e.body };
        if (e.status === 401 || e.status === 403)
          throw fail(
            "cluster-forbidden",
            `${where} refused ${what}: ${e.body.message ?? `HTTP ${e.status}`}`,
            `Reading the servers through the API server needs get on pods/proxy in ${target.namespace} (kubectl auth can-i get pods/proxy -n ${target.namespace}); or pass --monitor-url per server.`,
          );
        throw fail("cluster-refused", `${where} could not proxy to pod ${target.namespace}/${target.pod}: ${e.body.message ?? `HTTP ${e.status}`}`);
      }
    },
  };
}

/** A metav1.Status: the API server speaking, not the pod behind its proxy. */
function isApiStatus(body: unknown): body is { message?: string } {
  const b = body as { kind?: unknown; apiVersion?: unknown } | null;
  return typeof b === "object" && b !== null && b.kind === "Status" && b.apiVersion === "v1";
}

export const describe = (r: Ref): string => `${r.kind} ${r.metadata.namespace ? `${r.metadata.namespace}/` : ""}${r.metadata.name}`;

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 300);
}

/** Every failure of a request, as one diagnostic; anything unrecognised stays a bug. */
function translate(e: unknown, what: string, where: string): unknown {
  if (e instanceof ClusterError) return e;
  if (e instanceof HttpError) {
    const status = e.body as { message?: string; reason?: string; details?: { causes?: { message?: string; field?: string }[] } } | undefined;
    const message = typeof status === "object" && status && typeof status.message === "string" ? status.message : `HTTP ${e.status}`;
    if (e.status === 401)
      return fail("cluster-forbidden", `${where} did not accept natskube's credentials while ${what}: ${message}`, "Check the user of the context (kubectl auth whoami).");
    if (e.status === 403)
      return fail("cluster-forbidden", `${where} refused ${what}: ${message}`, "The user needs rights to get, list, patch and delete natskube's objects in the namespace (kubectl auth can-i --list -n NAMESPACE).");
    if (e.status === 409)
      return fail(
        "cluster-refused",
        `${where} refused ${what}: ${message}`,
        "Another field manager owns these fields: --force-conflicts takes them over (as kubectl apply --server-side --force-conflicts).",
      );
    return fail("cluster-refused", `${where} refused ${what}: ${message}`);
  }
  const err = e as { name?: string; code?: string; type?: string; message?: string; cause?: { code?: string } } | null;
  const code = err?.code ?? err?.cause?.code;
  if (err?.name === "AbortError" || err?.name === "TimeoutError" || err?.type === "aborted")
    return fail("cluster-unreachable", `${where} did not answer while ${what} (timed out)`, "Check the server address of the kubeconfig and that the cluster is up (kubectl cluster-info).");
  if (err?.name === "FetchError" || (typeof code === "string" && /^(ECONN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_|ETIMEDOUT|EPIPE|ECONNRESET|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_TLS)/.test(code)))
    return fail("cluster-unreachable", `cannot reach ${where}: ${firstLine(e)}`, "Check the server address of the kubeconfig and that the cluster is up (kubectl cluster-info).");
  if (e instanceof Error && /^Failed to fetch resource metadata/.test(e.message))
    return fail("cluster-unreachable", `cannot reach ${where}: ${firstLine(e)}`, "Check the server address of the kubeconfig and that the cluster is up (kubectl cluster-info).");
  return e;
}

import type { PathSegment } from "../diagnostics/diagnostic.js";
import { translateHelmValues } from "./planton-helm-values.js";
import { isPlainObject, type PathTrail } from "./paths.js";
import type { RuleFinding } from "./finding.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
/** Protojson's "unset": absent, or an empty string (proto3 scalars have no presence unless `optional`). */
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** Project Planton's default chart version; the chart version is the server version (pitfall 8). */
export const REDESIGN_CHART_VERSION = "2.14.2";

const LATER = "natskube does not support it yet";

/**
 * Rewrites a redesigned (B) manifest into natskube's own fields, in place, with Planton's defaults
 * (one server unless cluster.enabled, JetStream on with 10Gi, nats-box on, no auth), and reports every set
 * field that natskube cannot honour as `unsupported`: dropping it would render something else than Planton.
 * Values of the wrong type are left for the B schema to report; they are not translated.
 */
export function translateRedesign(doc: Obj, trail: PathTrail): { findings: RuleFinding[]; chartVersion?: string } {
  const spec = obj(doc["spec"]);
  const findings: RuleFinding[] = [];
  const unsupported = (path: PathSegment[], what: string, hint: string) =>
    findings.push({ code: "unsupported", path: ["spec", ...path], message: `${what}: ${LATER}`, hint });
  const put = (to: PathSegment[], value: unknown, from?: PathSegment[]) => {
    let cur: Obj = doc;
    const full = ["spec", ...to];
    for (const seg of full.slice(0, -1)) {
      if (!isPlainObject(cur[seg as string])) cur[seg as string] = {};
      cur = cur[seg as string] as Obj;
    }
    cur[full[full.length - 1] as string] = value;
    if (from) trail.move(full, ["spec", ...from]);
  };
  const take = (key: string): Obj | undefined => {
    const v = spec[key];
    delete spec[key];
    return isPlainObject(v) ? v : undefined;
  };
  const enabled = (o: Obj | undefined) => o?.["enabled"] === true;

  // Planton writes no config.cluster unless enabled, so the chart runs exactly one server.
  const cluster = take("cluster");
  const replicas = cluster?.["replicas"];
  if (enabled(cluster)) {
    if (typeof replicas === "number") put(["replicas"], replicas, ["cluster", "replicas"]);
    else put(["replicas"], 3, ["cluster", "enabled"]);
  } else put(["replicas"], 1, cluster?.["enabled"] !== undefined ? ["cluster", "enabled"] : undefined);

  const js = take("jetStream");
  if (typeof js?.["enabled"] === "boolean") put(["jetstream", "enabled"], js["enabled"], ["jetStream", "enabled"]);
  if (typeof js?.["diskSize"] === "string") put(["jetstream", "persistence", "size"], js["diskSize"], ["jetStream", "diskSize"]);
  const storageClass = obj(js?.["storageClass"]);
  if (storageClass["valueFrom"] !== undefined)
    unsupported(["jetStream", "storageClass", "valueFrom"], "jetStream.storageClass.valueFrom refers to another resource, which natskube cannot resolve when rendering", "Write the class name: storageClass: {value: fast-ssd}.");
  else if (str(storageClass["value"])) put(["jetstream", "persistence", "storageClass"], storageClass["value"], ["jetStream", "storageClass", "value"]);
  // These two reach nats.conf only, where `K` is 1000 as Kubernetes' `k` (measured on nats-server 2.11.17: G, M and
  // K are decimal there too); Kubernetes has no `K`, so it is respelled rather than refused.
  const confSize = (v: string) => v.replace(/K$/, "k");
  if (typeof js?.["maxFileStore"] === "string") put(["jetstream", "persistence", "maxFileStore"], confSize(js["maxFileStore"]), ["jetStream", "maxFileStore"]);
  // Without a memory tier the chart writes max_memory_store: 0, whatever the memory limit: memory streams are refused.
  if (typeof js?.["memoryStoreMaxSize"] === "string")
    put(["jetstream", "persistence", "maxMemoryStore"], confSize(js["memoryStoreMaxSize"]), ["jetStream", "memoryStoreMaxSize"]);
  else if (js?.["enabled"] !== false) put(["jetstream", "persistence", "maxMemoryStore"], "0");

  translateAuth(take("auth"), put, trail);

  // TLS covers the client listener only in Planton (pitfall 16): routes stay plain.
  const tls = take("tls");
  if (tls) {
    const secret = obj(tls["secretName"]);
    if (secret["valueFrom"] !== undefined)
      unsupported(["tls", "secretName", "valueFrom"], "tls.secretName.valueFrom refers to another resource, which natskube cannot resolve when rendering", "Write the Secret's name: secretName: {value: nats-server-tls}.");
    else if (str(secret["value"])) {
      put(["tls", "enabled"], true, ["tls"]);
      put(["tls", "secretName"], secret["value"], ["tls", "secretName", "value"]);
      put(["tls", "routes"], false, ["tls"]);
    }
    if (tls["verifyClients"] === true) put(["tls", "verifyClients"], true, ["tls", "verifyClients"]);
  }

  // Planton's listeners are plain whatever tls says (its TLS covers the client listener only, pitfall 16;
  // websocket gets no_tls). A listener that is off is ignored, port included, as Planton does.
  for (const k of ["websocket", "mqtt", "leafnodes"] as const) {
    const l = take(k);
    if (!enabled(l)) continue;
    put([k, "enabled"], true, [k, "enabled"]);
    if (typeof l!["port"] === "number") put([k, "port"], l!["port"], [k, "port"]);
    put([k, "tls"], false, [k, "enabled"]);
  }

  const metrics = take("metrics");
  if (metrics?.["exporterEnabled"] === true) {
    if (metrics["podMonitorEnabled"] === true) {
      // Planton renders the exporter and a PodMonitor, no alerts or dashboards.
      put(["monitoring", "enabled"], true, ["metrics", "exporterEnabled"]);
      put(["monitoring", "scrape"], "PODMONITOR", ["metrics", "podMonitorEnabled"]);
      put(["monitoring", "alerts", "enabled"], false, ["metrics", "exporterEnabled"]);
      put(["monitoring", "dashboards"], false, ["metrics", "exporterEnabled"]);
    } else
      unsupported(["metrics", "exporterEnabled"], "metrics.exporterEnabled without podMonitorEnabled (an exporter nothing scrapes by configuration)", "natskube renders the exporter with a PodMonitor or ServiceMonitor: set metrics.podMonitorEnabled: true too.");
  }

  const box = spec["natsBoxEnabled"];
  delete spec["natsBoxEnabled"];
  if (typeof box === "boolean") put(["natsBox", "enabled"], box, ["natsBoxEnabled"]);

  // Planton passes only the non-empty cpu/memory keys to the chart.
  const resources = obj(spec["resources"]);
  for (const side of ["limits", "requests"]) {
    const r = obj(resources[side]);
    for (const k of ["cpu", "memory"]) if (r[k] === "") delete r[k];
  }

  const service = take("service");
  const type = service?.["type"];
  // Planton's chart sets the type and annotations on the client Service <name> itself (service.merge), as spec.service does.
  const kind = type === "load_balancer" || type === 1 ? "LoadBalancer" : type === "node_port" || type === 2 ? "NodePort" : undefined;
  if (kind) put(["service", "type"], kind, ["service", "type"]);
  const annotations = service?.["annotations"];
  if (isPlainObject(annotations) && Object.keys(annotations).length > 0) put(["service", "annotations"], annotations, ["service", "annotations"]);

  // Empty toleration fields mean unset; protojson may write int64 tolerationSeconds as a string.
  const tolerations = obj(spec["scheduling"])["tolerations"];
  if (Array.isArray(tolerations))
    for (const t of tolerations.filter(isPlainObject)) {
      for (const k of Object.keys(t)) if (t[k] === "") delete t[k];
      if (typeof t["tolerationSeconds"] === "string" && /^-?\d+$/.test(t["tolerationSeconds"])) t["tolerationSeconds"] = Number(t["tolerationSeconds"]);
    }

  const images = take("images");
  const image = (k: string) => obj(images?.[k]);
  // As Planton's global.image.pullSecretNames: every pull Secret on every pod, once, in the order nats, reloader, exporter, natsBox.
  const pullSecrets: string[] = [];
  for (const k of ["nats", "reloader", "exporter", "natsBox"]) {
    const s = str(image(k)["pullSecretName"]);
    if (s === undefined || pullSecrets.includes(s)) continue;
    trail.move(["spec", "imagePullSecrets", pullSecrets.length], ["spec", "images", k, "pullSecretName"]);
    pullSecrets.push(s);
  }
  if (pullSecrets.length) put(["imagePullSecrets"], pullSecrets);
  const target: Record<string, PathSegment[]> = { nats: ["image"], reloader: ["reloader", "image"], natsBox: ["natsBox", "image"], exporter: ["monitoring", "image"] };
  for (const [k, to] of Object.entries(target)) {
    // Planton ignores the exporter image unless the exporter runs.
    if (k === "exporter" && metrics?.["exporterEnabled"] !== true) continue;
    if (str(image(k)["repo"])) put([...to, "repository"], image(k)["repo"], ["images", k, "repo"]);
    if (str(image(k)["tag"])) put([...to, "tag"], image(k)["tag"], ["images", k, "tag"]);
  }

  // The chart's image is nats:<chart version>-alpine unless images.nats.tag says otherwise.
  const chartVersion = str(spec["chartVersion"]);
  delete spec["chartVersion"];
  if (chartVersion && !str(image("nats")["tag"])) put(["image", "tag"], `${chartVersion.replace(/^v/, "")}-alpine`, ["chartVersion"]);

  const helmValues = spec["helmValues"];
  delete spec["helmValues"];
  if (typeof helmValues === "string" && helmValues.trim() !== "") translateHelmValues(helmValues, put, findings);

  return { findings, ...(chartVersion ? { chartVersion } : {}) };
}

type Put = (to: PathSegment[], value: unknown, from?: PathSegment[]) => void;

/**
 * auth {users | accounts, noAuthUser} as natskube's declared users: the same Secret (`<name>-auth`, one key per
 * username, natskube's default passwordKey), permissions as nats.conf lists, accounts with their JetStream
 * switch. Planton's message rules (users xor accounts, a declared noAuthUser, unique names) are checked on
 * the written fields (planton-redesign-rules.ts); natskube's own rules then check the result.
 */
function translateAuth(auth: Obj | undefined, put: Put, trail: PathTrail): void {
  const users = Array.isArray(auth?.["users"]) ? (auth["users"] as unknown[]) : [];
  const accounts = Array.isArray(auth?.["accounts"]) ? (auth["accounts"] as unknown[]) : [];
  if (users.length === 0 && accounts.length === 0) return;
  put(["auth", "enabled"], true, ["auth"]);
  const user = (u: unknown, at: PathSegment[]): Obj => {
    const written = obj(u);
    const out: Obj = { name: written["username"] };
    trail.move(["spec", ...at, "name"], ["spec", ...at, "username"]);
    const p = obj(written["permissions"]);
    const permissions: Obj = {};
    for (const direction of ["publish", "subscribe"] as const)
      for (const list of ["allow", "deny"] as const) {
        const key = `${direction}${list === "allow" ? "Allow" : "Deny"}`;
        const v = p[key];
        if (!Array.isArray(v) || v.length === 0) continue;
        permissions[direction] = { ...obj(permissions[direction]), [list]: v };
        trail.move(["spec", ...at, "permissions", direction, list], ["spec", ...at, "permissions", key]);
      }
    if (Object.keys(permissions).length > 0) out["permissions"] = permissions;
    return out;
  };
  if (users.length > 0)
    put(
      ["auth", "users"],
      users.map((u, i) => user(u, ["auth", "users", i])),
      ["auth", "users"],
    );
  if (accounts.length > 0)
    put(
      ["auth", "accounts"],
      accounts.map((a, i) => {
        const written = obj(a);
        const members = Array.isArray(written["users"]) ? (written["users"] as unknown[]) : [];
        if (written["jetStreamEnabled"] !== undefined) trail.move(["spec", "auth", "accounts", i, "jetstream"], ["spec", "auth", "accounts", i, "jetStreamEnabled"]);
        return {
          name: written["name"],
          ...(written["jetStreamEnabled"] === true ? { jetstream: true } : {}),
          users: members.map((u, j) => user(u, ["auth", "accounts", i, "users", j])),
        };
      }),
      ["auth", "accounts"],
    );
  if (str(auth?.["noAuthUser"])) put(["auth", "noAuthUser"], auth!["noAuthUser"], ["auth", "noAuthUser"]);
}

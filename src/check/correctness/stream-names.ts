import type { PathSegment } from "../../diagnostics/diagnostic.js";
import type { JetStreamAssets } from "../../model/jetstream-assets.js";
import { consumerKubeName, KUBE_NAME_MAX } from "../../nack/names.js";
import { bucketNameProblem, kvStreamName, natsNameProblem, objectStreamName } from "../../nats/names.js";
import { DNS_SUBDOMAIN } from "../../spec/schema/primitives.js";
import type { Spec } from "../../spec/types.js";
import type { RuleFinding } from "./rule.js";

interface Named {
  name: string;
  path: PathSegment[];
}

/** NATS names, duplicates, and the Kubernetes names NACK resources get (the Model's), without collisions. */
export function nameFindings(spec: Spec, assets: JetStreamAssets): RuleFinding[] {
  const out: RuleFinding[] = [];
  const streams: Named[] = spec.streams.map((s, i) => ({ name: s.name, path: ["spec", "streams", i, "name"] }));
  const kvs: Named[] = spec.keyValues.map((b, i) => ({ name: b.bucket, path: ["spec", "keyValues", i, "bucket"] }));
  const objs: Named[] = spec.objectStores.map((b, i) => ({ name: b.bucket, path: ["spec", "objectStores", i, "bucket"] }));

  for (const s of streams) {
    const p = natsNameProblem(s.name);
    if (p) out.push({ code: "format", path: s.path, message: `stream name "${s.name}" ${p}`, hint: "Use letters, digits, '-' and '_', e.g. ORDERS or order-events." });
  }
  for (const [list, what] of [[kvs, "key-value bucket"], [objs, "object store bucket"]] as const)
    for (const b of list) {
      const p = bucketNameProblem(b.name);
      if (p) out.push({ code: "format", path: b.path, message: `${what} name "${b.name}" ${p}`, hint: "The KV and object store clients refuse other characters." });
    }

  // KV buckets and object stores are streams named KV_<bucket> and OBJ_<bucket>: one namespace with the streams.
  const streamNames: Named[] = [
    ...streams,
    ...kvs.map((b) => ({ name: kvStreamName(b.name), path: b.path })),
    ...objs.map((b) => ({ name: objectStreamName(b.name), path: b.path })),
  ];
  out.push(...duplicates(streamNames, (n) => n.name, (a, b) => `stream name "${b.name}" is already used by ${where(a.path)}: stream names are unique in an account`));

  spec.streams.forEach((s, i) => {
    const durables: Named[] = s.consumers.map((c, k) => ({ name: c.durableName, path: ["spec", "streams", i, "consumers", k, "durableName"] }));
    for (const d of durables) {
      const p = natsNameProblem(d.name);
      if (p) out.push({ code: "format", path: d.path, message: `consumer name "${d.name}" ${p}`, hint: "Use letters, digits, '-' and '_'." });
    }
    out.push(...duplicates(durables, (n) => n.name, (a, b) => `consumer "${b.name}" is declared twice on stream "${s.name}" (also ${where(a.path)})`));
  });

  out.push(...kubeNameFindings("Stream", streams.map((s, i) => ({ ...s, kube: assets.streams[i]!.kubeName }))));
  out.push(...kubeNameFindings("KeyValue", kvs.map((b, i) => ({ ...b, kube: assets.keyValues[i]!.kubeName }))));
  out.push(...kubeNameFindings("ObjectStore", objs.map((b, i) => ({ ...b, kube: assets.objectStores[i]!.kubeName }))));
  out.push(
    ...kubeNameFindings(
      "Consumer",
      spec.streams.flatMap((s, i) =>
        s.consumers.map((c, k) => ({ name: `${s.name}/${c.durableName}`, path: ["spec", "streams", i, "consumers", k, "durableName"], kube: consumerKubeName(s.name, c.durableName) })),
      ),
    ),
  );
  return out;
}

function kubeNameFindings(kind: string, items: (Named & { kube: string })[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  const valid = items.filter((it) => {
    if (it.kube.length > KUBE_NAME_MAX) {
      out.push({ code: "name-too-long", path: it.path, message: `the ${kind} resource for "${it.name}" would be named with ${it.kube.length} characters; Kubernetes allows ${KUBE_NAME_MAX}`, hint: "Shorten the name." });
      return false;
    }
    if (!DNS_SUBDOMAIN.test(it.kube)) {
      out.push({ code: "dns-name", path: it.path, message: `"${it.name}" gives no valid Kubernetes name for its ${kind} resource (got "${it.kube}")`, hint: "Include letters or digits; other characters become '-'." });
      return false;
    }
    return true;
  });
  // Equal names are reported as duplicates already; here only names that differ but map to one resource.
  const distinct = valid.filter((it, i) => valid.findIndex((o) => o.name === it.name) === i);
  out.push(
    ...duplicates(distinct, (it) => it.kube, (a, b) =>
      `the ${kind} resource for "${b.name}" would be named "${b.kube}", like the one for "${a.name}" (${where(a.path)}): Kubernetes names are lowercase, with '_' written as '-'`,
    ),
  );
  return out;
}

/** One finding per item whose key an earlier item already has. */
function duplicates<T extends { path: PathSegment[] }>(items: readonly T[], key: (t: T) => string, message: (first: T, dup: T) => string): RuleFinding[] {
  const seen = new Map<string, T>();
  const out: RuleFinding[] = [];
  for (const it of items) {
    const first = seen.get(key(it));
    if (first) out.push({ code: "cross-field", path: it.path, message: message(first, it), hint: "Rename one of them." });
    else seen.set(key(it), it);
  }
  return out;
}

/** Short references in messages: `spec.streams[0].name` -> `streams[0]`, `spec.streams[0].subjects[1]` -> `streams[0].subjects[1]`. */
export function where(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  const segs = path.slice(1, typeof last === "string" && path.length > 2 ? -1 : undefined);
  let out = "";
  for (const seg of segs) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

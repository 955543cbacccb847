import type { PathSegment } from "../../diagnostics/diagnostic.js";
import type { JetStreamAsset } from "../../model/jetstream-assets.js";
import type { Model } from "../../model/model.js";
import { parseGoDuration, suggestGoDuration } from "../../nats/durations.js";
import { serverRefuses } from "../../nats/server-versions.js";
import { exactBytes } from "../../spec/quantity.js";
import type { Spec } from "../../spec/types.js";
import type { RuleFinding } from "./rule.js";

/** The server refuses a max age (and a KV TTL, which becomes one) or duplicate window under 100ms. */
const MIN_WINDOW_NS = 100e6;

/** A duration as Go parses it, or a finding; `undefined` when the field is unset. */
export function durationOf(text: string | undefined, path: PathSegment[], out: RuleFinding[]): number | undefined {
  if (text === undefined) return undefined;
  const ns = parseGoDuration(text);
  const field = String(path[path.length - 1]);
  if (ns === undefined) {
    const guess = suggestGoDuration(text);
    out.push({
      code: "format",
      path,
      message: `${field} "${text}" is not a Go duration: NACK parses it with time.ParseDuration, which knows ns, us, ms, s, m and h`,
      hint: guess ? `Use "${guess}".` : "For example 30s, 15m, 24h or 168h (7 days).",
    });
    return undefined;
  }
  if (ns < 0) {
    out.push({ code: "range", path, message: `${field} "${text}" is negative`, hint: "Use a positive duration, or leave it out." });
    return undefined;
  }
  return ns;
}

function minimumWindow(ns: number | undefined, text: string | undefined, path: PathSegment[], out: RuleFinding[]): void {
  if (ns !== undefined && ns > 0 && ns < MIN_WINDOW_NS)
    out.push({ code: "range", path, message: `${String(path[path.length - 1])} "${text}" is below 100ms, which the server refuses`, hint: "Use 100ms or more (0 means unlimited)." });
}

/**
 * Durations, replicas against the servers, storage against the persistence mode, declared sizes against capacity:
 * the assets (storage and replicas resolved), the stores and what each asset reserves are the Model's.
 */
export function limitFindings(spec: Spec, model: Model): RuleFinding[] {
  const out: RuleFinding[] = [];
  spec.streams.forEach((s, i) => {
    const at = (f: string): PathSegment[] => ["spec", "streams", i, f];
    const age = durationOf(s.maxAge, at("maxAge"), out);
    const dup = durationOf(s.duplicateWindow, at("duplicateWindow"), out);
    minimumWindow(age, s.maxAge, at("maxAge"), out);
    minimumWindow(dup, s.duplicateWindow, at("duplicateWindow"), out);
    if (age !== undefined && dup !== undefined && age > 0 && dup > age)
      out.push({
        code: "cross-field",
        path: at("duplicateWindow"),
        message: `duplicateWindow "${s.duplicateWindow}" is longer than maxAge "${s.maxAge}": the server refuses it`,
        hint: `Use at most "${s.maxAge}".`,
      });
  });
  spec.keyValues.forEach((b, i) => minimumWindow(durationOf(b.ttl, ["spec", "keyValues", i, "ttl"], out), b.ttl, ["spec", "keyValues", i, "ttl"], out));
  spec.objectStores.forEach((b, i) => minimumWindow(durationOf(b.ttl, ["spec", "objectStores", i, "ttl"], out), b.ttl, ["spec", "objectStores", i, "ttl"], out));

  const assets = model.assets.all;
  for (const a of assets)
    if (a.replicasSet && a.replicas > spec.replicas)
      out.push({
        code: "cross-field",
        path: [...a.path, "replicas"],
        message: `${what(a)} asks for ${a.replicas} replicas, but the cluster has ${spec.replicas} server${spec.replicas === 1 ? "" : "s"}: each replica needs its own server`,
        hint: `Use replicas: ${Math.min(spec.replicas, 3)} or fewer, or add servers.`,
      });
  if (spec.jetstream.enabled) out.push(...storageFindings(spec, model));
  return out;
}

const what = (a: JetStreamAsset) => `${a.kind} "${a.name}"`;

/**
 * Each asset against a server's store, and the sum of the declared sizes against the cluster's stores:
 * what each asset reserves (the Model's, src/model/jetstream-assets.ts), added up asset by asset so the
 * finding points at the first one that does not fit.
 */
function storageFindings(spec: Spec, model: Model): RuleFinding[] {
  const out: RuleFinding[] = [];
  const capacity = { file: model.jetstream.maxFileStore, memory: model.jetstream.maxMemoryStore };
  const servers = model.replicas;
  const used = { file: 0, memory: 0 };
  const reported = { file: false, memory: false };
  for (const a of model.assets.all) {
    const storage = a.storage;
    const where: PathSegment[] = a.storageSet ? [...a.path, "storage"] : a.path;
    if (capacity[storage] === 0) {
      out.push(
        storage === "file"
          ? { code: "cross-field", path: where, message: `${what(a)} uses file storage, but the servers persist in MEMORY and have no file store: the server refuses it (insufficient storage)`, hint: "Use storage: memory, or jetstream.persistence.mode: FILE." }
          : { code: "cross-field", path: where, message: `${what(a)} uses memory storage, but the servers have no memory store (FILE persistence without a memory limit)`, hint: "Set resources.limits.memory (a quarter of it becomes the memory store), or use storage: file." },
      );
      continue;
    }
    if (a.maxBytes === undefined) continue;
    const bytesPath: PathSegment[] = [...a.path, "maxBytes"];
    if (a.maxBytes > capacity[storage]) {
      out.push({
        code: "cross-field",
        path: bytesPath,
        message: `${what(a)} reserves maxBytes ${exactBytes(a.maxBytes)} on each replica's server, more than a server's ${storage} store (${exactBytes(capacity[storage])})`,
        hint: storage === "file" ? "Lower maxBytes, or raise jetstream.persistence.size." : "Lower maxBytes, or raise the memory store.",
      });
      continue;
    }
    used[storage] += a.reserves;
    const total = capacity[storage] * servers;
    if (used[storage] > total && !reported[storage]) {
      reported[storage] = true;
      // 2.15 stopped reserving maxBytes up front: it creates the streams, which then cannot all
      // grow to maxBytes. Still wrong, but a warning about later write failures, not a refusal.
      const refused = serverRefuses(spec.image.tag, "clusterReservation");
      out.push({
        code: "cross-field",
        ...(refused ? {} : { severity: "warning" as const }),
        path: bytesPath,
        message: `with ${what(a)}, the declared ${storage} streams reserve ${exactBytes(used[storage])} (maxBytes x replicas), more than the cluster's ${exactBytes(total)} (${servers} x ${exactBytes(capacity[storage])}): ${
          refused ? "the server refuses the streams that do not fit" : "the server creates them, but they cannot all reach maxBytes: writes fail with insufficient storage once the stores fill"
        }`,
        hint: storage === "file" ? "Lower maxBytes or replicas, or raise jetstream.persistence.size." : "Lower maxBytes or replicas, or raise the memory store.",
      });
    }
  }
  return out;
}

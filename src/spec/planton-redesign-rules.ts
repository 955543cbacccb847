import type { PathSegment } from "../diagnostics/diagnostic.js";
import { isPlainObject } from "./paths.js";
import type { RuleFinding } from "./finding.js";

type Obj = Record<string, unknown>;

export const REDESIGN_MAX_NAME_LENGTH = 50;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The message-level CEL rules of the redesigned KubernetesNats (PLANTON-REDESIGN.md section 2), on the camelized
 * spec as written: they hold whatever else is wrong, so every one is reported in the same run.
 */
export function redesignRules(doc: Record<string, unknown>): RuleFinding[] {
  const spec = obj(doc["spec"]);
  const out: RuleFinding[] = [];
  const at = (...p: PathSegment[]): PathSegment[] => ["spec", ...p];

  // Checked at deploy time by both of Planton's engines: the chart's longest child name adds 13 characters
  // and Helm truncates at 63. A manifest Planton refuses to deploy must not validate here.
  const name = obj(doc["metadata"])["name"];
  if (typeof name === "string" && name.length > REDESIGN_MAX_NAME_LENGTH)
    out.push({
      code: "name-too-long",
      path: ["metadata", "name"],
      message: `metadata.name has ${name.length} characters; Project Planton's redesign deploys names of at most ${REDESIGN_MAX_NAME_LENGTH}`,
      hint: "Shorten the name.",
    });

  // spec.mqtt.requires_jetstream: only an explicit `jetStream.enabled: false` fails (JetStream defaults on).
  if (obj(spec["mqtt"])["enabled"] === true && obj(spec["jetStream"])["enabled"] === false)
    out.push({
      code: "cross-field",
      path: at("mqtt", "enabled"),
      message: "MQTT needs JetStream (sessions and retained messages live in it), but jetStream.enabled is false",
      hint: "Remove jetStream.enabled: false, or turn MQTT off.",
    });

  const metrics = obj(spec["metrics"]);
  if (metrics["podMonitorEnabled"] === true && metrics["exporterEnabled"] !== true)
    out.push({
      code: "cross-field",
      path: at("metrics", "podMonitorEnabled"),
      message: "metrics.podMonitorEnabled needs metrics.exporterEnabled: the PodMonitor scrapes the exporter sidecar",
      hint: "Set metrics.exporterEnabled: true.",
    });

  const cluster = obj(spec["cluster"]);
  if (cluster["replicas"] !== undefined && cluster["enabled"] !== true)
    out.push({
      code: "cross-field",
      severity: "warning",
      path: at("cluster", "replicas"),
      message: "cluster.replicas has no effect unless cluster.enabled is true: Project Planton then runs one server",
      hint: "Set cluster.enabled: true, or remove replicas.",
    });

  if (spec["auth"] === undefined) return out;
  const auth = obj(spec["auth"]);
  const users = list(auth["users"]);
  const accounts = list(auth["accounts"]);
  if (users.length > 0 && accounts.length > 0)
    out.push({
      code: "cross-field",
      path: at("auth", "accounts"),
      message: "auth declares both users and accounts; Project Planton allows one or the other",
      hint: "With accounts, put every user in an account.",
    });
  if (users.length === 0 && accounts.length === 0)
    out.push({
      code: "cross-field",
      path: at("auth"),
      message: "auth declares no users and no accounts",
      hint: "Add auth.users or auth.accounts, or remove auth for a server without authentication.",
    });

  // spec.auth.unique_usernames: each username is a key of the generated Secret.
  const seen = new Map<string, string>();
  const check = (u: unknown, path: PathSegment[], where: string) => {
    const name = obj(u)["username"];
    if (typeof name !== "string" || name === "") return;
    const first = seen.get(name);
    if (first !== undefined)
      out.push({
        code: "cross-field",
        path: [...path, "username"],
        message: `username ${JSON.stringify(name)} is declared twice (${first} and ${where}); usernames are unique across auth`,
        hint: "Each username is a key of the generated Secret: rename one.",
      });
    else seen.set(name, where);
  };
  users.forEach((u, i) => check(u, at("auth", "users", i), `users[${i}]`));
  accounts.forEach((a, i) => list(obj(a)["users"]).forEach((u, j) => check(u, at("auth", "accounts", i, "users", j), `accounts[${i}].users[${j}]`)));

  const noAuth = auth["noAuthUser"];
  if (typeof noAuth === "string" && noAuth !== "" && !seen.has(noAuth))
    out.push({
      code: "cross-field",
      path: at("auth", "noAuthUser"),
      message: `noAuthUser ${JSON.stringify(noAuth)} is not a declared username`,
      hint: seen.size > 0 ? `Use one of: ${[...seen.keys()].join(", ")}.` : "Declare that user in auth.users or an account.",
    });
  return out;
}

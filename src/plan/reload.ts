import type { ConfBlock } from "../conf/value.js";
import { display } from "./display.js";
import { isPlainObject, type FieldDiff } from "./diff.js";

/**
 * Which nats.conf changes nats-server applies on a reload (SIGHUP from the config reloader) and which
 * it refuses until a restart. From nats-server's server/reload.go (`diffOptions`, `validateClusterOpts`):
 * options it has no case for are refused, so unknown keys count as "restart". Checked by reloading
 * nats-server 2.9.10: server_name, http_port, lame_duck_duration, jetstream store_dir, max_file_store,
 * domain and adding no_auth_user are refused; cluster (name, routes, no_advertise), max_payload,
 * authorization and enabling/disabling JetStream reload. Re-checked on 2.10.29, 2.14.2 and 2.15.3
 * (docs/server-versions.md#reloads): cluster.compression and max_payload reload, lame_duck_duration
 * and jetstream.strict are refused; max_file_store is refused by 2.10.29 but reloaded by 2.14.2 and
 * 2.15.3, which this table does not model yet (it says restart, right for 2.10 only).
 * A refused reload applies nothing at all.
 */
export interface ReloadVerdict {
  reload: boolean;
  why: string;
}

const RELOADABLE_TOP = new Set([
  "authorization",
  "tls",
  "pid_file",
  "ports_file_dir",
  "max_connections",
  "max_conn",
  "max_payload",
  "max_control_line",
  "ping_interval",
  "ping_max",
  "write_deadline",
  "client_advertise",
  "debug",
  "trace",
  "trace_verbose",
  "logtime",
  "logtime_utc",
  "log_file",
  "logfile",
  "syslog",
  "remote_syslog",
  "connect_error_reports",
  "reconnect_error_reports",
  "max_traced_msg_len",
  "accounts",
  "ocsp",
  "ocsp_cache",
  "tags",
  "server_tags",
]);

const RESTART_WHY: Record<string, string> = {
  server_name: "server_name cannot change on a running server (and it is the server's RAFT identity)",
  host: "listen address changes need a restart",
  port: "the client port cannot change on a running server",
  http_port: "the monitoring port cannot change on a running server",
  https_port: "the monitoring port cannot change on a running server",
  lame_duck_duration: "lame duck settings are read only at start",
  lame_duck_grace_period: "lame duck settings are read only at start",
  system_account: "the system account cannot change on a running server",
  no_auth_user: "nats-server refuses to add or change no_auth_user on reload",
  websocket: "websocket settings (other than TLS) are read only at start",
  leafnodes: "leafnode settings (other than TLS) are read only at start",
  gateway: "gateway settings (other than TLS) are read only at start",
  mqtt: "mqtt settings are read only at start",
};

export function reloadVerdict(d: FieldDiff, oldConf: ConfBlock, newConf: ConfBlock): ReloadVerdict {
  const [top, second] = d.segs;
  if (typeof top !== "string") return { reload: false, why: "unknown option" };
  if (RELOADABLE_TOP.has(top)) return { reload: true, why: `${top} is reloaded in place` };
  if (top === "cluster") return clusterVerdict(d, oldConf, newConf);
  if (top === "jetstream") return jetstreamVerdict(d, oldConf);
  if (top === "no_auth_user") return noAuthUserVerdict(d, newConf);
  if (["websocket", "leafnodes", "gateway"].includes(top) && second === "tls") return { reload: true, why: `${top} TLS is reloaded in place` };
  return { reload: false, why: RESTART_WHY[top] ?? `nats-server does not reload "${top}"` };
}

function clusterVerdict(d: FieldDiff, oldConf: ConfBlock, newConf: ConfBlock): ReloadVerdict {
  const second = d.segs[1];
  // A cluster block appearing or going away changes the cluster port (0 <-> 6222): refused.
  if (second === undefined || !isPlainObject(oldConf.cluster) || !isPlainObject(newConf.cluster))
    return { reload: false, why: "clustering cannot be turned on or off on a running server (cluster port changes)" };
  if (second === "host" || second === "port" || second === "listen") return { reload: false, why: `cluster ${String(second)} cannot change on a running server` };
  return { reload: true, why: "cluster settings (routes, name, TLS, authorization, no_advertise) are reloaded in place" };
}

function jetstreamVerdict(d: FieldDiff, oldConf: ConfBlock): ReloadVerdict {
  // Turning JetStream on or off as a whole is reloadable; changing it while it runs mostly is not.
  if (d.segs.length === 1) return { reload: true, why: d.op === "remove" ? "JetStream is disabled in place" : "JetStream is enabled in place" };
  if (!isPlainObject(oldConf.jetstream)) return { reload: true, why: "JetStream is enabled in place" };
  const key = String(d.segs[1]);
  const why: Record<string, string> = {
    store_dir: "the JetStream storage directory cannot change on a running server",
    max_file_store: "JetStream limits cannot change on a running server",
    max_memory_store: "JetStream limits cannot change on a running server",
    max_file: "JetStream limits cannot change on a running server",
    max_mem: "JetStream limits cannot change on a running server",
    domain: "the JetStream domain cannot change on a running server",
  };
  return { reload: false, why: why[key] ?? `jetstream ${key} is read only at start` };
}

function noAuthUserVerdict(d: FieldDiff, newConf: ConfBlock): ReloadVerdict {
  if (d.op !== "remove") return { reload: false, why: RESTART_WHY.no_auth_user! };
  // Removing it reloads only when its user is gone too.
  const listed = (block: unknown) => (isPlainObject(block) && Array.isArray(block.users) ? block.users : []);
  const users = [...listed(newConf.authorization), ...(isPlainObject(newConf.accounts) ? Object.values(newConf.accounts).flatMap(listed) : [])];
  const gone = display(d.before);
  const still = users.some((u) => isPlainObject(u) && display(u.user) === gone);
  return still ? { reload: false, why: "nats-server refuses to drop no_auth_user while its user still exists" } : { reload: true, why: "no_auth_user is removed in place" };
}

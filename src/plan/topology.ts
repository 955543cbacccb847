import { PORTS } from "../model/model.js";
import { change, type RoutedChange } from "./change.js";
import type { ClusterFacts } from "./facts.js";
import { CONF_KEY } from "./inputs.js";
import { allAtOnce, applyStep, newClusterMigrate, routeTlsSwitch, scaleDown, scaleUpFromOne, selector } from "./procedures.js";
import { majority } from "./rolling.js";
import type { Change } from "./types.js";

const confPath = (key: string) => `data[${JSON.stringify(CONF_KEY)}].${key}`;

/** NATS-level risks of going from one cluster state to the next; each change names the object it belongs to. */
export function topologyChanges(o: ClusterFacts, n: ClusterFacts, newFile: string): RoutedChange[] {
  const out: RoutedChange[] = [];
  const onSts = (c: Change): RoutedChange => ({ ...c, object: n.key });
  const onConf = (c: Change): RoutedChange => (n.confKey ? { ...c, object: n.confKey } : c);
  const js = o.jetstream !== "off";

  if (o.replicas !== n.replicas) out.push(onSts(replicaChange(o, n, newFile)));
  // Without both configurations as data (an unreadable nats.conf), TLS, auth and names are unknown: say nothing.
  if (!o.conf || !n.conf) return out;

  if (o.clusterName && n.clusterName && o.clusterName !== n.clusterName)
    out.push(
      onConf(
        change("topology", "disruptive", `cluster name ${o.clusterName} -> ${n.clusterName}`, [confPath("cluster.name")], [
          "Servers reload the new name at slightly different times; routes between servers with different cluster names are refused meanwhile.",
          "Streams placed by cluster name (placement.cluster) and clients or leafnodes that name the cluster keep the old one.",
        ], [...allAtOnce(o, newFile), `Update placement.cluster of streams that name the old cluster: nats stream edit <stream> --cluster ${n.clusterName}`]),
      ),
    );

  if (o.replicas > 1 && n.replicas > 1 && o.routeTls !== n.routeTls)
    out.push(
      onConf(
        change("topology", "disruptive", `route TLS turned ${n.routeTls ? "on" : "off"}: servers with and without it cannot route to each other`, [confPath("cluster")], [
          "nats-server requires TLS on both ends of a route. During a rolling restart the restarted servers are cut off from the others.",
          `With ${o.replicas} servers the side with ${majority(o.replicas)} or more keeps the JetStream meta group; the rollout stalls on the first isolated server, whose readiness needs the meta leader.`,
          "Choose: all servers at once (a short full outage), or a mixed period (partitions until the rollout completes).",
        ], routeTlsSwitch(o, newFile, n.routeTls)),
      ),
    );

  if (o.clientTls !== n.clientTls)
    out.push(
      onConf(
        change("topology", "disruptive", n.clientTls ? "client TLS turned on: clients that cannot do TLS are cut off" : "client TLS turned off: clients that require TLS (tls:// URLs) are cut off", [confPath("tls")], [
          "Each server switches when it restarts (the certificate volume arrives with the new pod template), so both kinds of clients find some servers until the rollout ends.",
          ...(n.clientTls ? ["NATS clients upgrade to TLS by themselves when the server requires it, if they trust the CA: distribute the CA first."] : []),
        ], [
          n.clientTls ? `Give every client the CA (ca.crt of the TLS Secret) before applying.` : "Switch clients to nats:// URLs without required TLS before applying.",
          applyStep(newFile),
          `Watch for TLS handshake errors: kubectl logs -n ${n.namespace} -l ${selector(n)} -c nats --since=10m | grep -i tls`,
        ]),
      ),
    );

  const authChange = authTransition(o, n, newFile);
  if (authChange) out.push(onConf(authChange));

  if (js && n.jetstream === "off")
    out.push(
      onConf(
        change("data-loss", "disruptive", "JetStream disabled: streams, KV buckets and object stores become unavailable", [confPath("jetstream")], [
          "nats-server disables JetStream on reload, on every server within about a minute of applying.",
          ...(o.jetstream === "FILE" ? ["The data stays on the PVCs until you delete them, but nothing serves it."] : ["MEMORY streams are gone for good."]),
        ], [`Back up what you need first: nats stream backup <stream> /tmp/backup/<stream>`, applyStep(newFile)]),
      ),
    );
  else if (js && n.jetstream !== "off" && o.jetstream !== n.jetstream)
    out.push(
      onSts(
        change("data-loss", "disruptive", `JetStream persistence ${o.jetstream} -> ${n.jetstream}: existing streams do not move`, ["spec.volumeClaimTemplates"], [
          o.jetstream === "FILE"
            ? "File-backed streams stay on the PVCs, which the pods no longer mount: the servers start with an empty store."
            : "Memory streams live only in RAM: they are lost when the servers restart with file storage.",
          "A stream's storage type cannot change in place (nats-server refuses it).",
        ], newClusterMigrate(o, `JetStream ${n.jetstream}`)),
      ),
    );
  else if (!js && n.jetstream !== "off")
    out.push(
      onConf(
        change("topology", "attention", `JetStream turned on (${n.jetstream})`, [confPath("jetstream")], [
          n.replicas > 1 ? `A meta group of ${n.replicas} forms once the servers run the new configuration.` : "A single server runs JetStream without replication.",
        ]),
      ),
    );
  return out;
}

function replicaChange(o: ClusterFacts, n: ClusterFacts, newFile: string): Change {
  const from = o.replicas;
  const to = n.replicas;
  const js = o.jetstream !== "off";
  const path = ["spec.replicas"];
  if (to > from && from === 1)
    return change("topology", js ? "disruptive" : "attention", `scale 1 -> ${to}: never scale a live cluster 1 -> ${to}; start a new cluster and migrate`, path, [
      js
        ? "The single server's JetStream assets are R1 and stay on nats-0 only; the server switches from standalone to clustered JetStream and the meta group forms with data already present (\"group node missing\", inconsistent state)."
        : "No JetStream: the new servers just join, but every server restarts to gain a cluster block (nats-server cannot turn clustering on by reload).",
      "nats.conf gains a cluster block: nats-server cannot turn clustering on by reload, so nats-0 restarts.",
    ], js ? scaleUpFromOne(o, to, newFile) : [applyStep(newFile)]);
  if (to > from)
    return change("topology", "attention", `scale ${from} -> ${to}: new servers join the cluster`, path, [
      "Existing streams keep their placement: raise replicas per stream (nats stream edit <stream> --replicas N) where wanted.",
      `Routes are added by reload; the meta group grows to ${to} (majority ${majority(to)}).`,
      ...(to % 2 === 0 ? [`${to} servers tolerate no more failures than ${to - 1}: prefer an odd size.`] : []),
    ], [applyStep(newFile), `Check the meta group: kubectl exec -n ${o.namespace} ${o.name}-0 -c nats -- wget -qO- http://localhost:${PORTS.monitor}/jsz`]);
  const departing = Array.from({ length: from - to }, (_, i) => `${o.name}-${from - 1 - i}`);
  const details = [
    `Departing servers: ${departing.join(", ")} (highest ordinals). podManagementPolicy Parallel deletes them all at once when applied directly.`,
    "Removed servers stay in the JetStream RAFT meta group until peer-removed: the group keeps counting them toward its majority (\"expected cluster size larger than real size\").",
    "Stream replicas on departing servers must move first; R1 streams on them are lost with their PVC.",
  ];
  if (!js) return change("topology", "attention", `scale ${from} -> ${to}: servers leave the cluster`, path, ["No JetStream: clients of the departing servers reconnect elsewhere."], [applyStep(newFile)]);
  if (to < 3)
    return change("topology", "disruptive", `scale ${from} -> ${to}: below 3 servers JetStream loses fault tolerance`, path, [
      ...details,
      to === 1
        ? "A single server drops the cluster block and runs standalone JetStream: prefer a new cluster and migration."
        : "A meta group of 2 has no quorum when either server is down.",
    ], to === 1 ? newClusterMigrate(o, "1 replica") : scaleDown(o, to, newFile));
  return change("topology", "disruptive", `scale ${from} -> ${to}: departing servers must be removed from the RAFT group`, path, details, scaleDown(o, to, newFile));
}

function authTransition(o: ClusterFacts, n: ClusterFacts, newFile: string): Change | undefined {
  if (o.auth === n.auth) return undefined;
  const path = [confPath("authorization")];
  const secret = n.envSecrets[0];
  if (o.auth === "none")
    return change("topology", "disruptive", `auth turned on (${n.auth}): clients without credentials are cut off`, path, [
      "The credentials come from environment variables added to the pod template, so each server requires them from its restart on; until the rollout ends clients without credentials still reach the old servers.",
      "A client may send credentials before the servers require them: servers without auth ignore them.",
    ], [
      `Give every client the credentials first${secret ? ` (Secret ${secret} in ${n.namespace})` : ""}.`,
      applyStep(newFile),
      `Watch for rejected clients: kubectl logs -n ${n.namespace} -l ${selector(n)} -c nats --since=10m | grep -i "authorization violation"`,
    ]);
  if (n.auth === "none")
    return change("topology", "attention", "auth turned off: anyone who reaches the client port can connect", path);
  return change("topology", "disruptive", `auth mode ${o.auth} -> ${n.auth}: clients must switch credentials`, path, [
    "A client sends one kind of credentials; servers accept only their own mode, so clients fail against the servers not yet (or already) switched.",
  ], ["Switch clients and servers in one window.", applyStep(newFile)]);
}

/** NEW describes a different cluster than OLD (name or namespace changed). */
export function identityChange(o: ClusterFacts, n: ClusterFacts): Change {
  return change("data-loss", "disruptive", `a new cluster: ${n.namespace}/${n.name} replaces ${o.namespace}/${o.name}`, [], [
    "Names and namespaces identify the StatefulSet, its PVCs and the RAFT server names: NEW creates a new, empty cluster.",
    "OLD's objects are deleted only if your tool prunes; their PVCs (JetStream data) stay until deleted by hand.",
  ], newClusterMigrate(o, "the new name"));
}


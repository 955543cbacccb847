// Every pod natskube renders (NATS StatefulSet, nats-box, NACK, whatever comes later) is checked against
// the Kubernetes Pod Security Standards "restricted" profile, as the PodSecurity admission controller
// applies it (baseline + restricted controls, kubernetes.io/docs/concepts/security/pod-security-standards).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { KubeObject } from "../../src/render/object.js";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { podSpecs, type FoundPod } from "../support/pods.js";
import { manifest, natsConfOf, render } from "../support/render.js";

const ALLOWED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];
const SELINUX_TYPES = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

/** Violations of the restricted profile (which includes baseline), one message each. */
export function restrictedViolations(pod: IPodSpec, annotations: Record<string, string> = {}): string[] {
  const v: string[] = [];
  const psc = pod.securityContext ?? {};
  const containers: IContainer[] = [...(pod.initContainers ?? []), ...pod.containers, ...((pod.ephemeralContainers ?? []) as IContainer[])];

  // Baseline.
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) v.push("host namespaces");
  if (psc.windowsOptions?.hostProcess) v.push("pod hostProcess");
  for (const vol of pod.volumes ?? []) {
    const type = Object.keys(vol).find((k) => k !== "name");
    if (type === "hostPath") v.push(`volume ${vol.name}: hostPath`);
    if (!type || !ALLOWED_VOLUMES.includes(type)) v.push(`volume ${vol.name}: type ${type} not allowed`);
  }
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.includes(s.name)) v.push(`sysctl ${s.name}`);
  const seLinux = (o?: { type?: string; user?: string; role?: string }, who = "pod") => {
    if (!o) return;
    if (!SELINUX_TYPES.includes(o.type ?? "")) v.push(`${who}: seLinux type ${o.type}`);
    if (o.user || o.role) v.push(`${who}: seLinux user/role`);
  };
  seLinux(psc.seLinuxOptions);
  const appArmor = (type: string | undefined, who: string) => {
    if (type !== undefined && !["RuntimeDefault", "Localhost", "runtime/default"].includes(type) && !type.startsWith("localhost/")) v.push(`${who}: appArmor ${type}`);
  };
  appArmor((psc as { appArmorProfile?: { type?: string } }).appArmorProfile?.type, "pod");
  for (const [k, val] of Object.entries(annotations)) if (k.startsWith("container.apparmor.security.beta.kubernetes.io/")) appArmor(val, k);

  // Restricted, pod level.
  const podNonRoot = psc.runAsNonRoot === true;
  const podSeccomp = psc.seccompProfile?.type;
  if (psc.runAsUser === 0) v.push("pod runAsUser 0");
  if (podSeccomp === "Unconfined") v.push("pod seccomp Unconfined");

  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const who = `container ${c.name}`;
    if (sc.privileged) v.push(`${who}: privileged`);
    if (sc.windowsOptions?.hostProcess) v.push(`${who}: hostProcess`);
    if ((sc as { procMount?: string }).procMount && (sc as { procMount?: string }).procMount !== "Default") v.push(`${who}: procMount`);
    for (const p of c.ports ?? []) if (p.hostPort) v.push(`${who}: hostPort ${p.hostPort}`);
    seLinux(sc.seLinuxOptions, who);
    appArmor((sc as { appArmorProfile?: { type?: string } }).appArmorProfile?.type, who);
    if (sc.allowPrivilegeEscalation !== false) v.push(`${who}: allowPrivilegeEscalation must be false`);
    if (sc.runAsNonRoot === false || (!podNonRoot && sc.runAsNonRoot !== true)) v.push(`${who}: runAsNonRoot must be true`);
    if (sc.runAsUser === 0) v.push(`${who}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") v.push(`${who}: seccompProfile must be RuntimeDefault or Localhost`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) v.push(`${who}: capabilities must drop ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== "NET_BIND_SERVICE") v.push(`${who}: adds capability ${cap}`);
  }
  return v;
}

/** natskube's own bar beyond the profile. */
function hardeningViolations(found: FoundPod): string[] {
  const v: string[] = [];
  const pod = found.spec;
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    if (c.securityContext?.readOnlyRootFilesystem !== true) v.push(`container ${c.name}: readOnlyRootFilesystem`);
  }
  if (found.claims && pod.securityContext?.fsGroup === undefined) v.push("PVC without fsGroup: the volume would not be writable");
  // Only a pod that calls the Kubernetes API (NACK) gets a token, and then from its own service account.
  if (pod.automountServiceAccountToken !== false && (!pod.serviceAccountName || pod.serviceAccountName === "default"))
    v.push("service account token mounted without a dedicated service account");
  return v;
}

// Examples plus variants that switch on every feature that adds or changes a pod.
const VARIANTS: [string, string][] = [
  ...EXAMPLES.map((n): [string, string] => [`examples/${n}.yaml`, exampleText(n)]),
  ["everything on", manifest({ replicas: 3, auth: { enabled: true, mode: "BASIC", noAuthUser: { enabled: true, publishSubjects: ["p.>"] } }, tls: { enabled: true }, monitoring: { enabled: true }, nack: { enabled: true }, natsBox: { enabled: true }, networkPolicy: { enabled: true }, externalAccess: { type: "INGRESS", hostname: "n.example.com" } })],
  ["memory JetStream", manifest({ replicas: 3, jetstream: { enabled: true, persistence: { mode: "MEMORY", size: "256Mi" } } })],
  ["single server, TLS from a Secret", manifest({ replicas: 1, tls: { enabled: true, secretName: "mine" }, natsBox: { enabled: false } })],
];

describe("Pod Security Standards: restricted", () => {
  for (const [name, text] of VARIANTS) {
    it(name, () => {
      const pods = podSpecs(render(text).objects);
      assert.ok(pods.some((p) => p.where.startsWith("StatefulSet/")), "the NATS pods are checked");
      for (const p of pods) {
        assert.deepEqual(restrictedViolations(p.spec, p.annotations), [], p.where);
        assert.deepEqual(hardeningViolations(p), [], p.where);
      }
    });
  }

  it("covers every workload kind present, not only the StatefulSet", () => {
    const objects = render(VARIANTS.find(([n]) => n === "everything on")![1]).objects;
    const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"].includes(o.kind));
    const found = new Set(podSpecs(objects).map((p) => p.where.split(".")[0]));
    for (const w of workloads) assert.ok(found.has(`${w.kind}/${w.metadata.name}`), `${w.kind}/${w.metadata.name}`);
    assert.ok(workloads.length >= 2, workloads.map((w) => w.kind).join(","));
  });

  it("the checker rejects what the profile forbids", () => {
    const bad: IPodSpec = {
      hostNetwork: true,
      securityContext: { runAsUser: 0, seccompProfile: { type: "Unconfined" }, sysctls: [{ name: "kernel.msgmax", value: "1" }] },
      volumes: [{ name: "host", hostPath: { path: "/" } }],
      containers: [
        {
          name: "c",
          image: "x",
          ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] }, seLinuxOptions: { user: "root" } },
        },
      ],
    };
    const v = restrictedViolations(bad).join("\n");
    for (const want of ["host namespaces", "hostPath", "sysctl", "runAsUser 0", "Unconfined", "privileged", "hostPort", "SYS_ADMIN", "allowPrivilegeEscalation", "runAsNonRoot", "drop ALL", "seLinux user"])
      assert.ok(v.includes(want), `flags ${want}:\n${v}`);
    assert.deepEqual(
      hardeningViolations({ where: "x", spec: bad, annotations: {}, claims: true }),
      ["container c: readOnlyRootFilesystem", "PVC without fsGroup: the volume would not be writable", "service account token mounted without a dedicated service account"],
    );
  });

  it("a read-only root filesystem still lets JetStream start: store_dir is on a writable volume", () => {
    // nats-server creates its store directory at start even with max_file_store 0 and exits if it
    // cannot ("could not create storage directory", observed with 2.9.10).
    for (const [name, text] of VARIANTS) {
      const r = render(text);
      const storeDir = /\n {2}store_dir: "([^"]+)"/.exec(natsConfOf(r))?.[1];
      if (!storeDir) continue;
      const pod = podSpecs(r.objects).find((p) => p.where.startsWith("StatefulSet/"))!;
      const mount = pod.spec.containers.find((c) => c.name === "nats")!.volumeMounts?.find((m) => m.mountPath === storeDir);
      assert.ok(mount && !mount.readOnly, `${name}: ${storeDir} is mounted writable`);
      const claim = (r.objects.find((o) => o.kind === "StatefulSet") as unknown as { spec: { volumeClaimTemplates?: { metadata: { name: string } }[] } }).spec.volumeClaimTemplates;
      const backed = pod.spec.volumes?.find((v) => v.name === mount.name)?.emptyDir !== undefined || claim?.some((c) => c.metadata.name === mount.name);
      assert.ok(backed, `${name}: ${storeDir} is an emptyDir or a PVC`);
    }
  });
});

// natskube apply, diff, delete and plan --rendered against the real control plane (scripts/kube.sh),
// run as a user runs them: bin/natskube with KUBECONFIG. Each example in a namespace of its own
// (live-*), so this file and control-plane.test.ts can share one control plane.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, parseAllDocuments, stringify } from "yaml";
import { BIN, ROOT, show, type CliResult } from "../support/cli.js";
import {
  controlPlaneDown,
  controlPlaneUp,
  createNamespace,
  deleteNamespace,
  ensureStorageClasses,
  getJson,
  KUBECONFIG,
  kubectl,
  kubectlOk,
  userKubeconfig,
} from "../support/control-plane.js";
import { EXAMPLES } from "../support/examples.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  spec?: Any;
  status?: Any;
}

const PART_OF = "natskube.io/part-of";
const LIMIT = { timeout: 300_000 };
const tmp = mkdtempSync(join(tmpdir(), "natskube-live-"));

/** bin/natskube with the control plane's kubeconfig in KUBECONFIG, as a user sets it up. */
function natskube(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 240_000, env: { ...process.env, KUBECONFIG, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}


/** An example moved to its own namespace, with `edit` applied to its spec; the file's path. */
function manifestFile(example: string, name: string, edit: (spec: Any) => void = () => {}): { file: string; ns: string } {
  const doc = parse(readFileSync(join(ROOT, "examples", `${example}.yaml`), "utf8")) as Any;
  const ns = `live-${example}`;
  if (typeof doc.spec.namespace === "object") doc.spec.namespace.value = ns;
  else doc.spec.namespace = ns;
  edit(doc.spec);
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return { file, ns };
}

function rendered(file: string): Obj[] {
  const r = natskube(["render", file]);
  assert.equal(r.code, 0, show(r));
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
}

const KINDS = "statefulsets,deployments,services,configmaps,secrets,serviceaccounts,poddisruptionbudgets,networkpolicies,roles,rolebindings,podmonitors,prometheusrules,certificates,issuers,streams,consumers,keyvalues,objectstores,accounts";

/** Every object natskube labelled as its own in a namespace, by `Kind/name`, with its resourceVersion. */
function owned(ns: string): Map<string, string> {
  const list = getJson<{ items: Obj[] }>([KINDS, "-n", ns, "-l", PART_OF]);
  return new Map(list.items.map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.resourceVersion!]));
}

const stsOf = (ns: string, name: string) => getJson<Obj>(["statefulset", "-n", ns, name]);

describe("natskube apply, diff, delete on the control plane", () => {
  let startedHere = false;
  before(() => ({ startedHere } = controlPlaneUp()), { timeout: 330_000 });
  after(
    () => {
      rmSync(tmp, { recursive: true, force: true });
      if (startedHere) controlPlaneDown();
    },
    { timeout: 130_000 },
  );

  for (const example of EXAMPLES) {
    it(`examples/${example}.yaml: apply on an empty namespace, a re-apply writes nothing, diff and plan --rendered on kubectl get -o yaml are clean, delete leaves nothing`, LIMIT, async () => {
      const { file, ns } = manifestFile(example, example);
      const objects = rendered(file);
      await deleteNamespace(ns);
      createNamespace(ns);
      ensureStorageClasses(objects);
      try {
        const first = natskube(["apply", file, "--generate-secrets", "--timeout", "120s"]);
        assert.equal(first.code, 0, show(first));
        assert.match(first.stdout, /^applied: \d+ created, 0 updated, 0 pruned/m, show(first));
        assert.match(first.stderr, /rolled out/, show(first));
        const after1 = owned(ns);
        for (const o of objects) assert.ok(after1.has(`${o.kind}/${o.metadata.name}`), `${o.kind}/${o.metadata.name} applied and labelled: ${[...after1.keys()].join(", ")}`);
        for (const w of objects.filter((o) => o.kind === "StatefulSet")) {
          const s = stsOf(ns, w.metadata.name).status;
          assert.equal(s.readyReplicas, w.spec.replicas, JSON.stringify(s));
        }

        const again = natskube(["apply", file, "--generate-secrets"]);
        assert.equal(again.code, 0, show(again));
        assert.match(again.stdout, /^applied: 0 created, 0 updated, 0 pruned/m, show(again));
        assert.deepEqual(owned(ns), after1, "a re-apply of an unchanged render writes nothing (every resourceVersion unchanged)");

        const diff = natskube(["diff", file]);
        assert.equal(diff.code, 0, show(diff));
        assert.match(diff.stdout, /^SAFE \(exit 0\): no changes; 0 objects changed/m, show(diff));
        const json = natskube(["diff", file, "-o", "json"]);
        assert.equal(json.code, 0, show(json));
        const doc = JSON.parse(json.stdout) as Any;
        assert.deepEqual([doc.old, doc.verdict.severity, doc.verdict.exitCode, doc.objects], [{ file: "context natskube-local", input: "live" }, "safe", 0, []]);

        // What a user pipes into plan: every kind natskube renders, as the API server returns them.
        const live = join(tmp, `${example}.live.yaml`);
        writeFileSync(live, kubectlOk(["get", KINDS, "-n", ns, "-o", "yaml"]));
        const plan = natskube(["plan", "--rendered", live, file]);
        assert.equal(plan.code, 0, show(plan));
        assert.match(plan.stdout, /no changes; 0 objects changed/, show(plan));

        const del = natskube(["delete", file]);
        assert.equal(del.code, 0, show(del));
        // The safe order: NACK's resources while its controller runs, then workloads, then config and Secrets.
        const at = (re: RegExp) => del.stderr.split("\n").findIndex((l) => re.test(l));
        const waves = [/^deleted (Stream|Consumer|KeyValue|ObjectStore|Account) /, /^deleted (StatefulSet|Deployment) /, /^deleted (ConfigMap|Secret|Service) /].map(at);
        assert.deepEqual(waves.filter((i) => i >= 0), [...waves.filter((i) => i >= 0)].sort((a, b) => a - b), show(del));
        if (objects.some((o) => o.kind === "Stream")) assert.ok(waves[0]! >= 0 && waves[0]! < waves[1]!, show(del));
        assert.deepEqual([...owned(ns).keys()], [], "delete leaves none of natskube's objects");
        const claims = getJson<{ items: Obj[] }>(["pvc", "-n", ns]).items.map((c) => c.metadata.name);
        if (claims.length) {
          assert.match(del.stdout, new RegExp(`kept ${claims.length} PersistentVolumeClaims`), show(del));
          const gone = natskube(["delete", file, "--delete-volumes"]);
          assert.equal(gone.code, 0, show(gone));
          assert.match(gone.stdout, new RegExp(`deleted ${claims.length} PersistentVolumeClaims and the JetStream data on them`), show(gone));
          for (const c of claims) assert.ok(gone.stdout.includes(c), show(gone));
          assert.deepEqual(getJson<{ items: Obj[] }>(["pvc", "-n", ns]).items, []);
        }
      } finally {
        await deleteNamespace(ns);
      }
    });
  }

  describe("day-2 changes on staging", () => {
    const base = manifestFile("staging", "staging-base");
    /** A new image, new resources and two more servers: the cluster the tests after the first one run on. */
    const changedSpec = (s: Any) => {
      s.replicas = 5;
      s.image = { tag: "2.15.3" };
      s.resources = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } };
    };
    const { ns } = base;
    before(async () => {
      await deleteNamespace(ns);
      createNamespace(ns);
      const r = natskube(["apply", base.file, "--generate-secrets"]);
      assert.equal(r.code, 0, show(r));
    }, LIMIT);
    after(() => deleteNamespace(ns), LIMIT);

    it("a changed image, resources and replica count are applied and waited for", LIMIT, () => {
      const changed = manifestFile("staging", "staging-changed", changedSpec);
      const diff = natskube(["diff", changed.file]);
      assert.equal(diff.code, 3, show(diff));
      assert.match(diff.stdout, /spec\.replicas: 3 -> 5/, show(diff));
      assert.match(diff.stdout, /image: "nats:2\.14\.2-alpine" -> "nats:2\.15\.3"/, show(diff));
      const r = natskube(["apply", changed.file, "--timeout", "120s"]);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stderr, /waiting for StatefulSet live-staging\/nats, Deployment live-staging\/nats-box to roll out/, show(r));
      assert.match(r.stderr, /StatefulSet live-staging\/nats: 5\/5 updated, 5\/5 ready: rolled out/, show(r));
      const sts = stsOf(ns, "nats");
      assert.equal(sts.spec.replicas, 5);
      assert.equal(sts.spec.template.spec.containers[0].image, "nats:2.15.3");
      assert.equal(sts.status.updatedReplicas, 5);
      assert.equal(sts.status.currentRevision, sts.status.updateRevision);
      assert.equal(natskube(["diff", changed.file]).code, 0);
    });

    it("status: pods Ready on their nodes and zones, claims bound; a deleted PDB and a hand-edited ConfigMap are found", LIMIT, () => {
      const changed = manifestFile("staging", "staging-changed", changedSpec);
      const objects = rendered(changed.file);
      // kwok's pods run no server: the NATS view, read through the API server's pod proxy, finds every one
      // unreachable (test/kube/status-proxy.test.ts puts servers behind the pod IPs). The Kubernetes view is
      // judged on the rest.
      const status = () => {
        const r = natskube(["status", changed.file, "-o", "json", "--timeout", "2"]);
        const json = JSON.parse(r.stdout || "{}") as { pods: { name: string; ready: boolean; node?: string; zone?: string }[]; findings: { severity: string; code: string; subject: string; fix: string }[] };
        const unreachable = json.findings.filter((f) => f.code === "server-unreachable").map((f) => f.subject);
        assert.deepEqual(unreachable, ["nats-0", "nats-1", "nats-2", "nats-3", "nats-4"], show(r));
        return { r, json: { ...json, findings: json.findings.filter((f) => f.code !== "server-unreachable") } };
      };
      const healthy = status();
      assert.equal(healthy.r.code, 1, show(healthy.r));
      assert.deepEqual(healthy.json.pods.map((p) => p.name), ["nats-0", "nats-1", "nats-2", "nats-3", "nats-4"], show(healthy.r));
      for (const p of healthy.json.pods) assert.ok(p.ready && p.node?.startsWith("kwok-node-") && p.zone?.startsWith("zone-"), show(healthy.r));
      // Five servers on three nodes: some share one, which is a risk, not a fault.
      assert.deepEqual(healthy.json.findings.filter((f) => f.severity === "error"), [], show(healthy.r));
      assert.ok(healthy.json.findings.every((f) => f.code === "pods-share-node"), show(healthy.r));

      const pdb = objects.find((o) => o.kind === "PodDisruptionBudget")!.metadata.name;
      const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.endsWith("-config"))!.metadata.name;
      kubectlOk(["delete", "pdb", "-n", ns, pdb]);
      kubectlOk(["patch", "configmap", "-n", ns, config, "--type=merge", "-p", JSON.stringify({ data: { "nats.conf": "# edited by hand\n" } })]);
      const broken = status();
      assert.equal(broken.r.code, 1, show(broken.r));
      const codes = broken.json.findings.map((f) => `${f.severity} ${f.code} ${f.subject}`);
      assert.ok(codes.includes(`error object-missing PodDisruptionBudget ${ns}/${pdb}`), show(broken.r));
      assert.ok(codes.includes(`warning object-drift ConfigMap ${ns}/${config}`), show(broken.r));
      assert.match(broken.json.findings.find((f) => f.code === "object-missing")!.fix, /^natskube apply /);
      const text = natskube(["status", changed.file]);
      assert.match(text.stdout, /^pods \(5 of 5\):$/m, show(text));
      assert.match(text.stdout, /^servers \(5\):\n  nats-0  unreachable  \(\/api\/v1\/namespaces\/live-staging\/pods\/nats-0:8222\/proxy\)$/m, show(text));

      // Restored on purpose: the hand-edited nats.conf plans as disruptive (it has no auth, no cluster) and
      // its field now belongs to kubectl's manager.
      const fixed = natskube(["apply", changed.file, "--allow-disruptive", "--force-conflicts"]);
      assert.equal(fixed.code, 0, show(fixed));
      assert.deepEqual(status().json.findings.filter((f) => f.severity === "error"), []);
    });

    it("a Secret that exists is kept by a re-apply unless --overwrite-secrets", LIMIT, () => {
      const changed = manifestFile("staging", "staging-changed", changedSpec);
      kubectlOk(["patch", "secret", "-n", ns, "nats-box-contexts", "--type=merge", "-p", JSON.stringify({ stringData: { "default.json": "{}" } })]);
      const diff = natskube(["diff", changed.file]);
      assert.match(diff.stdout, /note: Secret live-staging\/nats-box-contexts exists and differs from the render: apply keeps it/, show(diff));
      const kept = natskube(["apply", changed.file]);
      assert.equal(kept.code, 0, show(kept));
      assert.equal(Buffer.from(kubectlOk(["get", "secret", "-n", ns, "nats-box-contexts", "-o", "jsonpath={.data.default\\.json}"]), "base64").toString(), "{}");
      const over = natskube(["apply", changed.file, "--overwrite-secrets"]);
      assert.equal(over.code, 0, show(over));
      assert.match(over.stderr, /updated Secret live-staging\/nats-box-contexts/, show(over));
      assert.match(Buffer.from(kubectlOk(["get", "secret", "-n", ns, "nats-box-contexts", "-o", "jsonpath={.data.default\\.json}"]), "base64").toString(), /rendered by natskube/);
    });

    it("a disruptive change is refused with the procedure, and nothing is written", LIMIT, () => {
      const before = owned(ns);
      const shrink = manifestFile("staging", "staging-shrink", (s) => {
        s.replicas = 1;
      });
      const r = natskube(["apply", shrink.file]);
      assert.equal(r.code, 4, show(r));
      assert.match(r.stdout, /DISRUPTIVE/, show(r));
      assert.match(r.stdout, /Procedure:/, show(r));
      assert.match(r.stderr, /refused: the plan is disruptive; nothing was written/, show(r));
      assert.deepEqual(owned(ns), before);
      const dry = natskube(["apply", shrink.file, "--dry-run"]);
      assert.equal(dry.code, 4, show(dry));
    });

    it("prune deletes a dropped object and nothing else; --dry-run says so first", LIMIT, () => {
      // Someone else's objects in the same namespace: one unlabelled, one that even says managed-by natskube.
      for (const [name, labels] of [["theirs", {}], ["theirs-too", { "app.kubernetes.io/managed-by": "natskube" }]] as const)
        kubectlOk(["apply", "--server-side", "--field-manager=someone", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns, labels }, data: { a: "b" } }));
      const nobox = manifestFile("staging", "staging-nobox", (s) => {
        changedSpec(s);
        s.natsBox = { enabled: false };
      });
      const before = owned(ns);
      const dry = natskube(["apply", nobox.file, "--dry-run"]);
      assert.equal(dry.code, 0, show(dry));
      assert.match(dry.stderr, /would delete Deployment live-staging\/nats-box/, show(dry));
      assert.match(dry.stdout, /^dry run .*: 0 created, 0 updated, 2 pruned/m, show(dry));
      assert.deepEqual(owned(ns), before, "a dry run writes nothing");
      const r = natskube(["apply", nobox.file]);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /^applied: 0 created, 0 updated, 2 pruned/m, show(r));
      const now = owned(ns);
      assert.deepEqual([...before.keys()].filter((k) => !now.has(k)).sort(), ["Deployment/nats-box", "Secret/nats-box-contexts"]);
      for (const [k, v] of now) assert.equal(before.get(k), v, `${k} untouched`);
      for (const name of ["theirs", "theirs-too"]) assert.equal(kubectl(["get", "configmap", "-n", ns, name]).code, 0, `${name} survives`);
    });

    it("a namespace holding someone else's objects with natskube's names: refused unless --take-ownership", LIMIT, async () => {
      const other = manifestFile("dev", "dev-taken");
      await deleteNamespace(other.ns);
      createNamespace(other.ns);
      try {
        kubectlOk(["create", "configmap", "nats-config", "-n", other.ns, "--from-literal=nats.conf=theirs"]);
        const r = natskube(["apply", other.file]);
        assert.equal(r.code, 1, show(r));
        assert.match(r.stderr, /error not-owned: ConfigMap live-dev\/nats-config exists and is not natskube's/, show(r));
        assert.match(r.stderr, /refused: nothing was written/, show(r));
        assert.equal(kubectl(["get", "statefulset", "-n", other.ns, "nats"]).code, 1, "nothing half-applied");
        assert.equal(kubectlOk(["get", "configmap", "-n", other.ns, "nats-config", "-o", "jsonpath={.data.nats\\.conf}"]), "theirs");
        const taken = natskube(["apply", other.file, "--take-ownership"]);
        assert.equal(taken.code, 0, show(taken));
        assert.equal(kubectlOk(["get", "configmap", "-n", other.ns, "nats-config", "-o", `jsonpath={.metadata.labels.natskube\\.io/part-of}`]), `nats.${other.ns}`);
      } finally {
        await deleteNamespace(other.ns);
      }
    });
  });

  describe("bad connections: one clear line, no stack trace, exit 1", () => {
    const file = join(ROOT, "examples", "dev.yaml");
    const noTrace = (r: CliResult) => assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, show(r));

    it("an API server that does not answer", () => {
      const kc = parse(readFileSync(KUBECONFIG, "utf8")) as Any;
      const server = new URL(kc.clusters[0].cluster.server);
      // The same loopback address, a port nothing listens on.
      kc.clusters[0].cluster.server = `https://${server.hostname}:1`;
      const path = join(tmp, "unreachable.kubeconfig");
      writeFileSync(path, stringify(kc));
      for (const command of ["diff", "apply", "delete"]) {
        const r = natskube([command, file, "--kubeconfig", path]);
        assert.equal(r.code, 1, show(r));
        assert.match(r.stderr, new RegExp(`^natskube ${command}: error cluster-unreachable: cannot reach the API server https://${server.hostname.replace(/\./g, "\\.")}:1 \\(context natskube-local\\)`), show(r));
        noTrace(r);
      }
    });

    it("a user without rights (403)", () => {
      // A client certificate of the control plane's CA for a user no RBAC rule names.
      const path = userKubeconfig("natskube-nobody", "nobody", tmp);
      for (const command of ["diff", "apply", "delete"]) {
        const r = natskube([command, file, "--kubeconfig", path, "--context", "nobody"]);
        assert.equal(r.code, 1, show(r));
        assert.match(r.stderr, new RegExp(`^natskube ${command}: error cluster-forbidden: the API server \\S+ \\(context nobody\\) refused .*"natskube-nobody" cannot`), show(r));
        assert.match(r.stderr, /hint: The user needs rights/, show(r));
        noTrace(r);
      }
    });

    it("a context the kubeconfig lacks, and no kubeconfig at all", () => {
      const r = natskube(["diff", file, "--context", "nope"]);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, /^natskube diff: error kubeconfig: the kubeconfig has no context "nope"/, show(r));
      const none = natskube(["diff", file], { KUBECONFIG: join(tmp, "missing.kubeconfig") });
      assert.equal(none.code, 1, show(none));
      assert.match(none.stderr, /error kubeconfig: no kubeconfig: .*missing\.kubeconfig does not exist/, show(none));
    });
  });
});

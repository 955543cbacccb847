import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildConf, natsConf } from "../../src/conf/index.js";
import { raw } from "../../src/conf/value.js";
import { yamlStream } from "../../src/emit/yaml.js";
import type { KubeObject } from "../../src/render/object.js";
import { withGeneratedSecrets } from "../../src/render/secrets.js";
import { parseConf, withoutUndefined } from "../../src/plan/conf-parse.js";
import { buildPlan, loadRenderedObjects, sideFromObjects, sideFromRendered, type PlanSide } from "../../src/plan/index.js";
import { reloadVerdict } from "../../src/plan/reload.js";
import type { Change, ChangeClass, ObjectPlan, Plan } from "../../src/plan/types.js";
import { EXAMPLES, exampleText } from "../support/examples.js";
import { manifest, render } from "../support/render.js";

type Spec = Record<string, unknown>;

const CLUSTER: Spec = { replicas: 3, jetstream: { enabled: true, persistence: { mode: "FILE", size: "10Gi" } } };
const spec = (delta: Spec = {}): Spec => ({ ...CLUSTER, ...delta });

const sideOf = (file: string, s: Spec, meta: Spec = {}): PlanSide => sideFromRendered(file, [render(manifest(s, meta))]);
const plan = (oldSpec: Spec, newSpec: Spec, oldMeta: Spec = {}, newMeta: Spec = {}): Plan =>
  buildPlan(sideOf("old.yaml", oldSpec, oldMeta), sideOf("new.yaml", newSpec, newMeta));

/** OLD as a previous render's YAML text, edited by `edit` (for changes a manifest cannot express). */
function renderedSide(s: Spec, edit: (objects: KubeObject[]) => void = () => {}): PlanSide {
  // A JSON copy: rendered objects share label maps, an edit must touch one object only.
  const objects = JSON.parse(JSON.stringify(render(manifest(s)).objects)) as KubeObject[];
  edit(objects);
  const loaded = loadRenderedObjects(yamlStream(objects), "old.rendered.yaml");
  assert.deepEqual(loaded.diagnostics, []);
  return sideFromObjects("old.rendered.yaml", loaded.objects);
}

const find = (objects: KubeObject[], kind: string, name?: string): Record<string, any> => {
  const o = objects.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  assert.ok(o, `${kind} ${name ?? ""}`);
  return o as Record<string, any>;
};

function objectPlan(p: Plan, kind: string, name = "nats"): ObjectPlan {
  const o = p.objects.find((x) => x.ref.kind === kind && x.ref.name === name);
  assert.ok(o, `no ${kind}/${name} in plan: ${p.objects.map((x) => `${x.ref.kind}/${x.ref.name}`).join(", ")}`);
  return o;
}

const allChanges = (p: Plan): Change[] => [...p.objects.flatMap((o) => o.changes), ...p.clusters.flatMap((c) => c.changes)];

function only(p: Plan, cls: ChangeClass, match: RegExp): Change {
  const found = allChanges(p).filter((c) => c.class === cls && match.test(c.summary));
  assert.equal(found.length, 1, `one ${cls} change matching ${match}; got:\n${allChanges(p).map((c) => `${c.class}: ${c.summary}`).join("\n")}`);
  return found[0]!;
}

const text = (c: Change) => [c.summary, ...c.details, ...c.procedure].join("\n");

describe("plan: safe, in place", () => {
  it("the same manifest twice: no changes", () => {
    const p = plan(spec(), spec());
    assert.equal(p.severity, "safe");
    assert.deepEqual(p.objects, []);
    assert.ok(p.unchanged >= 6);
  });

  it("a nats.conf change nats-server reloads: hot reload, no restart", () => {
    const basic = (subject: string) => spec({ auth: { enabled: true, mode: "BASIC", noAuthUser: { enabled: true, publishSubjects: [subject] } } });
    const p = plan(basic("a.>"), basic("b.>"));
    assert.equal(p.severity, "safe");
    assert.deepEqual(
      p.objects.map((o) => o.ref.kind),
      ["ConfigMap"],
    );
    const c = only(p, "in-place", /hot-reloaded/);
    assert.deepEqual(c.paths, ['data["nats.conf"].authorization.users[1].permissions.publish.allow']);
    assert.equal(objectPlan(p, "ConfigMap", "nats-config").fields[0]!.class, "in-place");
  });

  it("new objects are created in place (nats-box turned on)", () => {
    const p = plan(spec({ natsBox: { enabled: false } }), spec({ natsBox: { enabled: true } }));
    assert.equal(p.severity, "safe");
    assert.ok(p.objects.length >= 1);
    for (const o of p.objects) assert.equal(o.action, "create");
    assert.ok(p.objects.some((o) => o.ref.kind === "Deployment"));
  });

  it("label-only, Service and PDB changes (PDB selector included, policy/v1) are in place", () => {
    const old = renderedSide(spec(), (objects) => {
      find(objects, "Service", "nats").metadata.labels.team = "a";
      find(objects, "PodDisruptionBudget").spec.selector.matchLabels.extra = "x";
      find(objects, "Service", "nats").spec.ports[0].port = 4333;
    });
    const p = buildPlan(old, sideOf("new.yaml", spec()));
    assert.equal(p.severity, "safe");
    const pdb = objectPlan(p, "PodDisruptionBudget");
    assert.equal(pdb.changes[0]!.class, "in-place");
    assert.match(pdb.changes[0]!.summary, /policy\/v1/);
    const svc = objectPlan(p, "Service");
    assert.deepEqual(
      svc.fields.map((f) => [f.path, f.op, f.class]),
      [
        ['metadata.labels.team', "remove", "in-place"],
        ["spec.ports[nats].port", "replace", "in-place"],
      ],
    );
  });
});

describe("plan: the client Service's type (service.type)", () => {
  // Kubernetes changes a Service's type in place and keeps its clusterIP (immutable once allocated); going back
  // to ClusterIP, the API server drops the allocated node ports itself (dropTypeDependentFields, 1.20+).
  const svcChanges = (p: Plan) => objectPlan(p, "Service").changes.map((c) => [c.class, c.severity, c.summary, c.paths]);
  it("ClusterIP -> LoadBalancer, with annotations: in place and safe; no NATS object changes", () => {
    const p = plan(spec(), spec({ service: { type: "LoadBalancer", annotations: { "networking.gke.io/load-balancer-type": "Internal" } } }));
    assert.equal(p.severity, "safe");
    assert.deepEqual(p.objects.map((o) => `${o.ref.kind}/${o.ref.name}`), ["Service/nats"]);
    assert.deepEqual(svcChanges(p), [
      ["in-place", "safe", "labels/annotations updated in place", ["metadata.annotations"]],
      ["in-place", "safe", "Service type changed in place", ["spec.type"]],
    ]);
  });
  it("ClusterIP -> NodePort with a fixed port: in place", () => {
    const p = plan(spec(), spec({ service: { type: "NodePort", nodePort: 30422 } }));
    assert.equal(p.severity, "safe");
    assert.deepEqual(svcChanges(p), [
      ["in-place", "safe", "Service type changed in place", ["spec.type"]],
      ["in-place", "safe", "ports/selector updated in place", ["spec.ports[nats].nodePort"]],
    ]);
  });
  it("NodePort -> ClusterIP: in place, needs attention (the node port goes away)", () => {
    const p = plan(spec({ service: { type: "NodePort" } }), spec());
    assert.equal(p.severity, "attention");
    assert.deepEqual(svcChanges(p), [["in-place", "attention", "type NodePort removed: external clients lose that address", ["spec.type"]]]);
  });
});

describe("plan: rolling restart", () => {
  const image = (replicas: number, tag: string, js = true) => ({ replicas, image: { tag }, jetstream: js ? CLUSTER.jetstream : { enabled: false } });

  it("3 replicas: highest ordinal first, one at a time, quorum holds (needs attention)", () => {
    const p = plan(image(3, "2.11.0-alpine"), image(3, "2.14.2-alpine"));
    assert.equal(p.severity, "attention");
    const c = only(p, "rolling-restart", /pod template changed/);
    assert.equal(c.severity, "attention");
    assert.match(c.summary, /quorum holds: 2 of 3 servers stay up, the meta group needs 2/);
    assert.match(text(c), /Order: nats-2, nats-1, nats-0 \(highest ordinal first, one at a time/);
    assert.ok(c.procedure.some((s) => s.includes("kubectl rollout status statefulset/nats -n nats")));
    const image_ = objectPlan(p, "StatefulSet").fields.find((f) => f.path === "spec.template.spec.containers[nats].image");
    assert.deepEqual(image_ && [image_.before, image_.after, image_.class], ['"nats:2.11.0-alpine"', '"nats:2.14.2-alpine"', "rolling-restart"]);
  });

  // Measured on the kube tier's control plane (Kubernetes 1.37.2): one pod marked not Ready, then a
  // new image; the StatefulSet controller recreated the down pod at the old template over and over and
  // replaced nats-2 meanwhile, 2 of 3 down. natskube keeps Parallel (see src/plan/rolling.ts), so the
  // plan makes "all Ready" the first step of every rolling restart.
  it("Parallel pod management: every rolling restart starts by checking that all servers are Ready", () => {
    const c = only(plan(image(3, "2.12.15-alpine"), image(3, "2.14.2-alpine")), "rolling-restart", /pod template changed/);
    const check = "First check that all 3 servers are Ready (if this fails, fix that server before applying): kubectl wait pod -n nats -l ";
    assert.ok(c.procedure[0]?.startsWith(check), c.procedure.join("\n"));
    assert.equal(c.procedure[0], `${check}app.kubernetes.io/name=nats,app.kubernetes.io/instance=nats,app.kubernetes.io/component=nats --for=condition=Ready --timeout=2m`);
    assert.match(c.procedure[1]!, /^Apply NEW: /);
    assert.match(text(c), /Start only with all 3 servers Ready: with podManagementPolicy Parallel, a server already down does not stop the rollout/);
    // A restart by hand (nats.conf key nats-server cannot reload): the same check just before it.
    const byHand = only(plan(spec(), spec({ jetstream: { ...(CLUSTER.jetstream as Spec), domain: "hub" } })), "rolling-restart", /restart that applying does not trigger/);
    const restart = byHand.procedure.findIndex((x) => x.startsWith("Restart the servers one at a time"));
    assert.ok(restart > 0 && byHand.procedure[restart - 1]!.startsWith(check), byHand.procedure.join("\n"));
    // No check where nothing else could be down (one server), or where nothing rolls by itself (OnDelete).
    const single = only(plan(image(1, "2.12.15-alpine"), image(1, "2.14.2-alpine")), "rolling-restart", /pod template/);
    assert.ok(!single.procedure.some((s) => s.includes("kubectl wait")));
    const onDelete = buildPlan(
      renderedSide(image(3, "2.12.15-alpine"), (objects) => (find(objects, "StatefulSet").spec.updateStrategy = { type: "OnDelete" })),
      sideOf("new.yaml", image(3, "2.14.2-alpine")),
    );
    assert.ok(!allChanges(onDelete).some((x) => x.procedure.some((s) => s.includes("kubectl wait"))));
  });

  it("2 replicas: no quorum while a server restarts (disruptive)", () => {
    const c = only(plan(image(2, "2.11.0-alpine"), image(2, "2.14.2-alpine")), "rolling-restart", /pod template/);
    assert.equal(c.severity, "disruptive");
    assert.match(c.summary, /no quorum while a server restarts: 1 of 2 stay up, the meta group needs 2/);
  });

  it("2 replicas without JetStream: clients move, needs attention only", () => {
    const c = only(plan(image(2, "2.11.0-alpine", false), image(2, "2.14.2-alpine", false)), "rolling-restart", /pod template/);
    assert.equal(c.severity, "attention");
  });

  it("1 replica: full outage (disruptive)", () => {
    const c = only(plan(image(1, "2.11.0-alpine"), image(1, "2.14.2-alpine")), "rolling-restart", /pod template/);
    assert.equal(c.severity, "disruptive");
    assert.match(c.summary, /full outage/);
  });

  it("a nats.conf key nats-server cannot reload: restart by hand (nothing rolls by itself)", () => {
    const p = plan(spec(), spec({ jetstream: { ...(CLUSTER.jetstream as Spec), domain: "hub" } }));
    const cm = objectPlan(p, "ConfigMap", "nats-config");
    assert.deepEqual(cm.fields.map((f) => [f.path, f.class]), [['data["nats.conf"].jetstream.domain', "rolling-restart"]]);
    const c = only(p, "rolling-restart", /restart that applying does not trigger/);
    assert.equal(c.severity, "attention");
    assert.ok(c.details.some((d) => /jetstream\.domain: the JetStream domain cannot change/.test(d)));
    assert.ok(c.procedure.includes("Restart the servers one at a time: kubectl rollout restart statefulset/nats -n nats"));
  });
});

describe("plan: forbidden by Kubernetes", () => {
  it("a bigger JetStream volume: orphan-delete the StatefulSet, check expansion, patch each PVC", () => {
    const fast = (size: string) => spec({ jetstream: { enabled: true, persistence: { mode: "FILE", size, storageClass: "fast-ssd" } } });
    const p = plan(fast("10Gi"), fast("20Gi"));
    assert.equal(p.severity, "disruptive");
    const c = only(p, "forbidden", /volume size 10Gi -> 20Gi/);
    const steps = c.procedure.join("\n");
    assert.match(steps, /kubectl get storageclass fast-ssd -o jsonpath='\{\.allowVolumeExpansion\}'/);
    assert.match(steps, /kubectl delete statefulset nats -n nats --cascade=orphan/);
    for (const i of [0, 1, 2])
      assert.match(steps, new RegExp(`kubectl patch pvc nats-js-nats-${i} -n nats -p '\\{"spec":\\{"resources":\\{"requests":\\{"storage":"20Gi"\\}\\}\\}\\}'`));
    assert.ok(steps.indexOf("--cascade=orphan") < steps.indexOf("kubectl patch pvc"), "recreate before expanding");
    // max_file_store follows the size: the restart must wait for the volumes.
    const conf = only(p, "rolling-restart", /restart only after the PVCs have grown/);
    assert.deepEqual(conf.paths, ['data["nats.conf"].jetstream.max_file_store']);
  });

  it("another storage class: forbidden, existing PVCs keep theirs", () => {
    const cls = (storageClass: string) => spec({ jetstream: { enabled: true, persistence: { mode: "FILE", size: "10Gi", storageClass } } });
    const c = only(plan(cls("standard"), cls("fast-ssd")), "forbidden", /volumeClaimTemplates/);
    assert.match(text(c), /storageClassName standard -> fast-ssd: existing PVCs keep their class/);
  });

  it("StatefulSet serviceName, Service clusterIP and Deployment selector changes are rejected, each with a procedure", () => {
    const old = renderedSide(spec(), (objects) => {
      find(objects, "StatefulSet").spec.serviceName = "nats-old";
      find(objects, "Service", "nats").spec.clusterIP = "10.0.0.10";
      find(objects, "Deployment", "nats-box").spec.selector.matchLabels.old = "yes";
    });
    const p = buildPlan(old, sideOf("new.yaml", spec()));
    assert.equal(p.severity, "disruptive");
    const sts = only(p, "forbidden", /serviceName/);
    assert.ok(sts.procedure.includes("Delete the StatefulSet only, keeping its pods running and its PVCs: kubectl delete statefulset nats -n nats --cascade=orphan"));
    assert.ok(sts.procedure.some((s) => s.includes("kubectl rollout restart statefulset/nats -n nats")));
    const svc = only(p, "forbidden", /clusterIP/);
    assert.ok(svc.procedure.some((s) => s.includes("kubectl delete service nats -n nats")));
    const box = only(p, "forbidden", /Deployment's selector/);
    assert.ok(box.procedure.some((s) => s.includes("kubectl delete deployment nats-box -n nats")));
  });
});

describe("plan: data loss", () => {
  it("JetStream disabled: data loss, and the claim template cannot be dropped", () => {
    const p = plan(spec(), spec({ jetstream: { enabled: false } }));
    assert.equal(p.severity, "disruptive");
    only(p, "data-loss", /JetStream disabled/);
    only(p, "forbidden", /volumeClaimTemplates/);
    assert.deepEqual(p.clusters[0]!.jetstream, { old: "FILE", new: "off" });
  });

  it("persistence FILE -> MEMORY: data loss", () => {
    const c = only(plan(spec(), spec({ jetstream: { enabled: true, persistence: { mode: "MEMORY" } } })), "data-loss", /persistence FILE -> MEMORY/);
    assert.ok(c.procedure.some((s) => /nats stream backup/.test(s)));
  });

  it("a smaller volume: data loss, no in-place procedure (PVCs cannot shrink)", () => {
    const size = (s: string) => spec({ jetstream: { enabled: true, persistence: { mode: "FILE", size: s } } });
    const p = plan(size("20Gi"), size("10Gi"));
    const c = only(p, "data-loss", /size reduced 20Gi -> 10Gi/);
    assert.ok(!c.procedure.some((s) => s.includes("--cascade=orphan")));
    assert.ok(c.procedure.some((s) => /new cluster/.test(s)));
  });

  it("a stream removed: NACK deletes it unless preventDelete", () => {
    const nack = (streams: unknown[]) => spec({ nack: { enabled: true }, streams });
    const orders = (preventDelete: boolean) => ({ name: "ORDERS", subjects: ["orders.>"], preventDelete });
    const lost = only(plan(nack([orders(false)]), nack([])), "data-loss", /NACK deletes the Stream "ORDERS"/);
    assert.ok(lost.procedure.some((s) => s.includes(`--type merge -p '{"spec":{"preventDelete":true}}'`)));
    const kept = plan(nack([orders(true)]), nack([]));
    assert.ok(!allChanges(kept).some((c) => c.class === "data-loss"));
    assert.ok(allChanges(kept).some((c) => /preventDelete/.test(c.summary)));
  });

  it("a new name or namespace is a new cluster", () => {
    const p = plan(spec(), spec(), {}, { name: "bus" });
    const c = only(p, "data-loss", /a new cluster: nats\/bus replaces nats\/nats/);
    assert.ok(p.clusters.some((x) => x.changes.includes(c)));
    assert.ok(objectPlan(p, "StatefulSet", "bus").action === "create");
    assert.ok(objectPlan(p, "StatefulSet", "nats").action === "delete");
    only(plan(spec(), spec({ namespace: "messaging" })), "data-loss", /a new cluster: messaging\/nats replaces nats\/nats/);
  });

  it("MEMORY on a single server: the restart loses every message", () => {
    const mem = (tag: string) => ({ replicas: 1, image: { tag }, jetstream: { enabled: true, persistence: { mode: "MEMORY" } } });
    only(plan(mem("2.11.0-alpine"), mem("2.14.2-alpine")), "data-loss", /MEMORY streams/);
  });
});

describe("plan: NATS topology", () => {
  it("1 -> 3 replicas: the seed's never, with the new-cluster procedure", () => {
    const p = plan(spec({ replicas: 1 }), spec({ replicas: 3 }));
    assert.equal(p.severity, "disruptive");
    const c = only(p, "topology", /scale 1 -> 3/);
    assert.equal(c.severity, "disruptive");
    assert.match(c.summary, /never scale a live cluster 1 -> 3/);
    assert.deepEqual(c.paths, ["spec.replicas"]);
    assert.match(c.procedure[0]!, /create a new cluster with 3 replicas/);
    assert.equal(objectPlan(p, "StatefulSet").fields.find((f) => f.path === "spec.replicas")!.class, "topology");
  });

  it("5 -> 3: peer-remove the departing servers, highest ordinal first", () => {
    const c = only(plan(spec({ replicas: 5 }), spec({ replicas: 3 })), "topology", /scale 5 -> 3/);
    assert.equal(c.severity, "disruptive");
    const steps = c.procedure.join("\n");
    const rm4 = steps.indexOf("nats server raft peer-remove nats-4 -f");
    const rm3 = steps.indexOf("nats server raft peer-remove nats-3 -f");
    assert.ok(rm4 > 0 && rm3 > rm4, steps);
    assert.match(steps, /kubectl scale statefulset nats -n nats --replicas 4 && kubectl wait --for=delete pod\/nats-4/);
    assert.match(steps, /kubectl exec -n nats deploy\/nats-box -- nats req '\$JS\.API\.SERVER\.REMOVE' '\{"peer":"nats-3"\}'/);
    assert.match(steps, /kubectl delete pvc nats-js-nats-4 -n nats && kubectl delete pvc nats-js-nats-3 -n nats/);
    assert.ok(!steps.includes("nats-2 -f"));
  });

  it("3 -> 5: new servers join (needs attention)", () => {
    const p = plan(spec({ replicas: 3 }), spec({ replicas: 5 }));
    assert.equal(p.severity, "attention");
    assert.equal(only(p, "topology", /scale 3 -> 5/).severity, "attention");
  });

  it("cluster name change (a render from another tool): disruptive", () => {
    const old = renderedSide(spec(), (objects) => {
      const cm = find(objects, "ConfigMap", "nats-config");
      cm.data["nats.conf"] = cm.data["nats.conf"].replace('name: "nats"', 'name: "legacy"');
    });
    const c = only(buildPlan(old, sideOf("new.yaml", spec())), "topology", /cluster name legacy -> nats/);
    assert.equal(c.severity, "disruptive");
    assert.deepEqual(c.paths, ['data["nats.conf"].cluster.name']);
  });

  it("TLS turned on: route TLS needs all servers at once; clients need the CA", () => {
    const p = plan(spec(), spec({ tls: { enabled: true, secretName: "nats-tls" } }));
    const routes = only(p, "topology", /route TLS turned on/);
    assert.ok(routes.procedure.includes(
      "Restart every server at once, so old and new settings never overlap: kubectl delete pod -n nats -l app.kubernetes.io/name=nats,app.kubernetes.io/instance=nats,app.kubernetes.io/component=nats",
    ));
    only(p, "topology", /client TLS turned on/);
    // The running pods do not mount the certificate yet: the reload fails, the restart applies it.
    const conf = only(p, "rolling-restart", /rolling restart applies them/);
    assert.ok(conf.details.some((d) => d.includes("which the running pods do not mount yet")));
  });

  it("auth turned on cuts off clients without credentials; turned off needs attention", () => {
    const on = plan(spec(), spec({ auth: { enabled: true, mode: "TOKEN" } }));
    assert.equal(only(on, "topology", /auth turned on \(token\): clients without credentials are cut off/).severity, "disruptive");
    assert.ok(only(on, "rolling-restart", /nats\.conf changes need a restart/).details.some((d) => d.includes("$NATS_TOKEN")));
    const off = plan(spec({ auth: { enabled: true, mode: "TOKEN" } }), spec());
    assert.equal(only(off, "topology", /auth turned off/).severity, "attention");
  });
});

describe("plan inputs", () => {
  it("nats.conf text parses back into the data buildConf produced (every example)", () => {
    for (const name of EXAMPLES) {
      const r = render(exampleText(name));
      assert.deepEqual(parseConf(natsConf(r.model)), withoutUndefined(buildConf(r.model)), name);
    }
  });

  it("parses other nats.conf spellings: = and space separators, ; , // comments, single quotes", () => {
    const conf = parseConf("port = 4222; http: 8222 // monitor\nserver_name 'a b'\ncluster { routes = [ nats://a:6222, nats://b:6222 ] }\njetstream {max_file_store: 9Gi, enabled: true}\n");
    assert.deepEqual(conf, {
      port: 4222,
      http: 8222,
      server_name: "a b",
      cluster: { routes: [raw("nats://a:6222"), raw("nats://b:6222")] },
      jetstream: { max_file_store: raw("9Gi"), enabled: true },
    });
    assert.throws(() => parseConf("cluster {\n port: 1\n"), /line 3: missing "}"/);
    // The official chart writes JSON with unquoted env references and sizes.
    assert.deepEqual(parseConf('{\n  "authorization": {\n    "token": $NATS_TOKEN\n  },\n  "jetstream": {"max_file_store": 50Gi, "store_dir": "/data"}\n}\n'), {
      authorization: { token: raw("$NATS_TOKEN") },
      jetstream: { max_file_store: raw("50Gi"), store_dir: "/data" },
    });
  });

  it("a previous render of the same manifest plans no change (every example)", () => {
    for (const name of EXAMPLES) {
      const r = render(exampleText(name));
      const loaded = loadRenderedObjects(yamlStream(r.objects), `${name}.rendered.yaml`);
      const p = buildPlan(sideFromObjects("old", loaded.objects), sideFromRendered("new", [r]));
      assert.deepEqual(p.objects, [], name);
      assert.deepEqual(p.notes, []);
    }
  });

  it("rendered input must be Kubernetes objects", () => {
    const r = loadRenderedObjects("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n---\n- a\n", "x.yaml");
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.path, d.source?.line]),
      [
        ["required", "metadata.name", 1],
        ["not-a-mapping", "", 5],
      ],
    );
  });

  it("secret values never appear: rotated credentials are redacted and need a restart", () => {
    const s = spec({ auth: { enabled: true, mode: "TOKEN" } });
    const r = render(manifest(s));
    const withSecret = (n: number) => withGeneratedSecrets(r.model, r.objects, () => n);
    const a = withSecret(1);
    const b = withSecret(2);
    const tokenA = (find(a, "Secret", "nats-auth").stringData as Record<string, string>).token!;
    const p = buildPlan(sideFromObjects("a", a), sideFromObjects("b", b));
    const secret = objectPlan(p, "Secret", "nats-auth");
    assert.deepEqual(secret.fields.map((f) => [f.path, f.before, f.after]), [["stringData.token", "(redacted)", "(redacted)"]]);
    assert.equal(only(p, "rolling-restart", /credentials in environment variables/).severity, "disruptive");
    assert.ok(!JSON.stringify(p).includes(tokenA));
    // The generated Secret is not in NEW's render: pruning it would stop the pods.
    const pruned = buildPlan(sideFromObjects("a", a), sideFromRendered("new", [r]));
    assert.equal(only(pruned, "in-place", /NEW pods still use this Secret/).severity, "disruptive");
    assert.ok(!JSON.stringify(pruned).includes(tokenA));
  });

  it("reload verdicts follow nats-server's reload.go", () => {
    const old = { server_name: raw("$SERVER_NAME"), cluster: { name: "a", port: 6222, routes: ["x"] }, jetstream: { store_dir: "/data", max_file_store: raw("9Gi") } };
    const verdict = (segs: string[], op: "add" | "remove" | "replace" = "replace", next = old) => reloadVerdict({ segs, op }, old, next).reload;
    assert.equal(verdict(["server_name"]), false);
    assert.equal(verdict(["cluster", "routes"]), true);
    assert.equal(verdict(["cluster", "name"]), true);
    assert.equal(verdict(["cluster", "port"]), false);
    assert.equal(verdict(["jetstream", "max_file_store"]), false);
    assert.equal(verdict(["jetstream"], "remove"), true);
    assert.equal(verdict(["lame_duck_duration"]), false);
    assert.equal(verdict(["max_payload"], "add"), true);
    assert.equal(verdict(["no_auth_user"], "add"), false);
    assert.equal(verdict(["something_new"], "add"), false);
  });
});

describe("plan: client certificates (tls.verifyClients)", () => {
  const TLS = { ...CLUSTER, tls: { enabled: true } };
  const VERIFY = { ...CLUSTER, tls: { enabled: true, verifyClients: true } };
  const asked = /starts asking every client for a certificate/;

  it("turned on: reloaded in place, and a warning that clients without a certificate are refused at their next connect", () => {
    for (const p of [plan(TLS, VERIFY), buildPlan(renderedSide(TLS), sideOf("new.yaml", VERIFY))]) {
      const c = only(p, "in-place", asked);
      assert.equal(c.severity, "attention");
      assert.deepEqual(c.paths, ['data["nats.conf"].tls.verify']);
      assert.match(text(c), /keeps the connections it has, so nothing fails when you apply/);
      assert.match(text(c), /-s tls:\/\/nats\.nats\.svc:4222 rtt/);
      only(p, "in-place", /hot-reloaded/);
      assert.equal(p.severity, "attention");
    }
  });

  it("turned on together with TLS: the refusals come with the restart TLS needs", () => {
    const c = only(plan(CLUSTER, VERIFY), "in-place", asked);
    assert.match(c.details[0]!, /^TLS comes on at the same time, at each server's restart: every client reconnects then/);
    assert.doesNotMatch(text(c), /nothing fails when you apply/);
  });

  it("turned off, or kept on: no such warning", () => {
    for (const p of [plan(VERIFY, TLS), plan(VERIFY, { ...VERIFY, tls: { ...VERIFY.tls, routes: false } })])
      assert.deepEqual(allChanges(p).filter((c) => asked.test(c.summary)), []);
  });
});

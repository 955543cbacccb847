// The core objects mean what the official chart's objects mean for the guide's three configurations.
// Deliberate differences are asserted too, so that the README's list stays true.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildConf } from "../../src/conf/index.js";
import { isRaw, type ConfBlock } from "../../src/conf/value.js";
import { anchorObjects, parseChartConf, type AnchorObject } from "../support/anchors.js";
import { exampleText } from "../support/examples.js";
import { findObject, render } from "../support/render.js";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pick = (objs: AnchorObject[], kind: string, name: string): Any => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`anchor has no ${kind}/${name}`);
  return o;
};
const byName = (list: Any[] = []) => Object.fromEntries(list.map((x) => [x.name, x]));
const plain = (b: ConfBlock): Any => JSON.parse(JSON.stringify(b, (_k, v) => (isRaw(v) ? v.raw : v)));

for (const scenario of ["dev", "staging", "production"] as const) {
  describe(`conformance with the official chart: ${scenario}`, () => {
    const anchors = anchorObjects(scenario);
    const ours = render(exampleText(scenario));
    const name = ours.model.name;
    assert.equal(name, "nats", "examples use the chart's release name");
    const sts = findObject(ours, "StatefulSet", name) as Any;
    const chartSts = pick(anchors, "StatefulSet", "nats");
    const pod = sts.spec.template.spec;
    const chartPod = chartSts.spec.template.spec;
    const nats = byName(pod.containers)["nats"];
    const chartNats = byName(chartPod.containers)["nats"];

    it("same core objects and names", () => {
      for (const [kind, n] of [["ConfigMap", "nats-config"], ["Service", "nats-headless"], ["Service", "nats"], ["StatefulSet", "nats"], ["PodDisruptionBudget", "nats"]] as const) {
        pick(anchors, kind, n);
        findObject(ours, kind, n);
      }
    });

    it("same replicas, serviceName, selector and pod management", () => {
      assert.equal(sts.spec.replicas, chartSts.spec.replicas);
      assert.equal(sts.spec.serviceName, chartSts.spec.serviceName);
      assert.deepEqual(sts.spec.selector, chartSts.spec.selector);
      assert.equal(sts.spec.podManagementPolicy, chartSts.spec.podManagementPolicy);
    });

    it("same container ports, probes, preStop lame duck and args", () => {
      assert.deepEqual(nats.ports, chartNats.ports);
      for (const p of ["startupProbe", "readinessProbe", "livenessProbe"]) assert.deepEqual(nats[p], chartNats[p], p);
      // The chart's hook only signals; natskube's sends the same signal, then waits for the drain.
      const chartHook = (chartNats.lifecycle?.preStop?.exec?.command ?? []).join(" ");
      const hook = nats.lifecycle?.preStop?.exec?.command ?? [];
      assert.equal(hook[0], "/bin/sh");
      assert.ok(chartHook && hook[2]?.includes(`&& ${chartHook} &&`), `${hook[2]} should run ${chartHook}`);
      assert.deepEqual(nats.args, chartNats.args);
      assert.deepEqual(byName(nats.env)["POD_NAME"], byName(chartNats.env)["POD_NAME"]);
      assert.deepEqual(byName(nats.env)["SERVER_NAME"], byName(chartNats.env)["SERVER_NAME"]);
      assert.equal(pod.terminationGracePeriodSeconds, chartPod.terminationGracePeriodSeconds);
      assert.equal(pod.shareProcessNamespace, chartPod.shareProcessNamespace);
      assert.equal(pod.enableServiceLinks, chartPod.enableServiceLinks);
    });

    it("the reloader watches the same config and pid file", () => {
      const reloader = byName(pod.containers)["reloader"];
      const chartReloader = byName(chartPod.containers)["reloader"];
      assert.equal(reloader.image, chartReloader.image);
      assert.deepEqual(reloader.args.slice(0, 4), chartReloader.args.slice(0, 4));
    });

    it("same Services (ports, headless, publishNotReadyAddresses)", () => {
      const h = findObject(ours, "Service", "nats-headless") as Any;
      const ch = pick(anchors, "Service", "nats-headless");
      assert.deepEqual(h.spec.ports, ch.spec.ports);
      assert.equal(h.spec.clusterIP, ch.spec.clusterIP);
      assert.equal(h.spec.publishNotReadyAddresses, ch.spec.publishNotReadyAddresses);
      const c = findObject(ours, "Service", "nats") as Any;
      assert.deepEqual(c.spec.ports, pick(anchors, "Service", "nats").spec.ports);
      assert.deepEqual(c.spec.selector, pick(anchors, "Service", "nats").spec.selector);
    });

    it("same PodDisruptionBudget", () => {
      assert.deepEqual((findObject(ours, "PodDisruptionBudget", "nats") as Any).spec, pick(anchors, "PodDisruptionBudget", "nats").spec);
    });

    it("nats.conf: same server, lame duck, cluster and routes", () => {
      const conf = plain(buildConf(ours.model));
      const chart = parseChartConf(pick(anchors, "ConfigMap", "nats-config").data["nats.conf"]);
      for (const k of ["port", "http_port", "pid_file", "lame_duck_duration", "lame_duck_grace_period", "server_name"]) assert.deepEqual(conf[k], chart[k], k);
      if (chart["cluster"]) {
        const { routes, name: cname, port, no_advertise } = chart["cluster"] as Any;
        assert.deepEqual(conf["cluster"].routes, routes);
        assert.deepEqual([conf["cluster"].name, conf["cluster"].port, conf["cluster"].no_advertise], [cname, port, no_advertise]);
      } else assert.equal(conf["cluster"], undefined);
      assert.equal(conf["jetstream"] === undefined, chart["jetstream"] === undefined);
      if (conf["jetstream"] && (chart["jetstream"] as Any).store_dir) assert.equal(conf["jetstream"].store_dir, (chart["jetstream"] as Any).store_dir);
    });

    it("deliberate differences (README: How natskube differs from the chart)", () => {
      // Hardened pods, no API token, no chart labels in selectors.
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(chartPod.securityContext, undefined);
      assert.equal(pod.automountServiceAccountToken, false);
      if (ours.model.jetstream.mode === "FILE" && ours.model.jetstream.enabled) {
        const chartJs = parseChartConf(pick(anchors, "ConfigMap", "nats-config").data["nats.conf"])["jetstream"] as Any;
        const conf = plain(buildConf(ours.model));
        // 10% headroom below the PVC size: a formatted volume holds less than its size (nats-io/k8s#717).
        assert.notEqual(conf["jetstream"].max_file_store, chartJs.max_file_store);
        assert.equal(sts.spec.volumeClaimTemplates[0].kind, "PersistentVolumeClaim");
        assert.equal(chartSts.spec.volumeClaimTemplates[0].kind, undefined);
      }
    });
  });
}

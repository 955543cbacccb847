// Monitoring wired into the render: exporter sidecar, PodMonitor or ServiceMonitor + metrics
// Service, PrometheusRule and dashboards (helper-2's renderers), the metricsEndpoint output.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { stackOutputs } from "../../src/outputs.js";
import type { KubeObject } from "../../src/render/index.js";
import { monitoringInput } from "../../src/render/monitoring/index.js";
import { prometheusRule } from "../../src/render/monitoring/prometheus-rule.js";
import { anchorObjects } from "../support/anchors.js";
import { unknownFields, validateWithModels } from "../support/kube.js";
import { delta, diagnosticsOf, findObject, manifest, objectKey as key, render } from "../support/render.js";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const containers = (r: { objects: KubeObject[] }): Any[] => (findObject(r as never, "StatefulSet") as Any).spec.template.spec.containers;
const exporterOf = (r: { objects: KubeObject[] }): Any => containers(r).find((c) => c.name === "prom-exporter") ?? {};
/** Label selection as Kubernetes does it: every matchLabels pair present. */
const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);

const base = render(manifest());
const on = render(manifest({ monitoring: { enabled: true } }));

describe("monitoring off (the default)", () => {
  it("no exporter, no monitoring objects, no metricsEndpoint", () => {
    assert.deepEqual(containers(base).map((c) => c.name), ["nats", "reloader"]);
    assert.equal(base.objects.some((o) => o.apiVersion.startsWith("monitoring.coreos.com")), false);
    assert.equal(stackOutputs(base.model).metricsEndpoint, undefined);
  });
});

describe("monitoring on: defaults + delta", () => {
  it("adds PodMonitor, PrometheusRule and two dashboards after the other objects; only the StatefulSet changes", () => {
    assert.deepEqual(delta(base.objects, on.objects), {
      added: ["PodMonitor/nats", "PrometheusRule/nats-alerts", "ConfigMap/nats-dashboard-server", "ConfigMap/nats-dashboard-jetstream"],
      removed: [],
      changed: ["StatefulSet/nats"],
    });
    const keys = on.objects.map(key);
    assert.equal(keys.indexOf("PodMonitor/nats"), keys.indexOf("Deployment/nats-box") + 1);
    const sts = findObject(on, "StatefulSet") as Any;
    const before = findObject(base, "StatefulSet") as Any;
    assert.deepEqual(sts.spec.template.spec.containers.slice(0, 2), before.spec.template.spec.containers);
  });

  it("the exporter sidecar is the chart's: image, arguments (-jsz=all with JetStream), port prom-metrics 7777", () => {
    const chartSts = anchorObjects("production").find((o) => o.kind === "StatefulSet") as Any;
    const chart = chartSts.spec.template.spec.containers.find((c: Any) => c.name === "prom-exporter");
    const ours = exporterOf(on);
    assert.equal(ours.name, "prom-exporter");
    assert.deepEqual(ours.args, chart.args);
    assert.deepEqual(ours.args, ["-port=7777", "-connz", "-routez", "-subz", "-varz", "-prefix=nats", "-use_internal_server_id", "-jsz=all", "http://localhost:8222/"]);
    assert.equal(ours.image, chart.image);
    assert.deepEqual(ours.ports, chart.ports);
    assert.deepEqual(ours.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    // Sized for -jsz=all at 4000 consumers with two concurrent scrapes (measured: docs/monitoring.md), Go's soft limit at 80 %.
    assert.deepEqual(ours.resources, { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "256Mi" } });
    assert.deepEqual(ours.env, [{ name: "GOMEMLIMIT", value: "204MiB" }]);
  });

  it("the exporter's memory scales with monitoring.expectedConsumers, or with the consumers and streams declared if more", () => {
    const limitOf = (spec: Record<string, unknown>) => {
      const e = exporterOf(render(manifest({ jetstream: { enabled: true }, monitoring: { enabled: true, ...spec } })));
      return [e.resources.limits.memory, e.env[0].value];
    };
    assert.deepEqual(limitOf({ expectedConsumers: 10_000 }), ["544Mi", "435MiB"]);
    assert.deepEqual(limitOf({ expectedConsumers: 500 }), ["96Mi", "76MiB"]);
    const consumers = Array.from({ length: 40 }, (_, i) => ({ durableName: `c${i}` }));
    const streams = Array.from({ length: 30 }, (_, i) => ({ name: `s${i}`, subjects: [`s${i}.>`], consumers }));
    // 30 streams + 1200 consumers declared, more than the 500 expected: 64Mi + 1230 x 48Ki, in 32Mi steps.
    const declared = exporterOf(render(manifest({ jetstream: { enabled: true }, nack: { enabled: true }, streams, monitoring: { enabled: true, expectedConsumers: 500 } })));
    assert.equal(declared.resources.limits.memory, "128Mi");
  });

  it("a pinned exporter image and pull policy come from monitoring.image", () => {
    const r = render(manifest({ monitoring: { enabled: true, image: { repository: "registry.local/exporter", tag: "0.20.1", pullPolicy: "IfNotPresent" } } }));
    assert.equal(exporterOf(r).image, "registry.local/exporter:0.20.1");
    assert.equal(exporterOf(r).imagePullPolicy, "IfNotPresent");
  });

  it("the PodMonitor selects the NATS pods' prom-metrics port (the chart's, plus path, interval and labels)", () => {
    const chart = anchorObjects("production").find((o) => o.kind === "PodMonitor") as Any;
    const pm = findObject(on, "PodMonitor", "nats") as Any;
    assert.deepEqual(pm.spec.selector, chart.spec.selector);
    assert.deepEqual(pm.spec.podMetricsEndpoints, [{ port: "prom-metrics", path: "/metrics" }]);
    assert.ok(exporterOf(on).ports.some((p: Any) => p.name === pm.spec.podMetricsEndpoints[0].port));
    assert.ok(selects(pm.spec.selector.matchLabels, (findObject(on, "StatefulSet") as Any).spec.template.metadata.labels));
    assert.deepEqual(pm.metadata.labels, on.model.labels);
    const r = render(manifest({ monitoring: { enabled: true, interval: "15s", labels: { release: "kube-prometheus-stack" } } }));
    const pm2 = findObject(r, "PodMonitor") as Any;
    assert.equal(pm2.spec.podMetricsEndpoints[0].interval, "15s");
    assert.equal(pm2.metadata.labels.release, "kube-prometheus-stack");
    assert.equal((findObject(r, "PrometheusRule") as Any).metadata.labels.release, "kube-prometheus-stack");
    assert.equal((findObject(r, "ConfigMap", "nats-dashboard-server") as Any).metadata.labels.release, undefined, "dashboards carry the sidecar label, not Prometheus selectors");
  });

  it("no metricsEndpoint with a PodMonitor (no single address serves the metrics)", () => {
    assert.equal(stackOutputs(on.model).metricsEndpoint, undefined);
  });

  it("the PrometheusRule and dashboards are helper-2's renderers fed from the spec", () => {
    const r = render(manifest({ monitoring: { enabled: true, labels: { release: "x" }, alerts: { connectionsRatio: 0.75, storageRatio: 0.6, streamLagMessages: 50 } } }));
    const input = monitoringInput(r.model);
    assert.deepEqual(input.thresholds, { connectionsRatio: 0.75, storageRatio: 0.6, streamLagMessages: 50, slowConsumersWindow: "5m" });
    assert.deepEqual(input.ruleLabels, { release: "x" });
    assert.deepEqual(findObject(r, "PrometheusRule"), prometheusRule(input));
    const exprs = JSON.stringify((findObject(r, "PrometheusRule") as Any).spec.groups);
    assert.match(exprs, /> 0\.75/);
    assert.match(exprs, /> 0\.6/);
    assert.match(exprs, /> 50/);
    const dash = findObject(r, "ConfigMap", "nats-dashboard-server") as Any;
    assert.equal(dash.metadata.labels.grafana_dashboard, "1");
  });

  it("without JetStream: no -jsz, no JetStream dashboard or alert group", () => {
    const r = render(manifest({ jetstream: { enabled: false }, monitoring: { enabled: true } }));
    assert.equal(exporterOf(r).args.includes("-jsz=all"), false);
    assert.equal(r.objects.some((o) => o.metadata.name === "nats-dashboard-jetstream"), false);
    const groups = (findObject(r, "PrometheusRule") as Any).spec.groups.map((g: Any) => g.name);
    assert.deepEqual(groups, ["nats.nats-server", "nats.nats-guide-metric-names"]);
  });

  it("alerts.enabled false and dashboards false leave them out", () => {
    const r = render(manifest({ monitoring: { enabled: true, alerts: { enabled: false }, dashboards: false } }));
    assert.deepEqual(delta(base.objects, r.objects).added, ["PodMonitor/nats"]);
  });
});

describe("monitoring SERVICEMONITOR", () => {
  const r = render(manifest({ monitoring: { enabled: true, scrape: "SERVICEMONITOR", interval: "30s" } }));

  it("a metrics Service and a ServiceMonitor instead of the PodMonitor", () => {
    assert.deepEqual(delta(on.objects, r.objects), {
      added: ["Service/nats-metrics", "ServiceMonitor/nats"],
      removed: ["PodMonitor/nats"],
      changed: [],
    });
    const svc = findObject(r, "Service", "nats-metrics") as Any;
    assert.deepEqual(svc.spec, {
      selector: r.model.selectorLabels,
      ports: [{ name: "prom-metrics", port: 7777, targetPort: "prom-metrics", appProtocol: "http" }],
    });
    const sm = findObject(r, "ServiceMonitor", "nats") as Any;
    assert.deepEqual(sm.spec.endpoints, [{ port: "prom-metrics", path: "/metrics", interval: "30s" }]);
  });

  it("the ServiceMonitor selects the metrics Service and no other Service", () => {
    const sm = findObject(r, "ServiceMonitor", "nats") as Any;
    const services = r.objects.filter((o) => o.kind === "Service");
    assert.deepEqual(services.filter((s) => selects(sm.spec.selector.matchLabels, s.metadata.labels)).map((s) => s.metadata.name), ["nats-metrics"]);
  });

  it("metricsEndpoint is the metrics Service URL", () => {
    assert.equal(stackOutputs(r.model).metricsEndpoint, "http://nats-metrics.nats.svc.cluster.local:7777/metrics");
    const custom = render(manifest({ clusterDomain: "corp.internal", monitoring: { enabled: true, scrape: "SERVICEMONITOR" } }, { name: "bus" }));
    assert.equal(stackOutputs(custom.model).metricsEndpoint, "http://bus-metrics.nats.svc.corp.internal:7777/metrics");
  });
});

describe("schemas", () => {
  const pod = render(manifest({ monitoring: { enabled: true, interval: "1m30s", labels: { release: "kps" } } }));
  const svc = render(manifest({ jetstream: { enabled: false }, monitoring: { enabled: true, scrape: "SERVICEMONITOR" } }));

  it("PodMonitor, ServiceMonitor and PrometheusRule pass @kubernetes-models/prometheus-operator", () => {
    assert.doesNotThrow(() => new PodMonitor(findObject(pod, "PodMonitor") as never).validate());
    assert.doesNotThrow(() => new PrometheusRule(findObject(pod, "PrometheusRule") as never).validate());
    assert.doesNotThrow(() => new ServiceMonitor(findObject(svc, "ServiceMonitor") as never).validate());
    assert.doesNotThrow(() => new PrometheusRule(findObject(svc, "PrometheusRule") as never).validate());
  });

  it("every object of both renders passes the models and has no unknown field", async () => {
    const all = [...pod.objects, ...svc.objects];
    assert.deepEqual(await validateWithModels(all), []);
    assert.deepEqual(unknownFields(all), []);
  });

  it("the validation can fail: a bad interval is caught by the model, and by the spec first", () => {
    const pm = structuredClone(findObject(pod, "PodMonitor")) as Any;
    pm.spec.podMetricsEndpoints[0].interval = "30 seconds";
    assert.throws(() => new PodMonitor(pm as never).validate());
    const d = diagnosticsOf(manifest({ monitoring: { enabled: true, interval: "30 seconds" } })).filter((x) => x.severity === "error");
    assert.deepEqual(d.map((x) => [x.code, x.path]), [["format", "spec.monitoring.interval"]]);
  });
});

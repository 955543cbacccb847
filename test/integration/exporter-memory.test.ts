// The exporter sidecar's memory limit against the real exporter: a rendered single server with
// monitoring boots on loopback and hosts as many consumers as the default sizing promises
// (EXPORTER_SIZING.defaultConsumers); prometheus-nats-exporter runs with the sidecar's rendered
// arguments and environment (GOMEMLIMIT), and two scrapers (a Prometheus HA pair) read it at the
// same time, several rounds. The process's peak resident memory (VmHWM, what the memory cgroup
// charges) must stay under the rendered limit, or the kubelet would OOM-kill the sidecar mid-scrape.
// The figures go to the test's diagnostics (docs/monitoring.md records them).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { AckPolicy, jetstreamManager, StorageType } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { IContainer } from "kubernetes-models/v1/Container";
import { EXPORTER_SIZING } from "../../src/model/exporter-sizing.js";
import { PORTS } from "../../src/model/model.js";
import { EXPORTER_CONTAINER } from "../../src/render/pod/exporter-container.js";
import { parseQuantity } from "../../src/spec/quantity.js";
import { podEnv } from "../../src/verify/pod-env.js";
import { bootPods, defer, tempDir } from "../support/local.js";
import { pollUntil, startProcess, StopPolling } from "../support/processes.js";
import { manifest } from "../support/render.js";
import { natsServerBin, toolPath } from "../support/tools.js";

const HOST = "127.0.12.2";
const STREAMS = 100;
const ROUNDS = 4;
const SCRAPERS = 2;

/** The sidecar's rendered args with the pod's localhost and listener moved to this test's loopback address. */
function argsOnLoopback(args: readonly string[]): string[] {
  return [`-addr=${HOST}`, ...args.map((a) => (a === `http://localhost:${PORTS.monitor}/` ? `http://${HOST}:${PORTS.monitor}/` : a))];
}

function peakRssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmHWM:"));
  const kb = Number(/(\d+)\s*kB/.exec(line ?? "")?.[1]);
  assert.ok(kb > 0, `no VmHWM for ${pid}`);
  return kb * 1024;
}

describe("the exporter sidecar fits -jsz=all at the consumers it is sized for", { timeout: 180_000 }, () => {
  it(`${EXPORTER_SIZING.defaultConsumers} consumers, ${SCRAPERS} concurrent scrapes: peak memory under the rendered limit`, async (t) => {
    const text = manifest({ replicas: 1, jetstream: { enabled: true, persistence: { mode: "FILE", size: "1Gi" } }, monitoring: { enabled: true } });
    const { plan } = await bootPods(t, text, { bin: natsServerBin(), firstAddress: HOST });
    const sts = plan.objects.find((o) => o.kind === "StatefulSet") as unknown as { spec: { template: { spec: { containers: IContainer[] } } } };
    const exporter = sts.spec.template.spec.containers.find((c) => c.name === EXPORTER_CONTAINER)!;
    const limit = parseQuantity(String(exporter.resources?.limits?.["memory"]))!;
    // The sidecar's environment as the kubelet gives it, from its rendered env (verify's pod-env.ts).
    const env = podEnv(exporter, { podName: plan.model.pods[0]!, namespace: plan.model.namespace, podIp: HOST, secrets: plan.secrets, objects: plan.objects });
    assert.ok(env["GOMEMLIMIT"], "the sidecar sets GOMEMLIMIT");

    const nc = await connect({ servers: `nats://${HOST}:${PORTS.client}`, timeout: 5000 });
    defer(t, () => nc.close());
    const jsm = await jetstreamManager(nc, { timeout: 20_000 });
    const perStream = Math.ceil(EXPORTER_SIZING.defaultConsumers / STREAMS);
    const started = Date.now();
    for (let s = 0; s < STREAMS; s++) {
      await jsm.streams.add({ name: `S${s}`, subjects: [`s${s}.>`], storage: StorageType.File });
      // Realistic durable names and filters: the series' label values are what the exporter holds in memory.
      const adds = Array.from({ length: perStream }, (_, c) =>
        jsm.consumers.add(`S${s}`, { durable_name: `orders-projection-worker-${c}`, ack_policy: AckPolicy.Explicit, filter_subject: `s${s}.${c}` }),
      );
      await Promise.all(adds);
    }
    const consumers = STREAMS * perStream;
    t.diagnostic(`created ${consumers} consumers on ${STREAMS} streams in ${Date.now() - started} ms`);

    const proc = startProcess("prometheus-nats-exporter", toolPath("prometheus-nats-exporter"), argsOnLoopback(exporter.args ?? []), { cwd: tempDir(t, "natskube-exporter-"), env });
    defer(t, () => proc.stop());
    const metricsUrl = `http://${HOST}:${PORTS.metrics}/metrics`;
    await pollUntil("the exporter's /metrics", 30_000, async () => {
      if (!proc.running) throw new StopPolling(`the exporter exited: ${proc.logs()}`);
      const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(20_000) }).catch((e: Error) => e);
      return res instanceof Response && res.ok ? true : { retry: res instanceof Response ? `HTTP ${res.status}` : res.message };
    });

    let bytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const bodies = await Promise.all(Array.from({ length: SCRAPERS }, () => fetch(metricsUrl, { signal: AbortSignal.timeout(30_000) }).then((res) => res.text())));
      for (const body of bodies) {
        // Every consumer is in the scrape (nats_consumer_* series carry consumer_name), so the load is real.
        const names = new Set([...body.matchAll(/^nats_consumer_num_pending\{[^}]*consumer_name="([^"]+)"[^}]*stream_name="([^"]+)"/gm)].map((m) => `${m[2]}/${m[1]}`));
        assert.equal(names.size, consumers, "every consumer is exported");
        bytes = body.length;
      }
    }
    assert.ok(proc.running, `the exporter is still running: ${proc.logs()}`);
    const peak = peakRssBytes(proc.pid!);
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    t.diagnostic(`exporter peak RSS ${mib(peak)} with GOMEMLIMIT=${env["GOMEMLIMIT"]}, limit ${exporter.resources?.limits?.["memory"]}; one scrape ${mib(bytes)}`);
    assert.ok(peak < limit, `peak ${mib(peak)} must stay under the rendered limit ${mib(limit)}`);
  });
});

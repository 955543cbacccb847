// The kubelet's part for loopback servers that stand for a StatefulSet's kwok pods (which run no
// containers): the moment a pod is deleted (or being deleted), its server gets the rendered preStop
// (lame duck) and SIGTERM, within the pod's grace period.
import { execFile } from "node:child_process";
import type { TestContext } from "node:test";
import type { LocalCluster } from "../../src/verify/local-cluster.js";
import type { LocalPlan } from "../../src/verify/local-plan.js";
import { KUBECONFIG, KUBECTL } from "./control-plane.js";
import { defer } from "./local.js";

/** `kubectl get pods` without blocking the event loop (the servers' clients and the bridge run meanwhile). */
export const podsIn = (ns: string): Promise<{ name: string; deleting: boolean }[]> =>
  new Promise((done, fail) =>
    execFile(KUBECTL, ["--kubeconfig", KUBECONFIG, "--request-timeout=10s", "get", "pods", "-n", ns, "-o", "json"], { encoding: "utf8" }, (err, stdout) => {
      if (err) return fail(err);
      const items = (JSON.parse(stdout) as { items: { metadata: { name: string; deletionTimestamp?: string } }[] }).items;
      done(items.map((p) => ({ name: p.metadata.name, deleting: p.metadata.deletionTimestamp !== undefined })));
    }),
  );

/** Runs until the test ends (then waits for every stop it started). */
export function kubeletBridge(t: TestContext, ns: string, plan: LocalPlan, cluster: LocalCluster): void {
  const stopped = new Map<string, Promise<unknown>>();
  let bridging = true;
  const bridge = (async () => {
    while (bridging) {
      const live = await podsIn(ns).catch(() => undefined);
      if (live)
        for (const s of plan.servers) {
          const p = live.find((x) => x.name === s.pod);
          if ((!p || p.deleting) && !stopped.has(s.pod)) {
            t.diagnostic(`bridge: pod ${s.pod} ${p ? "terminating" : "gone"}: preStop (lame duck), then SIGTERM`);
            stopped.set(s.pod, cluster.terminatePod(s.pod, { ...(plan.preStop ? { preStop: plan.preStop } : {}), graceMs: plan.terminationGraceSeconds * 1000 }));
          }
        }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  defer(t, async () => {
    bridging = false;
    await bridge;
    await Promise.allSettled(stopped.values());
  });
}

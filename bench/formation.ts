// (c) Cluster formation: process start to an elected JetStream meta leader (1 server: to a healthy
// JetStream), for 1, 3 and 5 servers on one version of the matrix of the production configuration (TLS routes, token auth).
import { median, ms, type Row } from "./stats.js";
import { boot, prepareProduction } from "./local.js";

const REPEATS = 5;

export async function benchFormation(root: string, bin: string, version: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of [1, 3, 5]) {
    const prepared = await prepareProduction(root, n);
    const times: number[] = [];
    try {
      for (let i = 0; i < REPEATS; i++) {
        const t = performance.now();
        const cluster = await boot(bin, prepared.specs, prepared.dir);
        try {
          if (n > 1) await cluster.waitMetaLeader(30_000);
          else await cluster.waitHealthy(30_000);
          times.push(performance.now() - t);
        } finally {
          await cluster.stop();
        }
      }
    } finally {
      prepared.cleanup();
    }
    rows.push({
      benchmark: `cluster formation, ${n} server${n > 1 ? "s" : ""}, nats-server ${version}`,
      result: ms(median(times), 0),
      notes: `median of ${REPEATS}, start to ${n > 1 ? "meta leader agreed by all" : "/healthz 200"} (50 ms polling); range ${ms(Math.min(...times), 0)}-${ms(Math.max(...times), 0)}`,
    });
  }
  return rows;
}

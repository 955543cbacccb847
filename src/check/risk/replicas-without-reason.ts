import { ANNOTATIONS, defineRule } from "../risk-rule.js";

export const MAX_PLAIN_REPLICAS = 5;

export const replicasWithoutReason = defineRule({
  id: "replicas-without-reason",
  severity: "warning",
  path: ["spec", "replicas"],
  title: `More than ${MAX_PLAIN_REPLICAS} servers without a stated reason`,
  why:
    "Every server joins the JetStream meta group, so each one adds RAFT traffic and election work, and streams hold at most " +
    "5 replicas anyway. Beyond 5 servers a cluster usually gets slower to agree, not safer; large deployments are built " +
    "from several clusters joined by gateways. A bigger cluster can be right (many client connections), so say why.",
  fix: `Use 3 or 5 servers, or record the reason in the annotation ${ANNOTATIONS.replicasReason}.`,
  examples: {
    fail: { spec: { replicas: 7 } },
    pass: { spec: { replicas: 7 }, metadata: { annotations: { [ANNOTATIONS.replicasReason]: "40k client connections per region" } } },
  },
  check({ spec, annotations }) {
    if (spec.replicas <= MAX_PLAIN_REPLICAS || (annotations[ANNOTATIONS.replicasReason] ?? "").trim() !== "") return [];
    return [
      {
        message: `${spec.replicas} servers all join the JetStream meta group (more RAFT traffic, slower elections), while streams replicate to at most 5`,
        fix: `Use 5 servers, or add the annotation ${ANNOTATIONS.replicasReason}: "<why>" to metadata.annotations.`,
      },
    ];
  },
});

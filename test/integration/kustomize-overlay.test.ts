import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { cli } from "../support/cli.js";

type Obj = { kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string>; spec?: Record<string, unknown> };
const kustomize = (dir: string) =>
  parseAllDocuments(execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", timeout: 30_000 })).map((d) => d.toJS() as Obj);

let tmp = "";
before(() => {
  tmp = mkdtempSync(join(tmpdir(), "natskube-kustomize-"));
  const r = cli(["render", "examples/production.yaml", "--out", join(tmp, "base")]);
  assert.equal(r.code, 0, r.stderr);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe("kubectl kustomize over render --out", () => {
  it("builds the objects in natskube's apply order (sortOptions fifo), not kustomize's kind order", () => {
    const stream = parseAllDocuments(cli(["render", "examples/production.yaml"]).stdout).map((d) => d.toJS() as Obj);
    assert.deepEqual(kustomize(join(tmp, "base")).map((o) => `${o.kind}/${o.metadata.name}`), stream.map((o) => `${o.kind}/${o.metadata.name}`));
  });

  // The claim kustomization.yaml's header and docs/kustomize.md make: kustomize moves metadata, not the
  // strings natskube derives from the namespace and the replica count. If this test starts failing because
  // the strings follow, the header and the docs are wrong and should say an overlay works.
  it("an overlay's namespace: and replicas patch leave routes, the Certificate, NACK, alerts and nats-box on the old values", () => {
    const overlay = join(tmp, "overlay");
    mkdirSync(overlay);
    writeFileSync(
      join(overlay, "kustomization.yaml"),
      `namespace: messaging-prod
resources: [../base]
patches:
  - target: {kind: StatefulSet, name: nats}
    patch: '[{"op":"replace","path":"/spec/replicas","value":5}]'
`,
    );
    const objs = kustomize(overlay);
    const find = (kind: string) => objs.find((o) => o.kind === kind)!;
    assert.ok(objs.every((o) => o.metadata.namespace === "messaging-prod"), "kustomize moved every object");
    assert.equal(find("StatefulSet").spec!["replicas"], 5);
    const conf = objs.find((o) => o.kind === "ConfigMap" && o.data?.["nats.conf"])!.data!["nats.conf"]!;
    assert.equal([...conf.matchAll(/"tls:\/\/nats-\d\.nats-headless:6222"/g)].length, 3, "still 3 routes for 5 servers");
    const dnsNames = find("Certificate").spec!["dnsNames"] as string[];
    assert.ok(dnsNames.includes("nats.nats.svc") && !dnsNames.some((n) => n.includes("messaging-prod")), "certificate names the old namespace");
    const nack = objs.find((o) => o.kind === "Deployment" && o.metadata.name === "nats-nack")!;
    assert.match(JSON.stringify(nack.spec), /--namespace=nats\b/, "NACK watches the old namespace");
    assert.match(JSON.stringify(find("PrometheusRule").spec), /namespace=\\"nats\\"/, "alerts select the old namespace");
    const contexts = objs.find((o) => o.kind === "Secret" && o.metadata.name === "nats-box-contexts")!;
    assert.match(JSON.stringify(contexts), /nats\.nats\.svc/, "nats-box connects to the old namespace");
  });
});

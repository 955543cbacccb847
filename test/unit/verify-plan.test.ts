// The pure parts of `natskube verify`: how the local run is derived from the render (no processes).
import assert from "node:assert/strict";
import { test } from "node:test";
import { subjectMatches, wrongCredentials } from "../../src/verify/auth-checks.js";
import { declaredResources } from "../../src/verify/jetstream-resources.js";
import { buildLocalPlan, loopbackAddresses } from "../../src/verify/local-plan.js";
import { expand, podEnv } from "../../src/verify/pod-env.js";
import { SecretValues, throwawaySecret } from "../../src/verify/secret-values.js";
import { compareVersions } from "../../src/verify/server-version.js";
import { parseText } from "../../src/pipeline.js";
import { exampleText } from "../support/examples.js";
import { manifest } from "../support/render.js";

function planOf(text: string, firstAddress?: string) {
  const parsed = parseText(text, "test.yaml").parsed[0];
  assert.ok(parsed?.resource, "invalid manifest");
  return buildLocalPlan(parsed, firstAddress ? { firstAddress } : {});
}

test("loopback addresses: consecutive from the first, never outside 127.x.y.1-254", () => {
  assert.deepEqual(loopbackAddresses(3), ["127.0.0.2", "127.0.0.3", "127.0.0.4"]);
  assert.deepEqual(loopbackAddresses(2, "127.0.2.10"), ["127.0.2.10", "127.0.2.11"]);
  assert.throws(() => loopbackAddresses(5, "127.0.0.252"), /within 127\.x\.y\.1-254/);
  assert.throws(() => loopbackAddresses(1, "10.0.0.2"), /within 127/);
});

test("$(VAR) expansion follows the kubelet: earlier variables only, $$ escapes", () => {
  assert.equal(expand("$(POD_NAME)", { POD_NAME: "nats-1" }), "nats-1");
  assert.equal(expand("$(LATER)-x", {}), "$(LATER)-x");
  assert.equal(expand("$$(POD_NAME)", { POD_NAME: "nats-1" }), "$(POD_NAME)");
});

test("pod env: fieldRef, secretKeyRef (one throwaway value for every pod), literal values", () => {
  const secrets = new SecretValues([]);
  const container = {
    name: "nats",
    env: [
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "SERVER_NAME", value: "$(POD_NAME)" },
      { name: "NATS_TOKEN", valueFrom: { secretKeyRef: { name: "nats-auth", key: "token" } } },
    ],
  };
  const a = podEnv(container, { podName: "nats-0", namespace: "ns", podIp: "127.0.0.2", secrets, objects: [] });
  const b = podEnv(container, { podName: "nats-1", namespace: "ns", podIp: "127.0.0.3", secrets, objects: [] });
  assert.equal(a["SERVER_NAME"], "nats-0");
  assert.equal(b["SERVER_NAME"], "nats-1");
  assert.equal(a["NATS_TOKEN"], b["NATS_TOKEN"]);
  assert.match(a["NATS_TOKEN"]!, /^[A-Za-z][A-Za-z0-9]{31}$/);
  assert.deepEqual(secrets.all(), [a["NATS_TOKEN"]]);
  assert.throws(() => podEnv({ name: "x", env: [{ name: "N", valueFrom: { fieldRef: { fieldPath: "metadata.uid" } } }] }, { podName: "p", namespace: "n", podIp: "127.0.0.2", secrets, objects: [] }), /metadata\.uid is not supported/);
});

test("given Secret values: used for keys the render does not hold, never over a rendered Secret; the pods read them", () => {
  const rendered = [{ apiVersion: "v1", kind: "Secret", metadata: { name: "gen" }, stringData: { k: "fromRender" } }];
  const secrets = new SecretValues(rendered as never, { "gen/k": "given", "auth/token": "Tok3n" });
  assert.equal(secrets.get("gen", "k"), "fromRender");
  assert.equal(secrets.get("auth", "token"), "Tok3n");
  assert.match(secrets.get("auth", "other"), /^[A-Za-z][A-Za-z0-9]+$/);
  const parsed = parseText(manifest({ replicas: 2, auth: { enabled: true, mode: "TOKEN" } }), "test.yaml").parsed[0]!;
  const plan = buildLocalPlan(parsed, { secretValues: { "nats-auth/token": "Tok3n" } });
  assert.deepEqual(plan.auth, { mode: "token", token: "Tok3n" });
  assert.deepEqual(plan.servers.map((s) => s.env["NATS_TOKEN"]), ["Tok3n", "Tok3n"]);
});

test("throwaway secrets are tokens nats-server reads as strings", () => {
  for (let i = 0; i < 200; i++) assert.match(throwawaySecret(), /^[A-Za-z][A-Za-z0-9]+$/);
});

test("production plan: same nats.conf for every server, pod env from the StatefulSet, TLS files from the volume", () => {
  const p = planOf(exampleText("production"), "127.0.5.2");
  assert.deepEqual(p.servers.map((s) => [s.pod, s.host, s.clientUrl]), [
    ["nats-0", "127.0.5.2", "tls://127.0.5.2:4222"],
    ["nats-1", "127.0.5.3", "tls://127.0.5.3:4222"],
    ["nats-2", "127.0.5.4", "tls://127.0.5.4:4222"],
  ]);
  assert.match(p.confText, /host: \$POD_IP/);
  assert.match(p.confText, /"tls:\/\/127\.0\.5\.3:6222"/);
  const env = p.servers[1]!.env;
  assert.equal(env["POD_NAME"], "nats-1");
  assert.equal(env["SERVER_NAME"], "nats-1");
  assert.equal(env["POD_IP"], "127.0.5.3");
  assert.equal(p.auth.mode, "token");
  assert.equal(p.auth.mode === "token" && p.auth.token, env["NATS_TOKEN"]);
  assert.deepEqual(p.tls?.files, { "certs/tls.crt": "cert", "certs/tls.key": "key", "certs/ca.crt": "ca" });
  assert.ok(p.tls?.dnsNames.includes("nats.nats.svc.cluster.local"), p.tls?.dnsNames.join(", "));
  assert.equal(p.tls?.routes, true);
  assert.deepEqual(p.preStop?.slice(0, 2), ["/bin/sh", "-c"]);
  assert.match(p.preStop?.[2] ?? "", /^pid=`cat \.\/nats\.pid` && nats-server -sl=ldm=\.\/nats\.pid && for i in `seq 55`; do kill -0 "\$pid"/);
  assert.equal(p.readinessPath, "/healthz?js-server-only=true");
  assert.equal(p.terminationGraceSeconds, 60);
  // Nothing secret in what is written to disk as configuration.
  for (const s of p.secrets.all()) assert.ok(!p.confText.includes(s));
});

test("declared JetStream resources carry natskube's defaults when no NACK resources are rendered", () => {
  const p = planOf(manifest({ replicas: 3, streams: [{ name: "ORDERS", subjects: ["orders.>"], consumers: [{ durableName: "ship" }] }], nack: { enabled: true } }));
  const { items } = declaredResources(p.model, p.objects.filter((o) => !o.apiVersion.startsWith("jetstream.nats.io/")));
  assert.deepEqual(items.map((i) => [i.kind, i.name]), [["Stream", "ORDERS"], ["Consumer", "ship"]]);
  assert.equal(items[0]!.spec["replicas"], 3);
  assert.equal(items[0]!.spec["storage"], "file");
  assert.equal(items[1]!.spec["streamName"], "ORDERS");
  assert.equal(items[1]!.spec["ackPolicy"], "explicit");
});

test("subject matching for the no-auth user's permissions; wrong credentials differ from the right ones", () => {
  assert.ok(subjectMatches("public.>", "public.a.b"));
  assert.ok(!subjectMatches("public.>", "public"));
  assert.ok(subjectMatches("a.*.c", "a.b.c"));
  assert.ok(!subjectMatches("a.*", "a.b.c"));
  assert.ok(subjectMatches(">", "anything.at.all"));
  assert.deepEqual(wrongCredentials({ mode: "token", token: "abc" }), { mode: "token", token: "abcx" });
  assert.deepEqual(wrongCredentials({ mode: "user", user: "u", pass: "p" }), { mode: "user", user: "u", pass: "px" });
});

test("version comparison: patch levels, image variants, unparsable tags count as newest", () => {
  assert.equal(compareVersions("2.9.10", "2.14.2-alpine"), -1);
  assert.equal(compareVersions("2.10.0", "2.9.25"), 1);
  assert.equal(compareVersions("2.9.10", "v2.9.10"), 0);
  assert.equal(compareVersions("2.9.10", "latest"), -1);
});

// Declared users and accounts, proven on the real nats-server (issue 12): the rendered cluster passes
// verify's checks of every password, permission, account boundary and the system account; a JetStream
// user fenced off $JS.API.> fails as the lint rule says; NACK's Account signs in as nack.user and creates the
// resources in its account; and what validation refuses, the server refuses.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { parse } from "yaml";
import { checkConfig } from "../../src/verify/local-cluster.js";
import type { VerifyReport } from "../../src/verify/report.js";
import { verify } from "../../src/verify/verify.js";
import { ROOT } from "../support/cli.js";
import { bootPods, defer, tempDir } from "../support/local.js";
import { diagnosticsOf, manifest } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";

const bin = natsServerBin();
// Its own loopback range: no other file's servers share these addresses.
const OPTS = { firstAddress: "127.0.22.2", timeoutSeconds: 20 };
const fixture = (name: string) => join(ROOT, "test", "fixtures", "users", `${name}.yaml`);

/** The accounts fixture's auth, as written. */
const ACCOUNTS_FIXTURE_AUTH = () => (parse(readFileSync(fixture("accounts"), "utf8")) as { spec: { auth: Record<string, unknown> } }).spec.auth;
const failedChecks = (r: VerifyReport) => r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
const detail = (r: VerifyReport, name: string) => r.checks.find((c) => c.name === name)?.detail ?? `no check "${name}" in ${r.checks.map((c) => c.name).join(" | ")}`;

describe("declared users and accounts on the real server", () => {
  it("flat users: every password, both users' permissions, the anonymous user, JetStream and the system account", { timeout: 60_000 }, async () => {
    const r = await verify(fixture("users"), OPTS);
    assert.ok(r.ok, failedChecks(r).join("\n") + (r.error ?? ""));
    assert.match(detail(r, "auth: every declared user signs in"), /orders-service, auditor signed in/);
    assert.match(detail(r, "auth: permissions of orders-service"), /publish to \S+ refused; subscribe to \S+ refused/);
    // auditor is denied every publish, and clients without credentials become auditor.
    assert.match(detail(r, "auth: clients without credentials become auditor"), /publish to natskube refused/);
    assert.match(detail(r, "JetStream as orders-service"), /orders-service created stream NATSKUBE_VERIFY_\w+ and stored a message in it/);
    assert.match(detail(r, "auth: system account reaches every server"), /nats-0, nats-1, nats-2 answered/);
    // Allowed subjects work too: a publish inside orders.> reaches orders-service's own subscription.
    assert.match(detail(r, "auth: permissions of orders-service"), /orders\.natskube\.verify\.allowed\.\w+ delivered/);
    // The checks' subjects stayed inside orders-service's permissions (orders.>), or pub/sub would have been refused.
    assert.ok(r.checks.find((c) => c.name === "publish/subscribe across servers")?.ok);
    const text = JSON.stringify(r);
    assert.ok(!/NATS_PASSWORD_[A-Z_]+=/.test(text));
  });

  it("accounts: isolated from each other, JetStream only where enabled", { timeout: 60_000 }, async () => {
    const r = await verify(fixture("accounts"), OPTS);
    assert.ok(r.ok, failedChecks(r).join("\n") + (r.error ?? ""));
    assert.match(detail(r, "auth: accounts team-a and team-b isolated"), /account team-a received its own message, not account team-b's/);
    assert.match(detail(r, "auth: no JetStream in account team-b"), /JetStream not enabled for account/);
    assert.match(detail(r, "JetStream as svc-a"), /svc-a created stream/);
    assert.match(detail(r, "auth: client without credentials refused"), /Authorization Violation/);
    // nack.user in an account without JetStream is refused with the words the server just answered.
    const nackInTeamB = diagnosticsOf(manifest({ jetstream: { enabled: true }, auth: ACCOUNTS_FIXTURE_AUTH(), nack: { user: "svc-b" }, streams: [{ name: "S", subjects: ["s.>"] }] }));
    assert.ok(nackInTeamB.some((d) => d.severity === "error" && d.path === "spec.nack.user" && d.message.includes("JetStream not enabled for account")), nackInTeamB.map((d) => d.message).join("\n"));
  });

  it("NACK beside accounts: its Account signs in as nack.user with the Secret's keys and creates every resource in that user's account", { timeout: 60_000 }, async () => {
    const r = await verify(fixture("nack"), OPTS);
    assert.ok(r.ok, failedChecks(r).join("\n") + (r.error ?? ""));
    assert.equal(detail(r, "NACK's Account signs in as nack"), "with the keys of its Secret (nack-user, nack)");
    for (const name of ["stream ORDERS", "consumer ORDERS/ship", "key-value bucket carts", "object store receipts"]) assert.match(detail(r, name), /R3[;,] .*leader nats-\d/);
    // orders' subjects are ORDERS' (created by NACK's user in the same account): it stores there.
    assert.match(detail(r, "JetStream as orders"), /orders stored a message in the account's stream ORDERS/);
    assert.match(detail(r, "auth: accounts apps and billing isolated"), /account apps received its own message, not account billing's/);
  });

  it("a JetStream user without $JS.API.> in its publish allow list gets no JetStream, as jetstream-fenced-user warns", { timeout: 60_000 }, async (t) => {
    // verify signs in as the first declared user, as Planton's end-to-end check: what it may not do is noted, not checked.
    const r = await verify(fixture("fenced"), OPTS);
    assert.ok(r.ok, failedChecks(r).join("\n"));
    assert.ok(r.notes.some((n) => /JetStream as orders-service not checked: its permissions exclude \$JS\.API\.>/.test(n)), r.notes.join("\n"));
    assert.ok(r.notes.some((n) => /request\/reply not checked: orders-service may not answer requests/.test(n)), r.notes.join("\n"));
    // The fence itself, on the real server: the JetStream API never answers orders-service.
    await bootPods(t, readFileSync(fixture("fenced"), "utf8"), { bin, firstAddress: "127.0.22.20", secretEnv: { NATS_PASSWORD_ORDERS_SERVICE: "FencedPasswordLetters" } });
    const nc = await connect({ servers: "nats://127.0.22.20:4222", user: "orders-service", pass: "FencedPasswordLetters", timeout: 3000, reconnect: false });
    defer(t, () => nc.close());
    const jsm = await jetstreamManager(nc, { timeout: 2000, checkAPI: false });
    await assert.rejects(jsm.getAccountInfo(), /timeout|permission/i);
  });
});

describe("what validation refuses about users, the server refuses too (nats-server -t)", () => {
  // start: the server checks it only when it starts (`-t` parses the file and passes it).
  const cases: { name: string; conf: string; server: RegExp; spec: Record<string, unknown>; rule: RegExp; start?: boolean }[] = [
    {
      name: "a token beside users",
      conf: 'authorization { token: "abc", users: [{user: a, password: b}] }',
      server: /token and a users array/i,
      spec: { enabled: true, mode: "TOKEN", users: [{ name: "a" }] },
      rule: /mode TOKEN cannot have users/,
    },
    {
      name: "a token beside accounts",
      conf: 'authorization { token: "abc" }\naccounts { A { users: [{user: a, password: b}] } }',
      // Go's map order decides which the server reads first, so either refusal can come (seen both on 2.11.17).
      server: /token and (accounts|a users array)/i,
      spec: { enabled: true, mode: "TOKEN", accounts: [{ name: "A", users: [{ name: "a" }] }] },
      rule: /mode TOKEN cannot have accounts/,
    },
    {
      name: "a user declared twice",
      conf: "accounts { A { users: [{user: a, password: b}] }, B { users: [{user: a, password: c}] } }",
      server: /duplicate user/i,
      spec: { enabled: true, accounts: [{ name: "A", users: [{ name: "a" }] }, { name: "B", users: [{ name: "a" }] }] },
      rule: /user "a" is declared twice/,
    },
    {
      name: "no_auth_user not declared",
      conf: 'authorization { users: [{user: a, password: b}] }\nno_auth_user: "x"',
      server: /no_auth_user.*not present as user/i,
      start: true,
      spec: { enabled: true, users: [{ name: "a" }], noAuthUser: "x" },
      rule: /noAuthUser "x" is not a declared user/,
    },
  ];
  for (const c of cases)
    it(c.name, async (t: TestContext) => {
      const dir = tempDir(t, "natskube-users-");
      writeFileSync(join(dir, "nats.conf"), `${c.start ? "listen: 127.0.22.40:-1\n" : ""}${c.conf}\n`);
      const check = c.start ? await startOnce(join(dir, "nats.conf")) : await checkConfig(bin, join(dir, "nats.conf"));
      assert.equal(check.ok, false, `nats-server accepted: ${c.conf}`);
      assert.match(check.message, c.server);
      const errors = diagnosticsOf(manifest({ auth: c.spec })).filter((d) => d.severity === "error");
      assert.ok(errors.some((d) => c.rule.test(d.message)), errors.map((d) => d.message).join("\n"));
    });
});

/** Starts the server on `conf`; it must exit on its own within 5 s (a server that keeps running accepted it). */
function startOnce(conf: string): Promise<{ ok: boolean; message: string }> {
  return new Promise((done) =>
    execFile(bin, ["-c", conf], { timeout: 5000 }, (err, stdout, stderr) => done({ ok: !err || err.killed === true, message: `${stderr}${stdout}` })),
  );
}

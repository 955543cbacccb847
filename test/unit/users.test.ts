import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { passwordEnvNames } from "../../src/model/auth.js";
import { stackOutputs } from "../../src/outputs.js";
import { natsBoxEnv } from "../../src/render/nats-box.js";
import { generatedSecrets, requiredSecrets } from "../../src/render/secrets.js";
import { checkPrefix } from "../../src/verify/subjects-for.js";
import { diagnosticsOf, findObject, manifest, natsConfOf, render } from "../support/render.js";

const USERS = {
  enabled: true,
  users: [
    { name: "orders-service", permissions: { publish: { allow: ["orders.>", "$JS.API.>"], deny: ["orders.admin.>"] }, subscribe: { allow: ["orders.>", "_INBOX.>"] }, allowResponses: true } },
    { name: "auditor", passwordKey: "auditor-pw", permissions: { publish: { deny: [">"] }, allowResponses: { maxMsgs: 2, expires: "1m" } } },
  ],
  noAuthUser: "auditor",
};
const ACCOUNTS = {
  enabled: true,
  accounts: [
    { name: "team-a", jetstream: true, users: [{ name: "svc-a" }] },
    { name: "team-b", users: [{ name: "svc-b" }, { name: "svc.b" }] },
  ],
};

const errorsOf = (spec: Record<string, unknown>) => diagnosticsOf(manifest(spec)).filter((d) => d.severity === "error");
const serverEnv = (spec: Record<string, unknown>) => {
  const sts = findObject(render(manifest(spec)), "StatefulSet") as IStatefulSet;
  return sts.spec!.template.spec!.containers[0]!.env!.filter((e) => e.valueFrom?.secretKeyRef).map((e) => `${e.name}=${e.valueFrom!.secretKeyRef!.name}/${e.valueFrom!.secretKeyRef!.key}`);
};

describe("declared users and accounts: nats.conf", () => {
  it("flat users: authorization users with permissions, no_auth_user, and the system account beside them", () => {
    const conf = natsConfOf(render(manifest({ jetstream: { enabled: true }, auth: USERS })));
    assert.match(conf, /authorization \{\n {2}users: \[\n {4}\{\n {6}user: "orders-service"\n {6}password: \$NATS_PASSWORD_ORDERS_SERVICE\n/);
    assert.match(conf, /publish \{\n\s+allow: \[\n\s+"orders\.>"\n\s+"\$JS\.API\.>"\n\s+\]\n\s+deny: \[\n\s+"orders\.admin\.>"\n\s+\]/);
    assert.match(conf, /allow_responses: true/);
    assert.match(conf, /allow_responses \{\n\s+max: 2\n\s+expires: "1m"\n\s+\}/);
    assert.match(conf, /accounts \{\n {2}SYS \{\n {4}users: \[\n {6}\{\n {8}user: "natskube-system"\n {8}password: \$NATS_SYSTEM_PASSWORD\n/);
    assert.match(conf, /system_account: "SYS"\nno_auth_user: "auditor"\n/);
    assert.ok(!/token/.test(conf));
  });

  it("accounts: one block each, jetstream only where enabled, the system account last", () => {
    const conf = natsConfOf(render(manifest({ jetstream: { enabled: true }, auth: ACCOUNTS })));
    assert.match(conf, /accounts \{\n {2}"team-a" \{\n {4}jetstream: "enabled"\n {4}users: \[/);
    assert.match(conf, /"team-b" \{\n {4}users: \[/);
    assert.ok(conf.indexOf('"team-b"') < conf.indexOf("SYS {"));
    assert.ok(!/authorization/.test(conf));
  });

  it("auth.systemAccount.enabled: false leaves it out; the shared BASIC user may opt in", () => {
    assert.ok(!/system_account/.test(natsConfOf(render(manifest({ auth: { ...USERS, systemAccount: { enabled: false } } })))));
    assert.ok(!/system_account/.test(natsConfOf(render(manifest({ auth: { enabled: true, mode: "BASIC" } })))));
    const shared = natsConfOf(render(manifest({ auth: { enabled: true, mode: "BASIC", systemAccount: { enabled: true } } })));
    assert.match(shared, /authorization \{\n {2}users: \[\n {4}\{\n {6}user: \$NATS_USER\n/);
    assert.match(shared, /system_account: "SYS"/);
  });
});

describe("declared users: Secrets and environment", () => {
  it("one env var per user, named after it, from its key of the auth Secret; the system password from its own Secret", () => {
    assert.deepEqual(serverEnv({ auth: USERS }), [
      "NATS_PASSWORD_ORDERS_SERVICE=nats-auth/orders-service",
      "NATS_PASSWORD_AUDITOR=nats-auth/auditor-pw",
      "NATS_SYSTEM_PASSWORD=nats-system/password",
    ]);
  });

  it("names that collide once upper-cased get their position", () => {
    assert.deepEqual(passwordEnvNames(["svc-b", "svc.b", "a"]), ["NATS_PASSWORD_SVC_B_0", "NATS_PASSWORD_SVC_B_1", "NATS_PASSWORD_A"]);
    assert.deepEqual(serverEnv({ auth: ACCOUNTS }).slice(1, 3), ["NATS_PASSWORD_SVC_B_1=nats-auth/svc-b", "NATS_PASSWORD_SVC_B_2=nats-auth/svc.b"]);
  });

  it("required Secrets list each user's key and the system Secret; --generate-secrets makes both, letters only", () => {
    const r = render(manifest({ auth: { ...USERS, systemAccount: { secretName: "ops-system", passwordKey: "pw" } } }));
    assert.deepEqual(
      requiredSecrets(r.model).map((s) => [s.name, s.keys, s.generated]),
      [
        ["nats-auth", ["orders-service", "auditor-pw"], true],
        ["ops-system", ["pw"], false],
      ],
    );
    const generated = generatedSecrets(render(manifest({ auth: USERS })).model);
    assert.deepEqual(generated.map((s) => [s.metadata!.name, Object.keys(s.stringData!)]), [
      ["nats-auth", ["orders-service", "auditor-pw"]],
      ["nats-system", ["password"]],
    ]);
    for (const v of generated.flatMap((s) => Object.values(s.stringData!))) assert.match(v, /^[A-Za-z]{40}$/);
    // A Secret the manifest names is the user's: never generated.
    assert.deepEqual(generatedSecrets(r.model).map((s) => s.metadata!.name), ["nats-auth"]);
  });

  it("nats-box signs in as the first unrestricted JetStream user; outputs name the auth Secret's keys; no password is inline anywhere", () => {
    const m = render(manifest({ jetstream: { enabled: true }, auth: ACCOUNTS })).model;
    const env = natsBoxEnv(m).filter((e) => e.name.startsWith("NATS_"));
    assert.deepEqual(env, [
      { name: "NATS_USER", value: "svc-a" },
      { name: "NATS_PASSWORD", valueFrom: { secretKeyRef: { name: "nats-auth", key: "svc-a" } } },
    ]);
    assert.deepEqual(stackOutputs(m).authSecret, { name: "nats-auth", keys: ["svc-a", "svc-b", "svc.b"] });
  });
});

describe("declared users: validation", () => {
  it("a token with users or accounts, and the system account with a token, are refused with the server's words", () => {
    assert.match(errorsOf({ auth: { ...USERS, mode: "TOKEN" } })[0]!.message, /mode TOKEN cannot have users.*Can not have a token and a users array/);
    assert.match(errorsOf({ auth: { ...ACCOUNTS, mode: "TOKEN" } })[0]!.message, /Can not have a token and accounts/);
    assert.deepEqual(errorsOf({ auth: { enabled: true, systemAccount: { enabled: true } } }).map((d) => d.path), ["spec.auth.systemAccount.enabled"]);
  });

  it("users xor accounts; duplicate, reserved and undeclared names; one Secret key per user", () => {
    const found = (spec: Record<string, unknown>) => errorsOf({ auth: { enabled: true, ...spec } }).map((d) => `${d.path}: ${d.message}`);
    assert.match(found({ users: [{ name: "a" }], accounts: [{ name: "A", users: [{ name: "b" }] }] }).join(), /spec.auth.accounts: declare users or accounts, not both/);
    assert.match(found({ users: [{ name: "a" }, { name: "a" }] }).join(), /spec.auth.users\[1\].name: user "a" is declared twice/);
    assert.match(found({ accounts: [{ name: "A", users: [{ name: "a" }] }, { name: "B", users: [{ name: "a" }] }] }).join(), /accounts\[1\].users\[0\].name: user "a" is declared twice/);
    assert.match(found({ users: [{ name: "natskube-system" }] }).join(), /natskube's system account user/);
    assert.match(found({ accounts: [{ name: "SYS", users: [{ name: "a" }] }] }).join(), /account name "SYS" is reserved/);
    assert.match(found({ accounts: [{ name: "A", users: [{ name: "a" }] }, { name: "A", users: [{ name: "b" }] }] }).join(), /account "A" is declared twice/);
    assert.match(found({ users: [{ name: "a" }], noAuthUser: "x" }).join(), /spec.auth.noAuthUser: noAuthUser "x" is not a declared user: nats-server refuses to start/);
    assert.match(found({ noAuthUser: "x" }).join(), /no users or accounts are declared/);
    assert.match(found({ users: [{ name: "a" }], noAuthUser: { enabled: true, publishSubjects: ["p.>"] } }).join(), /names one of them/);
    assert.match(found({ users: [{ name: "a", passwordKey: "k" }, { name: "b", passwordKey: "k" }] }).join(), /users\[1\].passwordKey: users "a" and "b" would read their password from the same Secret key "k"/);
  });

  it("names, subjects and durations have their formats, located", () => {
    const found = (spec: Record<string, unknown>) => errorsOf({ auth: { enabled: true, ...spec } }).map((d) => `${d.path}: ${d.message}`);
    assert.match(found({ users: [{ name: "-bad" }] }).join(), /users\[0\].name: a user name must start with a letter or digit/);
    assert.match(found({ users: [{ name: "a", permissions: { publish: { allow: ["orders.>.x"] } } }] }).join(), /permissions.publish.allow\[0\]: "orders.>.x" is not a NATS subject/);
    assert.deepEqual(found({ users: [{ name: "a", permissions: { subscribe: { allow: ["orders.> workers"] } } }] }), []);
    assert.match(found({ users: [{ name: "a", permissions: { subscribe: { allow: ["a b c"] } } }] }).join(), /more than a subject and a queue group/);
    assert.match(found({ users: [{ name: "a", permissions: { allowResponses: { expires: "soon" } } }] }).join(), /allowResponses.expires must be a positive Go duration/);
    assert.match(found({ accounts: [{ name: "A", users: [] }] }).join(), /accounts\[0\].users/);
  });

  it("snake_case as Planton writes it; warnings for what has no effect", () => {
    assert.deepEqual(errorsOf({ auth: { enabled: true, users: [{ name: "a", permissions: { allow_responses: { max_msgs: 1 } } }], no_auth_user: "a" } }), []);
    const w = diagnosticsOf(manifest({ auth: { ...USERS, userKey: "u" }, jetstream: { enabled: false } })).filter((d) => d.severity === "warning");
    assert.deepEqual(w.map((d) => d.path), ["spec.auth.userKey"]);
    const js = diagnosticsOf(manifest({ auth: ACCOUNTS, jetstream: { enabled: false } })).filter((d) => d.severity === "warning");
    assert.deepEqual(js.map((d) => d.path), ["spec.auth.accounts[0].jetstream"]);
    const off = diagnosticsOf(manifest({ auth: { ...USERS, enabled: false } })).filter((d) => d.severity === "warning");
    assert.deepEqual(off.map((d) => d.path).sort(), ["spec.auth.noAuthUser", "spec.auth.users"]);
  });

  it("NACK resources beside declared users: nack.user names the user the controller signs in as, or a located error says which to name", () => {
    const streams = [{ name: "ORDERS", subjects: ["orders.>"], consumers: [{ durableName: "ship" }] }];
    const base = { jetstream: { enabled: true }, auth: ACCOUNTS, streams };
    const paths = (spec: Record<string, unknown>) => errorsOf(spec).map((d) => [d.path, d.message, d.hint]);

    const missing = paths(base);
    assert.equal(missing.length, 1);
    assert.equal(missing[0]![0], "spec.streams");
    assert.match(missing[0]![2]!, /nack\.user to one of: svc-a \(users with JetStream\)/);

    assert.deepEqual(paths({ ...base, nack: { user: "svc-a" } }), []);
    const ghost = paths({ ...base, nack: { user: "ghost" } });
    assert.deepEqual(ghost.map((p) => p[0]), ["spec.nack.user"]);
    assert.match(ghost[0]![2]!, /svc-a, svc-b, svc\.b/);
    // An account without JetStream: the server would answer "JetStream not enabled for account".
    const noJs = paths({ ...base, nack: { user: "svc-b" } });
    assert.deepEqual(noJs.map((p) => p[0]), ["spec.nack.user"]);
    assert.match(noJs[0]![1]!, /account "team-b", which has no JetStream: NACK could create none of its 1 stream \("JetStream not enabled for account"\)/);
    assert.match(noJs[0]![2]!, /jetstream: true on account team-b, or sign NACK in as a user with JetStream: svc-a/);
    // No declared users: TOKEN or the shared user sign NACK in.
    const token = paths({ jetstream: { enabled: true }, auth: { enabled: true }, streams, nack: { user: "svc-a" } });
    assert.deepEqual(token.map((p) => p[0]), ["spec.nack.user"]);
    assert.match(token[0]![2]!, /remove nack\.user/);
    // The key holding the name may not be a user's password key.
    const clash = paths({ ...base, nack: { user: "svc-a", userKey: "svc-b" } });
    assert.deepEqual(clash.map((p) => p[0]), ["spec.nack.userKey"]);
  });

  it("a NACK user whose permissions refuse the JetStream API of the declared resources or the inbox is an error, located at its permissions", () => {
    const fenced = { name: "svc-a", permissions: { publish: { allow: ["orders.>", "$JS.API.STREAM.>"] }, subscribe: { allow: ["orders.>"] } } };
    const auth = { enabled: true, accounts: [{ name: "team-a", jetstream: true, users: [fenced] }] };
    const e = errorsOf({ jetstream: { enabled: true }, auth, nack: { user: "svc-a" }, streams: [{ name: "ORDERS", subjects: ["orders.>"], consumers: [{ durableName: "ship" }] }] });
    assert.deepEqual(e.map((d) => d.path), ["spec.auth.accounts[0].users[0].permissions"]);
    assert.match(e[0]!.message, /forbid publishing to \$JS\.API\.CONSUMER\.CREATE\.ORDERS\.ship, \$JS\.API\.CONSUMER\.INFO\.ORDERS\.ship; subscribing to _INBOX\.>/);
    const open = { ...fenced, permissions: { publish: { allow: ["orders.>", "$JS.API.>"] }, subscribe: { allow: ["_INBOX.>"] } } };
    assert.deepEqual(errorsOf({ jetstream: { enabled: true }, auth: { ...auth, accounts: [{ ...auth.accounts[0]!, users: [open] }] }, nack: { user: "svc-a" }, streams: [{ name: "ORDERS", subjects: ["orders.>"] }] }), []);
  });

  it("the Account reads the NACK user's name and password from the auth Secret; --generate-secrets writes the name, never a random one", () => {
    const spec = { jetstream: { enabled: true }, auth: ACCOUNTS, nack: { enabled: true, controlLoop: true, user: "svc-a" }, keyValues: [{ bucket: "sessions" }] };
    const objects = render(manifest(spec));
    const acc = findObject(objects, "Account") as unknown as { spec: Record<string, unknown> };
    assert.deepEqual(acc.spec["user"], { secret: { name: "nats-auth" }, user: "nack-user", password: "svc-a" });
    assert.equal(acc.spec["token"], undefined);
    const m = manifest(spec);
    const required = requiredSecrets(render(m).model).find((s) => s.name === "nats-auth")!;
    assert.deepEqual(required.keys, ["svc-a", "svc-b", "svc.b", "nack-user"]);
    const generated = generatedSecrets(render(m).model, () => 0).find((s) => s.metadata?.name === "nats-auth")!;
    assert.equal(generated.stringData!["nack-user"], "svc-a");
    assert.equal(generated.stringData!["svc-a"], "A".repeat(40));
    // Its own key.
    const own = findObject(render(manifest({ ...spec, nack: { ...spec.nack, userKey: "controller" } })), "Account") as unknown as { spec: { user: { user: string } } };
    assert.equal(own.spec.user.user, "controller");
  });
});

describe("verify's subjects for a restricted user", () => {
  it("natskube.verify when allowed, else under a publish allowance both directions pass, else the default", () => {
    const user = (permissions?: object) => ({ name: "u", path: [], jetstream: true, passwordKey: "u", env: "E", ...(permissions ? { permissions } : {}) });
    assert.equal(checkPrefix(undefined), "natskube.verify");
    assert.equal(checkPrefix(user()), "natskube.verify");
    assert.equal(checkPrefix(user({ publish: { allow: ["orders.>"] }, subscribe: { allow: ["orders.>"] } })), "orders.natskube.verify");
    assert.equal(checkPrefix(user({ publish: { allow: ["x.*.>"] } })), "x.natskube.natskube.verify");
    assert.equal(checkPrefix(user({ publish: { allow: ["orders.>"] }, subscribe: { deny: ["orders.>"] } })), "natskube.verify");
  });
});

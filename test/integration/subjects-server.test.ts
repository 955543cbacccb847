// NATS subject syntax has one definition (src/nats/subjects.ts), used for stream and consumer
// subjects and for the no-auth user's publish permissions. Here nats-server itself judges the same
// subjects as a publish permission (`nats-server -t`), written by natskube's serializer: natskube must
// accept exactly what it accepts (whitespace aside, which servers treat differently by version).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { serializeConf } from "../../src/conf/serialize.js";
import { subjectProblem } from "../../src/nats/subjects.js";
import { checkConfig } from "../../src/verify/local-cluster.js";
import { tempDir } from "../support/local.js";
import { diagnosticsOf, manifest } from "../support/render.js";
import { natsServerBin } from "../support/tools.js";

/** Valid and invalid to the server, and the cases where a wildcard character is part of a token. */
const SUBJECTS = [
  "public.>",
  "public.*",
  "public.foo*",
  "public.fo>",
  "a*b.c",
  "*",
  ">",
  "a.*.>",
  "a\u00a0b",
  "a\u000bb",
  "a\u000cb",
  "a\u0001b",
  "a..b",
  ".a",
  "a.",
  "x.>.y",
  "a.>.>",
  "has space",
  "tab\there",
];

/** Written by natskube's own serializer, as the no-auth user's permissions are. */
const permissionConf = (subject: string) =>
  serializeConf({ listen: "127.0.17.1:4222", authorization: { users: [{ user: "a", password: "b", permissions: { publish: { allow: [subject] } } }] } });

const errorsAt = (text: string, path: string) => diagnosticsOf(text).filter((d) => d.severity === "error" && d.path === path);

describe("subject syntax: natskube and nats-server agree", () => {
  it("every subject is valid to natskube exactly when nats-server accepts it as a publish permission", async (t) => {
    const dir = tempDir(t, "natskube-subjects-");
    const mismatches: string[] = [];
    for (const [i, subject] of SUBJECTS.entries()) {
      const file = join(dir, `s${i}.conf`);
      writeFileSync(file, permissionConf(subject));
      const server = await checkConfig(natsServerBin(), file);
      const ours = subjectProblem(subject);
      // Whitespace inside a token: measured, 2.10.29, 2.11.17 and 2.14.2 accept it in a permission, 2.12.15 and 2.15.3
      // refuse it. No client can publish to such a subject (the protocol splits on blanks), so natskube refuses it always.
      if (ours === "contains whitespace" && server.ok) continue;
      if (server.ok !== (ours === undefined)) mismatches.push(`${JSON.stringify(subject)}: nats-server ${server.ok ? "accepts" : `refuses (${server.message.split("\n")[0]})`}, natskube ${ours ?? "accepts"}`);
    }
    assert.deepEqual(mismatches, []);
  });

  it("validate gives the no-auth user's publish subjects and stream subjects the same verdict", () => {
    for (const subject of SUBJECTS) {
      const perm = errorsAt(manifest({ auth: { enabled: true, mode: "BASIC", noAuthUser: { enabled: true, publishSubjects: [subject] } } }), "spec.auth.noAuthUser.publishSubjects[0]");
      const stream = errorsAt(manifest({ streams: [{ name: "S", subjects: [subject] }] }), "spec.streams[0].subjects[0]");
      const valid = subjectProblem(subject) === undefined;
      // Stream subjects have rules of their own beyond syntax (a stream may not capture every subject with `>` alone).
      assert.equal(perm.length === 0, valid, `publishSubjects ${JSON.stringify(subject)}: ${perm.map((d) => d.message).join("; ")}`);
      if (!valid) assert.ok(stream.length > 0, `stream subject ${JSON.stringify(subject)} accepted`);
      else assert.ok(stream.every((d) => !/is not a (valid|NATS) subject|whitespace|empty token|before (its|the) last token/.test(d.message)), `stream subject ${JSON.stringify(subject)}: ${stream.map((d) => d.message).join("; ")}`);
    }
  });
});

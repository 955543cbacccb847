import assert from "node:assert/strict";
import { test } from "node:test";
import { serializeConf } from "../../src/conf/serialize.js";
import { parseConf } from "../../src/plan/conf-parse.js";

test("strings with control characters use the escapes nats.conf knows (\\xXX), and read back as written", () => {
  const values = ["a\u000bb", "\b\f\u0001", 'quote " and \\ backslash', "tab\tnew\nline", "ünïcode"];
  const text = serializeConf({ allow: values });
  assert.doesNotMatch(text, /\\u|\\b|\\f/);
  assert.match(text, /"a\\x0bb"/);
  assert.deepEqual(parseConf(text), { allow: values });
});

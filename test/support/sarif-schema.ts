import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { ROOT } from "./cli.js";

// RFC 3986 characters only, at most one fragment: a raw space or a second # is not a URI reference.
const URI_REFERENCE = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

/**
 * The SARIF 2.1.0 JSON Schema as Microsoft ships it (@microsoft/jest-sarif: sarif-2.1.0-rtm.5.json, the
 * schema OASIS published as 2.1.0), compiled with ajv. It is draft-04: ajv reads it as draft-07 once the
 * root `id` is `$id` (no draft-04-only keyword is used). Its `language` pattern is not a valid `u` regex,
 * hence unicodeRegExp: false.
 */
export function sarifValidator() {
  const path = join(ROOT, "node_modules", "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json");
  const schema = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const { id, $schema: _draft, ...rest } = schema;
  const ajv = new Ajv.default({
    strict: false,
    allErrors: true,
    unicodeRegExp: false,
    formats: {
      uri: (s: string) => URL.canParse(s),
      "uri-reference": (s: string) => URI_REFERENCE.test(s) && s.split("#").length <= 2,
      "date-time": (s: string) => !Number.isNaN(Date.parse(s)),
    },
  });
  return ajv.compile({ ...rest, $id: String(id) });
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
import AjvModule from "ajv";
import { parseAllDocuments } from "yaml";
import { ROOT } from "./cli.js";

/** The CRDs of NACK controller 0.23.0 (the nack chart 0.34.0 copy), as test data. */
export const NACK_CRDS_FILE = join(ROOT, "test", "fixtures", "nack-crds.yml");

type Schema = Record<string, unknown>;

/**
 * The API server prunes or rejects fields a structural schema does not declare; ajv accepts them
 * unless told otherwise. So every object schema that lists properties and does not preserve
 * unknown fields gets additionalProperties: false.
 */
function seal(schema: Schema): Schema {
  const s: Schema = { ...schema };
  if (s["type"] === "object" && s["properties"] && s["additionalProperties"] === undefined && !s["x-kubernetes-preserve-unknown-fields"])
    s["additionalProperties"] = false;
  if (s["properties"]) s["properties"] = Object.fromEntries(Object.entries(s["properties"] as Record<string, Schema>).map(([k, v]) => [k, seal(v)]));
  if (s["items"] && typeof s["items"] === "object") s["items"] = seal(s["items"] as Schema);
  if (s["additionalProperties"] && typeof s["additionalProperties"] === "object") s["additionalProperties"] = seal(s["additionalProperties"] as Schema);
  return s;
}

/** The root of a custom resource: the CRD schema plus what every object has. */
function rootSchema(openAPI: Schema): Schema {
  const props = (openAPI["properties"] ?? {}) as Record<string, Schema>;
  const stringMap = { type: "object", additionalProperties: { type: "string" } };
  return seal({
    ...openAPI,
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: {
      ...props,
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: {
        type: "object",
        required: ["name", "namespace"],
        properties: { name: { type: "string", maxLength: 253 }, namespace: { type: "string" }, labels: stringMap, annotations: stringMap },
      },
    },
  });
}

export type CrValidator = (cr: unknown) => string[];

/** `kind -> validate(cr)` for every served version of the CRDs in the file, keyed `apiVersion/kind`. */
export function crdValidators(file = NACK_CRDS_FILE): Map<string, CrValidator> {
  const Ajv = AjvModule.default;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const out = new Map<string, CrValidator>();
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const crd = doc.toJS() as { spec?: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[] } } | null;
    if (!crd?.spec) continue;
    for (const v of crd.spec.versions) {
      if (!v.served) continue;
      const validate = ajv.compile(rootSchema(v.schema.openAPIV3Schema));
      out.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, (cr) =>
        validate(cr) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params["additionalProperty"])})` : ""}`),
      );
    }
  }
  return out;
}

/** Problems of each jetstream.nats.io object against its CRD; an object of an unknown kind is a problem too. */
export function crProblems(objects: readonly { apiVersion: string; kind: string; metadata: { name: string } }[], validators = crdValidators()): string[] {
  return objects
    .filter((o) => o.apiVersion.startsWith("jetstream.nats.io/"))
    .flatMap((o) => {
      const v = validators.get(`${o.apiVersion}/${o.kind}`);
      if (!v) return [`${o.kind}/${o.metadata.name}: no served CRD for ${o.apiVersion} ${o.kind}`];
      return v(o).map((p) => `${o.kind}/${o.metadata.name}: ${p}`);
    });
}

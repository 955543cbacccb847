import { jsonSchema, redesignJsonSchema } from "../../spec/json-schema.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";

export const schemaCommand: Command = {
  name: "schema",
  summary: "Print the JSON Schema of KubernetesNats (for editors and CI)",
  usage: "natskube schema [--planton-redesign]",
  help:
    "Prints the JSON Schema generated from the same source as the validator (shipped as schema/kubernetes-nats.schema.json); " +
    "with --planton-redesign, the schema of Project Planton's redesigned KubernetesNats (schema/kubernetes-nats-planton-redesign.schema.json).",
  options: { "planton-redesign": { type: "boolean" } },
  run(values, _files, io) {
    io.out(JSON.stringify(values["planton-redesign"] === true ? redesignJsonSchema() : jsonSchema(), null, 2) + "\n");
    return EXIT.ok;
  },
};

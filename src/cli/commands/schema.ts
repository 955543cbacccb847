import { jsonSchema } from "../../spec/json-schema.js";
import type { Command } from "../command.js";
import { EXIT } from "../io.js";

export const schemaCommand: Command = {
  name: "schema",
  summary: "Print the JSON Schema of KubernetesNats (for editors and CI)",
  usage: "natskube schema",
  help: "Prints the JSON Schema generated from the same source as the validator (shipped as schema/kubernetes-nats.schema.json).",
  options: {},
  run(_values, _files, io) {
    io.out(JSON.stringify(jsonSchema(), null, 2) + "\n");
    return EXIT.ok;
  },
};

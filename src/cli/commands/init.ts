import { existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { packageRoot } from "../../package-root.js";
import { PRESETS, presetManifest, type PresetName } from "../../presets/templates.js";
import { CLUSTER_NAME, MAX_NAME_LENGTH } from "../../spec/schema/primitives.js";
import { str, type Command } from "../command.js";
import { EXIT, UsageError } from "../io.js";

/** The schema this natskube ships. */
const SHIPPED_SCHEMA = join(packageRoot(), "schema", "kubernetes-nats.schema.json");

/**
 * The modeline's path: relative to the current directory, where `init > FILE` writes the manifest, so the
 * editor finds the schema of the natskube that wrote it (no published URL exists to point at).
 */
function schemaRef(flag: string | undefined): string | undefined {
  if (flag === "none") return undefined;
  if (flag !== undefined) return flag;
  if (!existsSync(SHIPPED_SCHEMA)) return undefined;
  const rel = relative(process.cwd(), SHIPPED_SCHEMA).split(sep).join("/");
  return rel.startsWith("../") || rel.startsWith("/") ? rel : `./${rel}`;
}

export const initCommand: Command = {
  name: "init",
  summary: "Print a commented starter manifest (dev, staging or production)",
  usage: "natskube init --preset dev|staging|production [--name N] [--namespace NS] [--schema PATH|URL|none]",
  help: [
    "Prints a manifest for one of the guide's three configurations. Redirect it to a file, edit, then validate.",
    "  --name N, --namespace NS   metadata.name and spec.namespace (default nats, nats)",
    "  --schema PATH|URL|none     the editor modeline's $schema (yaml-language-server); default: the schema this",
    "                             natskube ships, as a path relative to the current directory (write the file here)",
  ].join("\n"),
  options: { preset: { type: "string" }, name: { type: "string" }, namespace: { type: "string" }, schema: { type: "string" } },
  run(values, positionals, io) {
    if (positionals.length > 0) throw new UsageError(`init takes no arguments, got "${positionals[0]}"`);
    const preset = str(values, "preset");
    if (!preset || !(preset in PRESETS)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(", ")}`);
    const name = str(values, "name") ?? "nats";
    const namespace = str(values, "namespace") ?? "nats";
    for (const [flag, v] of [["--name", name], ["--namespace", namespace]] as const)
      if (!CLUSTER_NAME.test(v) || v.length > MAX_NAME_LENGTH)
        throw new UsageError(`${flag} must be a DNS label starting with a letter (at most ${MAX_NAME_LENGTH} characters), got "${v}"`);
    io.out(presetManifest(preset as PresetName, name, namespace, schemaRef(str(values, "schema"))));
    return EXIT.ok;
  },
};

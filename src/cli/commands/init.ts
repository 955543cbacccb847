import { PRESETS, presetManifest, type PresetName } from "../../presets/templates.js";
import { MAX_NAME_LENGTH } from "../../spec/rules/names.js";
import { str, type Command } from "../command.js";
import { EXIT, UsageError } from "../io.js";

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const initCommand: Command = {
  name: "init",
  summary: "Print a commented starter manifest (dev, staging or production)",
  usage: "natskube init --preset dev|staging|production [--name N] [--namespace NS]",
  help: "Prints a manifest for one of the guide's three configurations. Redirect it to a file, edit, then validate.",
  options: { preset: { type: "string" }, name: { type: "string" }, namespace: { type: "string" } },
  run(values, positionals, io) {
    if (positionals.length > 0) throw new UsageError(`init takes no arguments, got "${positionals[0]}"`);
    const preset = str(values, "preset");
    if (!preset || !(preset in PRESETS)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(", ")}`);
    const name = str(values, "name") ?? "nats";
    const namespace = str(values, "namespace") ?? "nats";
    for (const [flag, v] of [["--name", name], ["--namespace", namespace]] as const)
      if (!DNS_LABEL.test(v) || v.length > MAX_NAME_LENGTH)
        throw new UsageError(`${flag} must be a DNS label starting with a letter (at most ${MAX_NAME_LENGTH} characters), got "${v}"`);
    io.out(presetManifest(preset as PresetName, name, namespace));
    return EXIT.ok;
  },
};

import { parseArgs } from "node:util";
import { natskubeVersion } from "../version.js";
import type { Command } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { EXIT, processIo, UsageError, type Io } from "./io.js";

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "natskube: validate, lint and render production NATS clusters on Kubernetes",
    "",
    "Usage: natskube COMMAND [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `natskube COMMAND --help` for a command's options. `natskube --version` prints the version.",
    "Exit codes: 0 success, 1 invalid input (or a failed check), 2 usage error; plan and diff add 3 (needs attention) and",
    "4 (disruptive), apply 4 (refused as disruptive);",
    "70 an internal error: a bug in natskube (NATSKUBE_DEBUG=1 prints its stack trace).",
  ].join("\n");
}

/**
 * What `natskube`, `natskube --help` and `natskube --version` print. scripts/bundle.mjs writes them
 * beside the bundle, so that bin/natskube answers these without loading it.
 */
export function startupTexts(): { version: string; help: string } {
  return { version: `natskube ${natskubeVersion()}\n`, help: `${topHelp()}\n` };
}

function commandHelp(c: Command): string {
  return `Usage: ${c.usage}\n\n${c.summary}.\n${c.help}\n`;
}

/** The CLI edge: the only place that prints and picks exit codes. A bug gets its own exit code and one line. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const target = COMMANDS.find((c) => c.name === rest[0]);
    io.out(target ? `${commandHelp(await target.load())}\n` : startupTexts().help);
    return EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    io.out(startupTexts().version);
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`natskube: unknown command "${name}"\n\n${topHelp()}\n`);
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await command.run(values, positionals, io);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (e instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))) {
      io.err(`natskube ${command.name}: ${(e as Error).message}\nUsage: ${command.usage}\n`);
      return EXIT.usage;
    }
    io.err(internalError(e, command.name));
    return EXIT.internal;
  }
}

/**
 * One line for a bug, without the error's message: it may quote the manifest, which may hold credentials.
 * The name of the error and where natskube threw it are enough to file an issue; the stack is opt-in.
 */
export function internalError(e: unknown, command: string, env: NodeJS.ProcessEnv = process.env): string {
  const name = e instanceof Error ? e.name : typeof e;
  const stack = e instanceof Error ? (e.stack ?? "") : "";
  // tsc output names file:///.../src/x.js; the bundled CLI names its one file, dist/cli/natskube.cjs.
  const where = /\(((?:file:\/\/)?\/[^)]*?\/(?:src|dist\/src|dist\/cli)\/[^)]+)\)/.exec(stack)?.[1]?.replace(/^.*\/((?:dist\/cli|src)\/)/, "$1");
  const line = `natskube ${command}: internal error (${name}${where ? ` at ${where}` : ""}): this is a bug in natskube, please report it with the command you ran. Set NATSKUBE_DEBUG=1 to print the stack trace.\n`;
  return env["NATSKUBE_DEBUG"] === "1" ? `${line}${stack || String(e)}\n` : line;
}

import type { ParseArgsConfig } from "node:util";
import type { Io } from "./io.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** Full help text after the usage line. */
  usage: string;
  help: string;
  options: Options;
  run(values: Values, positionals: string[], io: Io): Promise<number> | number;
}

export function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === "string" ? v : undefined;
}

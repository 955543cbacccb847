import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./cli.js";

export const EXAMPLES = ["dev", "staging", "production", "planton"] as const;

export function exampleText(name: string): string {
  return readFileSync(join(ROOT, "examples", `${name}.yaml`), "utf8");
}

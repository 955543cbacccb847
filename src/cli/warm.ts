import { readFileSync } from "node:fs";
import { yamlStream } from "../emit/yaml.js";
import { parseText, renderParsed } from "../pipeline.js";

/**
 * Runs the whole pipeline once on a manifest, output discarded. bin/natskube calls it only when it is
 * about to write a code cache, so that the cache holds the code of every stage and feature (the
 * production example uses them all), not just what the first run happened to compile.
 */
export function warmUp(file: string): void {
  try {
    for (const p of parseText(readFileSync(file, "utf8"), file).parsed) {
      const r = renderParsed(p);
      if (r) yamlStream(r.objects);
    }
  } catch {
    // Only an optimisation: a missing example or a failure here must not touch the command's result.
  }
}

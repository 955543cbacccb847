import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ROOT } from "./cli.js";

export interface AnchorObject {
  kind: string;
  metadata: { name: string };
  [k: string]: unknown;
}

/** The official chart's render for a scenario (copied from shared/anchors/helm-nats-2.14.2). */
export function anchorObjects(scenario: "dev" | "staging" | "production"): AnchorObject[] {
  const text = readFileSync(join(ROOT, "test", "fixtures", "anchors", `${scenario}.rendered.yaml`), "utf8");
  return parseAllDocuments(text)
    .map((d) => d.toJS() as AnchorObject | null)
    .filter((o): o is AnchorObject => o !== null);
}

/** The chart writes nats.conf as JSON with unquoted `$VAR` and size tokens; quote them to read it. */
export function parseChartConf(text: string): Record<string, unknown> {
  return JSON.parse(text.replace(/: (\$[A-Z_]+|\d+[KMGT]i?)(,?)$/gm, ': "$1"$2')) as Record<string, unknown>;
}

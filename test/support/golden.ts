// Golden files of the CLI's output, with each Grafana dashboard in a file of its own: the dashboards
// are two thirds of the production render, and kept inline they turn any change to the cluster into a
// 2,000-line diff nobody reads (review F8). The main golden keeps the ConfigMap with one reference line
// where the dashboard's JSON was; joining the files back gives the CLI's bytes, and the test compares
// those, so no byte goes unchecked.

/** The line that stands for a dashboard in the main golden, indented as the block scalar's lines were. */
const REFERENCE = /^( +)<golden (dashboards\/[^>\n]+)>$/gm;
/** A data key of a ConfigMap holding JSON as a block scalar (`key.json: |`). */
const JSON_KEY = /^  ([A-Za-z0-9._-]+\.json): \|$/;

export interface SplitRender {
  /** The render with each dashboard replaced by a reference line. */
  main: string;
  /** Dashboard golden files: path relative to test/golden/ -> content (the JSON, as the ConfigMap holds it). */
  dashboards: Map<string, string>;
}

/**
 * Takes the dashboards of `example`'s render out: the `*.json` data of every ConfigMap labelled
 * `grafana_dashboard: "1"` goes to `dashboards/<example>/<key>`. Throws unless joinDashboards gives
 * back exactly `text`.
 */
export function splitDashboards(text: string, example: string): SplitRender {
  const dashboards = new Map<string, string>();
  const docs = text.split(/(?=^---$)/m).map((doc) => {
    if (!/^kind: ConfigMap$/m.test(doc) || !/^    grafana_dashboard: "1"$/m.test(doc)) return doc;
    const lines = doc.split("\n");
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      out.push(line);
      const key = JSON_KEY.exec(line)?.[1];
      if (!key) continue;
      const indent = /^ */.exec(lines[i + 1] ?? "")![0];
      if (indent.length <= 2) continue;
      const body: string[] = [];
      while (i + 1 < lines.length && lines[i + 1]!.startsWith(indent)) body.push(lines[++i]!.slice(indent.length));
      const path = `dashboards/${example}/${key}`;
      dashboards.set(path, `${body.join("\n")}\n`);
      out.push(`${indent}<golden ${path}>`);
    }
    return out.join("\n");
  });
  const split = { main: docs.join(""), dashboards };
  const back = joinDashboards(split.main, (path) => dashboards.get(path) ?? "");
  if (back !== text) throw new Error(`the dashboards of ${example} cannot be split from the render without changing its bytes`);
  return split;
}

/** The render again: every reference line replaced by its file's content, indented as the block scalar. */
export function joinDashboards(main: string, read: (path: string) => string): string {
  return main.replace(REFERENCE, (_line, indent: string, path: string) =>
    read(path)
      .replace(/\n$/, "")
      .split("\n")
      .map((l) => indent + l)
      .join("\n"),
  );
}

/** The dashboard files the main golden refers to. */
export function dashboardReferences(main: string): string[] {
  return [...main.matchAll(REFERENCE)].map((m) => m[2]!);
}

import { sha256Hex } from "../../sha256.js";

/**
 * A small, typed subset of the Grafana dashboard JSON model (schemaVersion 39),
 * enough for natskube's dashboards. Key order is fixed by construction so the
 * serialized JSON is byte-stable.
 */

export const SCHEMA_VERSION = 39;
/** Every panel and query reads from the dashboard's `datasource` variable. */
export const DATASOURCE = { type: "prometheus", uid: "${datasource}" } as const;

export type Unit = "short" | "percentunit" | "percent" | "bytes" | "Bps" | "s";

export interface Query {
  expr: string;
  legend: string;
}

/** A panel before layout: width and height in grid units (the grid is 24 wide). */
export interface PanelSpec {
  type: "timeseries" | "stat" | "gauge";
  title: string;
  description: string;
  unit: Unit;
  queries: Query[];
  w: number;
  h: number;
  /** Values at which a stat or gauge turns yellow and red, e.g. the alert threshold. */
  thresholds?: { yellow?: number; red: number };
  /** Stat panels show the series name (e.g. which server is meta leader) instead of the value. */
  showName?: boolean;
}

export interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

export interface Variable {
  name: string;
  label: string;
  query: string;
  allValue: string;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: Variable[];
  panels: PanelSpec[];
}

/** A Grafana uid (at most 40 characters) that is stable for a cluster and distinct across namespaces. */
export function dashboardUid(kind: string, namespace: string, name: string): string {
  const hash = sha256Hex(`${namespace}/${name}/${kind}`).slice(0, 12);
  return `natskube-${kind}-${hash}`.slice(0, 40);
}

export function dashboard(spec: DashboardSpec): Record<string, unknown> {
  return {
    annotations: { list: [] },
    description: spec.description,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    links: [],
    panels: layout(spec.panels).map(({ panel, gridPos }, index) => renderPanel(panel, gridPos, index + 1)),
    refresh: "30s",
    schemaVersion: SCHEMA_VERSION,
    tags: spec.tags,
    templating: { list: [datasourceVariable(), ...spec.variables.map(queryVariable)] },
    time: { from: "now-6h", to: "now" },
    timepicker: {},
    timezone: "",
    title: spec.title,
    uid: spec.uid,
    version: 1,
  };
}

/** A small single-number panel, six to a row. */
export function stat(title: string, description: string, expr: string, legend = ""): PanelSpec {
  return { type: "stat", title, description, unit: "short", queries: [{ expr, legend }], w: 4, h: 4 };
}

/** A half-width time series panel. */
export function series(title: string, description: string, unit: Unit, queries: Query[]): PanelSpec {
  return { type: "timeseries", title, description, unit, queries, w: 12, h: 8 };
}

/** Left to right, wrapping to a new row when the 24-unit grid is full. */
export function layout(panels: PanelSpec[]): { panel: PanelSpec; gridPos: GridPos }[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map((panel) => {
    if (x + panel.w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { h: panel.h, w: panel.w, x, y };
    x += panel.w;
    rowHeight = Math.max(rowHeight, panel.h);
    return { panel, gridPos };
  });
}

function renderPanel(p: PanelSpec, gridPos: GridPos, id: number): Record<string, unknown> {
  return {
    id,
    type: p.type,
    title: p.title,
    description: p.description,
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: { defaults: fieldDefaults(p), overrides: [] },
    options: p.type === "timeseries" ? timeseriesOptions() : singleValueOptions(p),
    targets: p.queries.map((q, i) => ({
      datasource: DATASOURCE,
      expr: q.expr,
      legendFormat: q.legend,
      range: true,
      refId: String.fromCharCode(65 + i),
    })),
  };
}

function fieldDefaults(p: PanelSpec): Record<string, unknown> {
  const steps: { color: string; value: number | null }[] = [{ color: "green", value: null }];
  if (p.thresholds?.yellow !== undefined) steps.push({ color: "yellow", value: p.thresholds.yellow });
  if (p.thresholds) steps.push({ color: "red", value: p.thresholds.red });
  return {
    unit: p.unit,
    min: 0,
    ...(p.type === "gauge" && p.unit === "percentunit" ? { max: 1 } : {}),
    color: { mode: p.type === "timeseries" ? "palette-classic" : "thresholds" },
    thresholds: { mode: "absolute", steps },
  };
}

function timeseriesOptions(): Record<string, unknown> {
  return {
    legend: { calcs: ["lastNotNull", "max"], displayMode: "table", placement: "bottom", showLegend: true },
    tooltip: { mode: "multi", sort: "desc" },
  };
}

function singleValueOptions(p: PanelSpec): Record<string, unknown> {
  const reduceOptions = { calcs: ["lastNotNull"], fields: "", values: false };
  if (p.type === "gauge") return { reduceOptions, showThresholdLabels: false, showThresholdMarkers: true };
  return { reduceOptions, colorMode: "value", graphMode: "none", justifyMode: "auto", textMode: p.showName ? "name" : "auto" };
}

function datasourceVariable(): Record<string, unknown> {
  return {
    current: {},
    hide: 0,
    includeAll: false,
    label: "Data source",
    multi: false,
    name: "datasource",
    options: [],
    query: "prometheus",
    refresh: 1,
    regex: "",
    type: "datasource",
  };
}

/**
 * A multi-value filter. `allValue` is a regex still scoped to this cluster, so
 * "All" never widens a query to other clusters.
 */
function queryVariable(v: Variable): Record<string, unknown> {
  return {
    allValue: v.allValue,
    current: {},
    datasource: DATASOURCE,
    definition: v.query,
    hide: 0,
    includeAll: true,
    label: v.label,
    multi: true,
    name: v.name,
    options: [],
    query: { query: v.query, refId: "PrometheusVariableQueryEditor-VariableQuery" },
    refresh: 2,
    regex: "",
    sort: 1,
    type: "query",
  };
}

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

interface Obj {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}

/** The npm module that models an apiVersion/kind (upstream OpenAPI schemas, generated). */
export function modelModule(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "cert-manager.io") return `@kubernetes-models/cert-manager/cert-manager.io/${version}/${kind}`;
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`;
  if (group === "jetstream.nats.io") return undefined; // no model package: checked against the NACK CRDs instead
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

/** `new Model(obj).validate()` for every object: types, enums, required fields. Returns one message per problem. */
export async function validateWithModels(objects: readonly Obj[]): Promise<string[]> {
  const problems: string[] = [];
  for (const o of objects) {
    const mod = modelModule(o.apiVersion, o.kind);
    if (!mod) continue;
    const loaded = (await import(mod)) as Record<string, new (data: unknown) => { validate(): void }>;
    const Model = loaded[o.kind];
    if (!Model) {
      problems.push(`${o.kind}: no model class in ${mod}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      problems.push(`${o.kind}/${o.metadata?.name}: ${(e as Error).message}`);
    }
  }
  return problems;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/**
 * Unknown fields: the model validators accept any extra key, so the objects are written as typed
 * literals and type-checked against the same generated interfaces (excess property checks).
 */
export function unknownFields(objects: readonly Obj[]): string[] {
  const dir = join(ROOT, "node_modules", ".cache", "natskube-kube-check");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `check-${process.pid}.ts`);
  const lines: string[] = [];
  objects.forEach((o, i) => {
    const mod = modelModule(o.apiVersion, o.kind);
    if (!mod) return;
    lines.push(`import type { I${o.kind} as T${i} } from "${mod}";`);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(o)};`);
  });
  writeFileSync(file, lines.join("\n") + "\n");
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
      const idx = Math.floor(line / 2);
      const o = objects.filter((x) => modelModule(x.apiVersion, x.kind))[idx];
      return `${o?.kind}/${o?.metadata?.name}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
}

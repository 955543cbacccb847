import { join } from "node:path";

const WHY = "running servers read credentials only at start, so applying new ones locks clients out until the servers restart";

/** What --generate-secrets did to credentials, for stderr (never the credentials themselves). */
export function secretWarnings(o: { stdout?: string[]; dir?: string; keptSecrets?: string[]; newSecrets?: string[]; leftSecrets?: string[] }): string {
  const lines: string[] = [];
  for (const secret of o.stdout ?? [])
    lines.push(
      `warning: --generate-secrets made new random credentials for Secret ${secret}, and every run makes new ones: ${WHY}. ` +
        "Apply it once and do not commit it; to keep credentials stable across renders, render with --out DIR, which keeps a Secret it generated there.",
    );
  const at = (f: string) => join(o.dir ?? "", f);
  for (const f of o.newSecrets ?? [])
    lines.push(`warning: --generate-secrets wrote new random credentials to ${at(f)}; later renders into ${o.dir} keep them. Do not commit this file.`);
  for (const f of o.keptSecrets ?? []) lines.push(`note: kept the credentials an earlier --generate-secrets wrote to ${at(f)} (${WHY})`);
  for (const f of o.leftSecrets ?? [])
    lines.push(`note: left ${at(f)} (credentials an earlier --generate-secrets wrote) on disk, out of kustomization.yaml; pass --generate-secrets to keep listing it, delete it when no longer needed`);
  return lines.map((l) => l + "\n").join("");
}

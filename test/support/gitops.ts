// A GitOps working copy for the recipe tests: a temporary folder, `natskube` on PATH as a user or an Argo CD
// sidecar image would have it (a link to this checkout's bin/natskube), and the commands the recipes run.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TestContext } from "node:test";
import { parseAllDocuments } from "yaml";
import { BIN } from "./cli.js";

export interface Workspace {
  dir: string;
  /** PATH with natskube first. */
  path: string;
  write(file: string, text: string): string;
  /** env is added to this process's environment with PATH; exactEnv is the whole environment (as a sidecar has it). */
  run(cmd: string, args: readonly string[], options?: { cwd?: string; env?: Record<string, string>; exactEnv?: Record<string, string>; input?: string }): Run;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function workspace(t: TestContext, name = "natskube-gitops-"): Workspace {
  const dir = mkdtempSync(join(tmpdir(), name));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, ".bin");
  mkdirSync(bin);
  symlinkSync(BIN, join(bin, "natskube"));
  const path = `${bin}:${process.env["PATH"] ?? ""}`;
  return {
    dir,
    path,
    write(file, text) {
      const full = join(dir, file);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
      return full;
    },
    run(cmd, args, options = {}) {
      const r = spawnSync(cmd, args, {
        cwd: options.cwd ?? dir,
        env: options.exactEnv ?? { ...process.env, PATH: path, ...options.env },
        input: options.input,
        encoding: "utf8",
        timeout: 60_000,
        maxBuffer: 64 << 20,
      });
      if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

export interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** The objects of a YAML stream, as plain data (comparable with deepEqual whatever the serializer). */
export function objectsOf(yaml: string): Obj[] {
  return parseAllDocuments(yaml)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

export const idOf = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

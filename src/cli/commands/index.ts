import type { Command } from "../command.js";

export interface CommandEntry {
  name: string;
  /** Shown by `natskube --help`; the same text as the command's own summary (a unit test checks). */
  summary: string;
  load(): Promise<Command>;
}

// Loaded on use: `render` must not pay for evaluating lint, plan or verify, nor `--version` for any of them.
export const COMMANDS: readonly CommandEntry[] = [
  { name: "init", summary: "Print a commented starter manifest (dev, staging or production)", load: async () => (await import("./init.js")).initCommand },
  { name: "validate", summary: "Check manifests; print every problem with file:line:col", load: async () => (await import("./validate.js")).validateCommand },
  { name: "lint", summary: "Check manifests against production best practices (risk, not correctness)", load: async () => (await import("./lint.js")).lintCommand },
  { name: "render", summary: "Render Kubernetes objects (YAML stream, JSON, or a kustomize directory)", load: async () => (await import("./render.js")).renderCommand },
  {
    name: "plan",
    summary: "Show what applying NEW over OLD does: in place, rolling restart, forbidden, data loss, NATS topology risks",
    load: async () => (await import("./plan.js")).planCommand,
  },
  { name: "diff", summary: "Show what apply would change in the live cluster, per object and field (exit codes as plan)", load: async () => (await import("./diff.js")).diffCommand },
  { name: "apply", summary: "Apply the render to the live cluster in waves, wait for the rollout, prune what it no longer holds", load: async () => (await import("./apply.js")).applyCommand },
  {
    name: "delete",
    summary: "Delete natskube's objects of the render from the live cluster in the safe order; volumes kept unless asked",
    load: async () => (await import("./delete.js")).deleteCommand,
  },
  { name: "verify", summary: "Boot the rendered cluster locally with the real nats-server and prove it works", load: async () => (await import("./verify.js")).verifyCommand },
  {
    name: "status",
    summary: "The live cluster against the manifest: objects, pods, claims; each server's meta leader, peers, streams, stores",
    load: async () => (await import("./status.js")).statusCommand,
  },
  { name: "outputs", summary: "Print the stack outputs (URLs, secret references, metrics endpoint)", load: async () => (await import("./outputs.js")).outputsCommand },
  { name: "schema", summary: "Print the JSON Schema of KubernetesNats (for editors and CI)", load: async () => (await import("./schema.js")).schemaCommand },
  {
    name: "krm",
    summary: "Run as a kustomize KRM function: ResourceList on stdin, natskube's objects and results on stdout",
    load: async () => (await import("./krm.js")).krmCommand,
  },
];

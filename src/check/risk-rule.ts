import type { PathSegment, Severity } from "../diagnostics/diagnostic.js";
import type { CheckContext } from "./context.js";

/** Annotations on metadata.annotations that talk to natskube; never copied onto rendered objects. */
export const ANNOTATIONS = {
  lintIgnore: "natskube.dev/lint-ignore",
  replicasReason: "natskube.dev/replicas-reason",
} as const;

/** The engine's context (src/check/context.ts), the one the correctness rules see too. */
export type LintContext = CheckContext;

/** One problem a rule found. */
export interface LintHit {
  /** Defaults to the rule's path. */
  path?: PathSegment[];
  /** What is wrong and what can go wrong in production because of it. */
  message: string;
  /** What to change, for this manifest. */
  fix: string;
}

/** A manifest fragment merged over the minimal manifest (test/support/render.ts `manifest`). */
export interface LintExample {
  spec?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface LintRule {
  /** kebab-case, stable: users list it in natskube.dev/lint-ignore. */
  id: string;
  /** Severity in the `recommended` preset. */
  severity: Severity;
  /** Severity in the `strict` preset when it is raised there. */
  strictSeverity?: Severity;
  /** Only the `strict` preset runs this rule. */
  strictOnly?: boolean;
  /** The field the rule is about (normalized spelling). */
  path: PathSegment[];
  /** One line: what the rule flags. */
  title: string;
  /** Why it is a risk (docs, SARIF fullDescription). */
  why: string;
  /** The general fix (docs, SARIF help); each hit says the fix for the manifest at hand. */
  fix: string;
  /** Tested by test/unit/lint-rules.test.ts and shown in docs/lint.md. */
  examples: { fail: LintExample; pass: LintExample };
  check(ctx: LintContext): LintHit[];
}

/** Identity helper: type-checks a rule literal. */
export const defineRule = (rule: LintRule): LintRule => rule;

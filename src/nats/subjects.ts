// NATS subject syntax and matching, as nats-server implements them (IsValidSubject,
// SubjectsCollide, subjectIsSubsetMatch). A token is `*` or `>` only when it is the whole
// token: `a*` is a literal token, as it is for the server. The one definition for stream and
// consumer subjects, permissions (auth.noAuthUser.publishSubjects) and verify's checks;
// test/integration/subjects-server.test.ts holds it against nats-server's own verdicts.

/** The whitespace IsValidSubject refuses; other spaces (a no-break space, a vertical tab) are literal text to the server. */
const WHITESPACE = /[ \t\n\f\r]/;

export function tokens(subject: string): string[] {
  return subject.split(".");
}

/** Why the server would refuse `subject`, or undefined when it is valid. */
export function subjectProblem(subject: string, opts: { wildcards?: boolean } = {}): string | undefined {
  if (subject === "") return "is empty";
  if (WHITESPACE.test(subject)) return "contains whitespace";
  const ts = tokens(subject);
  if (ts.some((t) => t === "")) return "has an empty token (a leading, trailing or doubled '.')";
  const fwc = ts.indexOf(">");
  if (fwc !== -1 && fwc !== ts.length - 1) return "has '>' before its last token ('>' matches the rest of a subject, so it must come last)";
  if (opts.wildcards === false && ts.some((t) => t === "*" || t === ">")) return "contains a wildcard ('*' or '>'), but must be a literal subject";
  return undefined;
}

/** Whether some literal subject matches both `a` and `b` (the server's SubjectsCollide). */
export function subjectsCollide(a: string, b: string): boolean {
  const ta = tokens(a);
  const tb = tokens(b);
  for (let i = 0; ; i++) {
    if (i === ta.length || i === tb.length) return ta.length === tb.length;
    const x = ta[i];
    const y = tb[i];
    // `>` matches one or more tokens, and both sides still have at least one here.
    if (x === ">" || y === ">") return true;
    if (x !== y && x !== "*" && y !== "*") return false;
  }
}

/** Whether every literal subject matched by `subject` is also matched by `pattern` (subjectIsSubsetMatch). */
export function isSubsetMatch(subject: string, pattern: string): boolean {
  const ts = tokens(subject);
  const tp = tokens(pattern);
  for (let i = 0; ; i++) {
    if (i === ts.length || i === tp.length) return ts.length === tp.length;
    const s = ts[i];
    const p = tp[i];
    if (p === ">") return true;
    if (s === ">") return false;
    if (p === "*") continue;
    if (s === "*" || s !== p) return false;
  }
}

/**
 * A consumer filter the server accepts for a stream (validFilteredSubject): inside one of the
 * stream's subjects, or a wildcard filter wider than one of them.
 */
export function filterMatchesStream(filter: string, streamSubjects: readonly string[]): boolean {
  const wildcard = tokens(filter).some((t) => t === "*" || t === ">");
  return streamSubjects.some((s) => isSubsetMatch(filter, s) || (wildcard && isSubsetMatch(s, filter)));
}

/** Subject spaces the server keeps for itself: a stream (with acks) may not capture them. */
export const RESERVED_SUBJECTS: readonly { pattern: string; except?: string; what: string }[] = [
  { pattern: "$JS.>", except: "$JS.EVENT.>", what: "the JetStream API" },
  { pattern: "$JSC.>", what: "the JetStream API" },
  { pattern: "$NRG.>", what: "JetStream's RAFT traffic" },
  { pattern: "$SYS.>", except: "$SYS.ACCOUNT.>", what: "the system account" },
];

/** A permission list pair as nats.conf writes it (`permissions.publish`, `permissions.subscribe`). */
export interface SubjectPermission {
  allow?: readonly string[];
  deny?: readonly string[];
}

/**
 * Whether the server lets a client use the literal `subject` under `set`: no allow list or an allow entry
 * matches, and no deny entry matches (deny wins). Entries naming a queue group (`orders.> workers`) govern
 * queue subscriptions only and are left out.
 */
export function permits(set: SubjectPermission | undefined, subject: string): boolean {
  const plain = (list: readonly string[] | undefined) => (list ?? []).filter((p) => !p.includes(" "));
  const allowed = !set?.allow?.length || plain(set.allow).some((p) => isSubsetMatch(subject, p));
  return allowed && !plain(set?.deny).some((p) => isSubsetMatch(subject, p));
}

import type { PathSegment } from "../../diagnostics/diagnostic.js";
import { kvSubjects, objectSubjects } from "../../nats/names.js";
import { isSubsetMatch, RESERVED_SUBJECTS, subjectProblem, subjectsCollide } from "../../nats/subjects.js";
import type { Spec } from "../../spec/types.js";
import type { RuleFinding } from "./rule.js";
import { where } from "./stream-names.js";

interface Captured {
  subject: string;
  owner: string;
  path: PathSegment[];
}

/**
 * Subject syntax, the subject spaces the server keeps for itself, and overlaps: the server
 * refuses a stream whose subjects overlap each other or another stream's (KV buckets and
 * object stores capture $KV.<bucket>.> and $O.<bucket>.>).
 */
export function subjectFindings(spec: Spec): RuleFinding[] {
  const out: RuleFinding[] = [];
  const captured: Captured[] = [];
  spec.streams.forEach((s, i) => {
    const mine: Captured[] = [];
    s.subjects.forEach((subject, j) => {
      const path: PathSegment[] = ["spec", "streams", i, "subjects", j];
      const problem = subjectProblem(subject);
      if (problem) {
        out.push({ code: "format", path, message: `subject "${subject}" ${problem}`, hint: "Subjects are tokens separated by '.', e.g. orders.>, orders.*.created." });
        return;
      }
      const reserved = reservedProblem(subject);
      if (reserved) {
        out.push({ code: "cross-field", path, message: `stream "${s.name}" cannot capture "${subject}": ${reserved}`, hint: "Capture your own subjects, e.g. orders.>." });
        return;
      }
      const twin = mine.find((c) => subjectsCollide(c.subject, subject));
      if (twin)
        out.push({
          code: "cross-field",
          path,
          message:
            twin.subject === subject
              ? `subject "${subject}" is listed twice in stream "${s.name}"`
              : `subject "${subject}" overlaps "${twin.subject}" of the same stream: the server refuses subjects that would store a message twice`,
          hint: twin.subject === subject ? "Remove one." : `Keep the wider one (${isSubsetMatch(subject, twin.subject) ? twin.subject : subject}).`,
        });
      else mine.push({ subject, owner: `stream "${s.name}"`, path });
    });
    for (const c of mine) {
      const other = captured.find((o) => subjectsCollide(o.subject, c.subject));
      if (other)
        out.push({
          code: "cross-field",
          path: c.path,
          message: `subject "${c.subject}" of stream "${s.name}" overlaps "${other.subject}" of ${other.owner} (${where(other.path)}): the server refuses streams with overlapping subjects`,
          hint: "Give each stream its own subject space, e.g. orders.> and payments.>.",
        });
    }
    captured.push(...mine);
  });
  // Buckets come after streams here, but overlap either way round is the same conflict.
  const buckets: Captured[] = [
    ...spec.keyValues.flatMap((b, i) => kvSubjects(b.bucket).map((subject) => ({ subject, owner: `key-value bucket "${b.bucket}"`, path: ["spec", "keyValues", i, "bucket"] }))),
    ...spec.objectStores.flatMap((b, i) => objectSubjects(b.bucket).map((subject) => ({ subject, owner: `object store "${b.bucket}"`, path: ["spec", "objectStores", i, "bucket"] }))),
  ];
  for (const b of buckets) {
    const s = captured.find((c) => subjectsCollide(c.subject, b.subject));
    if (s)
      out.push({
        code: "cross-field",
        path: s.path,
        message: `subject "${s.subject}" of ${s.owner} overlaps "${b.subject}", which ${b.owner} uses (${where(b.path)})`,
        hint: "Streams may not capture the $KV.<bucket>.> or $O.<bucket>.> subjects of buckets.",
      });
  }
  return out;
}

function reservedProblem(subject: string): string | undefined {
  if (subject === ">") return "'>' captures every subject, including the JetStream API; the server allows it only without acknowledgements";
  for (const r of RESERVED_SUBJECTS)
    if (subjectsCollide(subject, r.pattern) && !(r.except && isSubsetMatch(subject, r.except)))
      return `it overlaps ${r.pattern}, the subjects of ${r.what}`;
  return undefined;
}

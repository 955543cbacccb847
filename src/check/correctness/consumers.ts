import type { PathSegment } from "../../diagnostics/diagnostic.js";
import type { JetStreamAssets } from "../../model/jetstream-assets.js";
import { ackPolicyOf, deliverPolicyOf } from "../../nack/defaults.js";
import { filterMatchesStream, isSubsetMatch, subjectProblem, subjectsCollide } from "../../nats/subjects.js";
import { SERVER_BEHAVIOUR, serverRefuses } from "../../nats/server-versions.js";
import type { Consumer, Spec, Stream } from "../../spec/types.js";
import type { RuleFinding } from "./rule.js";
import { durationOf } from "./stream-limits.js";

/** What the image's nats-server (as NACK creates consumers) refuses in a consumer of a stream, and what it accepts but never delivers. */
export function consumerFindings(spec: Spec, assets: JetStreamAssets): RuleFinding[] {
  const out: RuleFinding[] = [];
  spec.streams.forEach((s, i) => {
    // The stream's replicas as the Model resolved them (natskube's default when unset).
    const replicas = assets.streams[i]!.replicas;
    s.consumers.forEach((c, k) => out.push(...consumerChecks(spec, s, replicas, c, ["spec", "streams", i, "consumers", k])));
    if (s.retention === "workqueue") out.push(...workQueueChecks(s, i));
  });
  return out;
}

function filtersOf(c: Consumer): string[] {
  return c.filterSubject !== undefined ? [c.filterSubject] : (c.filterSubjects ?? []);
}

function consumerChecks(spec: Spec, s: Stream, streamReplicas: number, c: Consumer, base: PathSegment[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  const at = (...f: PathSegment[]): PathSegment[] => [...base, ...f];
  const name = `consumer "${c.durableName}"`;
  const deliver = deliverPolicyOf(c);
  const push = c.deliverSubject !== undefined;

  durationOf(c.ackWait, at("ackWait"), out);

  if (c.filterSubject !== undefined && c.filterSubjects !== undefined)
    out.push({ code: "cross-field", path: at("filterSubjects"), message: `${name} sets both filterSubject and filterSubjects; NACK and the server refuse that`, hint: "Put every filter in filterSubjects." });
  if (c.filterSubjects !== undefined && serverRefuses(spec.image.tag, "filterSubjects"))
    out.push({ code: "server-version", path: at("filterSubjects"), message: `filterSubjects needs nats-server ${SERVER_BEHAVIOUR.filterSubjects.refusedBefore} or later; the image is ${spec.image.tag}`, hint: "Use a single filterSubject, or a newer image." });
  const filterPaths: PathSegment[][] = c.filterSubject !== undefined ? [at("filterSubject")] : (c.filterSubjects ?? []).map((_, j) => at("filterSubjects", j));
  const valid: string[] = [];
  filtersOf(c).forEach((f, j) => {
    const path = filterPaths[j]!;
    const problem = subjectProblem(f);
    if (problem) out.push({ code: "format", path, message: `filter subject "${f}" ${problem}` });
    else if (!filterMatchesStream(f, s.subjects)) {
      // From 2.10 on nothing raises the server's "not a valid subset" error any more: the consumer
      // is created and never delivers. Still a mistake, but no longer a refusal.
      const refused = serverRefuses(spec.image.tag, "filterOutsideStream");
      out.push({
        code: "cross-field",
        ...(refused ? {} : { severity: "warning" as const }),
        path,
        message: `filter subject "${f}" of ${name} is outside stream "${s.name}"'s subjects (${s.subjects.join(", ")}): the consumer would never receive a message${refused ? ", and the server refuses it" : ""}`,
        hint: `Filter on a subject inside ${s.subjects.join(" or ")}.`,
      });
    }
    else if (valid.some((v) => isSubsetMatch(f, v) || isSubsetMatch(v, f)))
      out.push({ code: "cross-field", path, message: `filter subject "${f}" overlaps another filter of ${name}`, hint: "Keep the wider one." });
    else valid.push(f);
  });

  if (c.deliverGroup !== undefined && !push)
    out.push({
      code: "cross-field",
      path: at("deliverGroup"),
      message: `${name} has a deliverGroup but no deliverSubject: a queue group applies only to push consumers, so it would be a pull consumer and the group ignored`,
      hint: "Add a deliverSubject for a push consumer, or remove deliverGroup (pull consumers share work by fetching from the same consumer).",
    });
  if (push) {
    const subject = c.deliverSubject!;
    const problem = subjectProblem(subject, { wildcards: false });
    if (problem) out.push({ code: "format", path: at("deliverSubject"), message: `deliverSubject "${subject}" ${problem}` });
    else if (s.subjects.some((x) => subjectsCollide(x, subject)))
      out.push({
        code: "cross-field",
        path: at("deliverSubject"),
        message: `deliverSubject "${subject}" is captured by stream "${s.name}" itself: the server refuses the cycle`,
        hint: "Deliver to a subject outside the stream, e.g. deliver.<consumer>.",
      });
    if (c.maxWaiting !== undefined && c.maxWaiting !== 0)
      out.push({ code: "cross-field", path: at("maxWaiting"), message: `maxWaiting applies to pull consumers; ${name} is a push consumer (deliverSubject)`, hint: "Remove maxWaiting." });
    if (ackPolicyOf(c) === "none" && c.maxAckPending !== undefined && c.maxAckPending > 0)
      out.push({ code: "cross-field", path: at("maxAckPending"), message: `maxAckPending needs acknowledgements, but ${name} has ackPolicy none`, hint: "Remove maxAckPending, or use ackPolicy: explicit." });
  }

  if (deliver === "lastPerSubject" && filtersOf(c).length === 0)
    out.push({ code: "cross-field", path: at("deliverPolicy"), message: `deliverPolicy lastPerSubject needs a filter subject`, hint: "Add filterSubject, e.g. the stream's subject." });
  if (deliver === "byStartSequence" && c.optStartSeq === undefined)
    out.push({ code: "cross-field", path: at("deliverPolicy"), message: `deliverPolicy byStartSequence needs optStartSeq`, hint: "Add optStartSeq: <first sequence>." });
  if (deliver !== "byStartSequence" && c.optStartSeq !== undefined)
    out.push({ code: "cross-field", path: at("optStartSeq"), message: `optStartSeq applies only to deliverPolicy byStartSequence (this consumer delivers ${deliver})`, hint: "Set deliverPolicy: byStartSequence, or remove optStartSeq." });

  if (c.replicas !== undefined && c.replicas > 0) {
    if (c.replicas > streamReplicas)
      out.push({ code: "cross-field", path: at("replicas"), message: `${name} asks for ${c.replicas} replicas, more than its stream's ${streamReplicas}`, hint: "Leave replicas out: a consumer inherits its stream's." });
    else if ((s.retention === "interest" || s.retention === "workqueue") && c.replicas !== streamReplicas && serverRefuses(spec.image.tag, "consumerReplicasOnInterest"))
      out.push({
        code: "cross-field",
        path: at("replicas"),
        message: `on a ${s.retention} stream a consumer must have the stream's replicas (${streamReplicas}), not ${c.replicas}: the server refuses it`,
        hint: "Leave replicas out.",
      });
  }
  return out;
}

/** A work queue hands each message to one consumer: explicit acks, deliver all, disjoint filters. */
function workQueueChecks(s: Stream, i: number): RuleFinding[] {
  const out: RuleFinding[] = [];
  const at = (k: number, f: string): PathSegment[] => ["spec", "streams", i, "consumers", k, f];
  s.consumers.forEach((c, k) => {
    if (ackPolicyOf(c) !== "explicit")
      out.push({ code: "cross-field", path: at(k, "ackPolicy"), message: `consumers of workqueue stream "${s.name}" must use ackPolicy explicit (got ${ackPolicyOf(c)})`, hint: "Use ackPolicy: explicit (the default)." });
    if (deliverPolicyOf(c) !== "all")
      out.push({ code: "cross-field", path: at(k, "deliverPolicy"), message: `consumers of workqueue stream "${s.name}" must deliver all (got ${deliverPolicyOf(c)})`, hint: "Remove deliverPolicy." });
  });
  if (s.consumers.length < 2) return out;
  s.consumers.forEach((c, k) => {
    const filters = filtersOf(c);
    if (filters.length === 0) {
      out.push({
        code: "cross-field",
        path: at(k, "durableName"),
        message: `workqueue stream "${s.name}" has ${s.consumers.length} consumers, so each needs a filter subject; "${c.durableName}" has none`,
        hint: "Give each consumer its own part of the subjects (filterSubject), or use one consumer with several clients.",
      });
      return;
    }
    const clash = s.consumers.slice(0, k).find((o) => filtersOf(o).some((a) => filters.some((b) => subjectsCollide(a, b))));
    if (clash)
      out.push({
        code: "cross-field",
        path: at(k, c.filterSubject !== undefined ? "filterSubject" : "filterSubjects"),
        message: `the filters of "${c.durableName}" overlap those of "${clash.durableName}" on workqueue stream "${s.name}": a message may go to one consumer only`,
        hint: "Make the filter subjects disjoint.",
      });
  });
  return out;
}

import type { PathSegment } from "../../diagnostics/diagnostic.js";
import type { AuthUser } from "../../model/auth.js";
import type { JetStreamAssets } from "../../model/jetstream-assets.js";
import { permits } from "../../nats/subjects.js";
import type { RuleFinding, ValidationRule } from "./rule.js";

const USER: PathSegment[] = ["spec", "nack", "user"];

/**
 * The JetStream API subjects NACK publishes to for the declared assets (stream and consumer create,
 * update, info; a bucket is the stream KV_<bucket> or OBJ_<bucket>), and an inbox for the answers.
 */
function nackSubjects(assets: JetStreamAssets): { publish: string[]; subscribe: string[] } {
  const streams = [...assets.streams.map((s) => s.name), ...assets.keyValues.map((k) => `KV_${k.name}`), ...assets.objectStores.map((o) => `OBJ_${o.name}`)];
  const consumers = assets.streams.flatMap((s) => s.declared.consumers.map((c) => `${s.name}.${c.durableName}`));
  return {
    publish: [
      ...streams.flatMap((s) => ["CREATE", "UPDATE", "INFO"].map((op) => `$JS.API.STREAM.${op}.${s}`)),
      ...consumers.flatMap((c) => ["CREATE", "INFO"].map((op) => `$JS.API.CONSUMER.${op}.${c}`)),
    ],
    subscribe: ["_INBOX.natskube"],
  };
}

/** What a user's permissions refuse of what NACK needs, as a phrase ("publishing to X, Y and 2 more API subjects"). */
function refused(u: AuthUser, assets: JetStreamAssets): string | undefined {
  const p = u.permissions;
  if (!p) return undefined;
  const need = nackSubjects(assets);
  const pub = need.publish.filter((s) => !permits(p.publish, s));
  const sub = need.subscribe.some((s) => !permits(p.subscribe, s));
  const shown = pub.slice(0, 3).join(", ");
  const parts = [
    ...(pub.length > 0 ? [`publishing to ${shown}${pub.length > 3 ? ` and ${pub.length - 3} more API subjects` : ""}`] : []),
    ...(sub ? ["subscribing to _INBOX.> (the API's answers)"] : []),
  ];
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/**
 * Streams, buckets and object stores beside declared users: NACK signs in as one of them (nack.user),
 * and its account holds them. What would leave every resource failing in the controller is an error here.
 */
export const nackUserRules: ValidationRule = ({ resource, model, isSet }) => {
  const out: RuleFinding[] = [];
  const spec = resource.spec;
  const named = spec.nack.user;
  const assets = model.assets;
  const declared = model.auth.kind === "users" ? model.auth.users : [];
  const jetstreamUsers = declared.filter((u) => u.jetstream).map((u) => u.name);
  const first = (["streams", "keyValues", "objectStores"] as const).find((k) => spec[k].length > 0);

  if (named === undefined) {
    if (declared.length > 0 && first)
      out.push({
        code: "cross-field",
        path: ["spec", first],
        message: `${first} with declared users: say which user NACK signs in as (nack.user); its account holds the streams, buckets and object stores`,
        hint: jetstreamUsers.length > 0 ? `Set nack.user to one of: ${jetstreamUsers.join(", ")} (users with JetStream).` : "Give an account JetStream (accounts[].jetstream: true) and set nack.user to one of its users.",
      });
    return out;
  }
  if (declared.length === 0) {
    out.push({
      code: "cross-field",
      path: USER,
      message: `nack.user "${named}" names a declared user, but no users or accounts are declared`,
      hint: spec.auth.enabled ? "With a token or one shared BASIC user, NACK signs in with those credentials: remove nack.user." : "Declare the user under auth.users or auth.accounts (with auth.enabled), or remove nack.user.",
    });
    return out;
  }
  const user = model.auth.nack?.user;
  if (!user) {
    out.push({ code: "cross-field", path: USER, message: `nack.user "${named}" is not a declared user`, hint: `Name one of: ${declared.map((u) => u.name).join(", ")}.` });
    return out;
  }
  const keyOwner = declared.find((u) => u.passwordKey === model.auth.nack!.userKey);
  if (keyOwner)
    out.push({
      code: "cross-field",
      path: isSet(["spec", "nack", "userKey"]) ? ["spec", "nack", "userKey"] : USER,
      message: `the auth Secret key "${keyOwner.passwordKey}" would hold both ${keyOwner.name}'s password and NACK's user name (nack.userKey)`,
      hint: "Set nack.userKey to a key no user's password uses.",
    });
  if (assets.all.length === 0) return out;
  const counted = (n: number, word: string) => (n === 0 ? [] : [`${n} ${word}${n === 1 ? "" : "s"}`]);
  const what = [...counted(assets.streams.length, "stream"), ...counted(assets.keyValues.length, "key-value bucket"), ...counted(assets.objectStores.length, "object store")].join(", ");
  if (!user.jetstream)
    out.push({
      code: "cross-field",
      path: USER,
      message: `nack.user "${user.name}" is in ${user.account ? `account "${user.account}", which has no JetStream` : "the shared account, and spec.jetstream is off"}: NACK could create none of its ${what} ("JetStream not enabled for account")`,
      hint: user.account
        ? `Set jetstream: true on account ${user.account}${jetstreamUsers.length > 0 ? `, or sign NACK in as a user with JetStream: ${jetstreamUsers.join(", ")}` : ""}.`
        : "Enable spec.jetstream.",
    });
  else {
    const no = refused(user, assets);
    if (no)
      out.push({
        code: "cross-field",
        path: [...user.path, "permissions"],
        message: `NACK signs in as ${user.name}, whose permissions forbid ${no}: the controller's requests would time out and the resources never become Ready`,
        hint: `Allow ${user.name} to publish to $JS.API.> and subscribe to _INBOX.>, or sign NACK in as a user without restrictions.`,
      });
  }
  return out;
};

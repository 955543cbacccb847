import type { PathSegment } from "../../diagnostics/diagnostic.js";
import { parseGoDuration } from "../../nats/durations.js";
import { subjectProblem } from "../../nats/subjects.js";
import { SYSTEM_ACCOUNT, SYSTEM_USER } from "../../model/auth.js";
import type { Spec } from "../../spec/types.js";
import type { RuleFinding, ValidationRule } from "./rule.js";

// The server's own accounts, and natskube's system account and user.
const RESERVED_ACCOUNTS = [SYSTEM_ACCOUNT, "$SYS", "$G"];
const RESERVED_USERS = [SYSTEM_USER];

type User = Spec["auth"]["users"][number];

/**
 * Declared users and accounts (auth.users, auth.accounts): what nats-server would refuse or ignore.
 * The server's words are quoted where it has them (checked with `nats-server -t`).
 */
export const userRules: ValidationRule = ({ resource, isSet }) => {
  const auth = resource.spec.auth;
  const out: RuleFinding[] = [];
  const at = (...p: PathSegment[]): PathSegment[] => ["spec", "auth", ...p];
  if (!auth.enabled) return out;
  const declared: { user: User; path: PathSegment[] }[] = [
    ...auth.users.map((user, i) => ({ user, path: at("users", i) })),
    ...auth.accounts.flatMap((acc, a) => acc.users.map((user, i) => ({ user, path: at("accounts", a, "users", i) }))),
  ];

  if (auth.mode === "TOKEN" && declared.length > 0)
    out.push({
      code: "cross-field",
      path: at("mode"),
      message: `mode TOKEN cannot have ${auth.users.length > 0 ? "users" : "accounts"}: nats-server refuses a token next to them ("Can not have a token and ${auth.users.length > 0 ? "a users array" : "accounts"}")`,
      hint: "Remove mode (users and accounts sign in with user and password, mode BASIC), or remove the users.",
    });
  if (auth.systemAccount?.enabled === true && auth.mode === "TOKEN")
    out.push({
      code: "cross-field",
      path: at("systemAccount", "enabled"),
      message: 'the system account needs mode BASIC: nats-server refuses a token next to accounts ("Can not have a token and accounts")',
      hint: "Set auth.mode: BASIC, or declare users (which sign in with their own passwords).",
    });
  if (auth.users.length > 0 && auth.accounts.length > 0)
    out.push({
      code: "cross-field",
      path: at("accounts"),
      message: "declare users or accounts, not both: with accounts every user belongs to one",
      hint: "Move the users into an account (accounts[].users), or drop accounts and keep one shared account.",
    });

  const seen = new Map<string, PathSegment[]>();
  for (const { user, path } of declared) {
    if (RESERVED_USERS.includes(user.name))
      out.push({ code: "cross-field", path: [...path, "name"], message: `user name "${user.name}" is natskube's system account user`, hint: "Choose another name." });
    else if (seen.has(user.name))
      out.push({
        code: "cross-field",
        path: [...path, "name"],
        message: `user "${user.name}" is declared twice (also at ${seen.get(user.name)!.join(".")}): nats-server refuses duplicate users, and each user has one key in the auth Secret`,
        hint: "User names are unique across all users and accounts.",
      });
    else seen.set(user.name, path);
    out.push(...permissionFindings(user, path));
  }

  const keys = new Map<string, string>();
  for (const { user, path } of declared) {
    const key = user.passwordKey ?? user.name;
    const other = keys.get(key);
    if (other !== undefined && other !== user.name)
      out.push({
        code: "cross-field",
        path: [...path, isSet([...path, "passwordKey"]) ? "passwordKey" : "name"],
        message: `users "${other}" and "${user.name}" would read their password from the same Secret key "${key}"`,
        hint: "Give each user its own passwordKey (default: the user name).",
      });
    else keys.set(key, user.name);
  }

  const accounts = new Set<string>();
  auth.accounts.forEach((acc, a) => {
    const path = at("accounts", a, "name");
    if (RESERVED_ACCOUNTS.includes(acc.name))
      out.push({ code: "cross-field", path, message: `account name "${acc.name}" is reserved for the server's own accounts`, hint: "Choose another name, e.g. ops." });
    else if (accounts.has(acc.name)) out.push({ code: "cross-field", path, message: `account "${acc.name}" is declared twice`, hint: "Account names are unique; merge their users." });
    accounts.add(acc.name);
    if (acc.jetstream && !resource.spec.jetstream.enabled)
      out.push({
        code: "cross-field",
        severity: "warning",
        path: at("accounts", a, "jetstream"),
        message: `account "${acc.name}" enables JetStream, but spec.jetstream is off: the servers run no JetStream, so its users have none`,
        hint: "Set jetstream.enabled: true, or remove accounts[].jetstream.",
      });
  });

  const nau = auth.noAuthUser;
  if (typeof nau === "string") {
    if (declared.length === 0)
      out.push({
        code: "cross-field",
        path: at("noAuthUser"),
        message: `noAuthUser "${nau}" names a user, but no users or accounts are declared`,
        hint: "Declare the user under auth.users, or use the shared form noAuthUser: {enabled: true, publishSubjects: [...]} with mode BASIC.",
      });
    else if (!seen.has(nau))
      out.push({
        code: "cross-field",
        path: at("noAuthUser"),
        message: `noAuthUser "${nau}" is not a declared user: nats-server refuses to start ("no_auth_user: \\"${nau}\\" not present as user or nkey in authorization block or account configuration")`,
        hint: `Name one of: ${[...seen.keys()].join(", ")}.`,
      });
  } else if (nau?.enabled && declared.length > 0)
    out.push({
      code: "cross-field",
      path: at("noAuthUser"),
      message: "with declared users, noAuthUser names one of them (the user anonymous clients become), not a restricted user of its own",
      hint: "Declare a user with the permissions anonymous clients should have, and write noAuthUser: <its name>.",
    });
  return out;
};

function permissionFindings(user: User, path: PathSegment[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  const p = user.permissions;
  if (!p) return out;
  for (const direction of ["publish", "subscribe"] as const)
    for (const list of ["allow", "deny"] as const)
      (p[direction]?.[list] ?? []).forEach((entry, i) => {
        // A subscribe permission may name a queue group after the subject ("orders.> workers").
        const [subject = "", queue, ...rest] = direction === "subscribe" ? entry.split(" ") : [entry];
        const problem = rest.length > 0 ? "has more than a subject and a queue group" : (subjectProblem(subject) ?? (queue !== undefined ? queueProblem(queue) : undefined));
        if (problem)
          out.push({
            code: "format",
            path: [...path, "permissions", direction, list, i],
            message: `"${entry}" is not a NATS subject${direction === "subscribe" ? " (and optional queue group)" : ""}: it ${problem}`,
            hint: "Subjects are dot-separated tokens; * matches one token, > the rest (last token only), e.g. orders.>.",
          });
      });
  const expires = typeof p.allowResponses === "object" ? p.allowResponses.expires : undefined;
  if (expires !== undefined && !((parseGoDuration(expires) ?? 0) > 0))
    out.push({
      code: "format",
      path: [...path, "permissions", "allowResponses", "expires"],
      message: `allowResponses.expires must be a positive Go duration such as 1m, got "${expires}"`,
      hint: "nats-server parses it with time.ParseDuration: ns, us, ms, s, m, h.",
    });
  return out;
}

function queueProblem(queue: string): string | undefined {
  return queue === "" ? "has more than one space between the subject and the queue group" : undefined;
}

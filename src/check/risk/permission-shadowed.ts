import { isSubsetMatch } from "../../nats/subjects.js";
import { defineRule } from "../risk-rule.js";

export const permissionShadowed = defineRule({
  id: "permission-shadowed",
  severity: "warning",
  path: ["spec", "auth", "users"],
  title: "An allow entry that a deny entry of the same user covers",
  why:
    "nats-server checks deny after allow and deny wins: an allowed subject inside a denied one is refused. The manifest " +
    "then says one thing and the server does another, which is how permissions drift into something nobody meant.",
  fix: "Remove the allow entry, or narrow the deny entry so it no longer covers it.",
  examples: {
    fail: { spec: { auth: { enabled: true, users: [{ name: "app", permissions: { publish: { allow: ["orders.new"], deny: ["orders.>"] } } }] } } },
    pass: { spec: { auth: { enabled: true, users: [{ name: "app", permissions: { publish: { allow: ["orders.new"], deny: ["orders.admin.>"] } } }] } } },
  },
  check({ model }) {
    return model.auth.users.flatMap((u) =>
      (["publish", "subscribe"] as const).flatMap((direction) => {
        const set = u.permissions?.[direction];
        return (set?.allow ?? []).flatMap((allow, i) => {
          const deny = (set?.deny ?? []).find((d) => !allow.includes(" ") && !d.includes(" ") && isSubsetMatch(allow, d));
          if (deny === undefined) return [];
          return [
            {
              path: [...u.path, "permissions", direction, "allow", i],
              message: `user ${u.name} may ${direction === "publish" ? "publish to" : "subscribe to"} "${allow}" by its allow list, but "${deny}" denies all of it: the server refuses it`,
              fix: `Remove "${allow}" from ${direction}.allow, or narrow "${deny}".`,
            },
          ];
        });
      }),
    );
  },
});

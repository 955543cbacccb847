import { permits } from "../../nats/subjects.js";
import { defineRule } from "../risk-rule.js";

// Concrete subjects of each kind of JetStream traffic: an API request, an ack, a reply inbox.
const API = "$JS.API.STREAM.INFO.natskube";
const ACK = "$JS.ACK.natskube.natskube.1.1.1.1.0";
const INBOX = "_INBOX.natskube";

export const jetstreamFencedUser = defineRule({
  id: "jetstream-fenced-user",
  severity: "warning",
  path: ["spec", "auth", "users"],
  title: "A user with JetStream whose permissions block the JetStream API, acks or replies",
  why:
    "Clients drive JetStream by publishing requests to $JS.API.> and acks to $JS.ACK.>, and read the answers on their " +
    "_INBOX.> subscription. A publish allow list without $JS.API.> makes the server drop every stream, consumer and key-value " +
    "request silently: the client waits for its timeout, and nothing says why. Project Planton's production preset ships " +
    "such a user.",
  fix: "Add $JS.API.> (and $JS.ACK.> for consumers) to the user's publish allow list and _INBOX.> to its subscribe allow list, or give the user no JetStream account.",
  examples: {
    fail: {
      spec: {
        jetstream: { enabled: true },
        auth: { enabled: true, users: [{ name: "orders", permissions: { publish: { allow: ["orders.>"] } } }] },
      },
    },
    pass: {
      spec: {
        jetstream: { enabled: true },
        auth: {
          enabled: true,
          users: [{ name: "orders", permissions: { publish: { allow: ["orders.>", "$JS.API.>", "$JS.ACK.>"] }, subscribe: { allow: ["orders.>", "_INBOX.>"] } } }],
        },
      },
    },
  },
  check({ model }) {
    return model.auth.users.flatMap((u) => {
      const p = u.permissions;
      if (!u.jetstream || !p) return [];
      const blocked = [
        permits(p.publish, API) ? "" : "publishing to $JS.API.> (every JetStream request)",
        permits(p.publish, ACK) ? "" : "publishing to $JS.ACK.> (consumer acks)",
        permits(p.subscribe, INBOX) ? "" : "subscribing to _INBOX.> (the API's replies)",
      ].filter(Boolean);
      if (blocked.length === 0) return [];
      return [
        {
          path: [...u.path, "permissions"],
          message: `user ${u.name} has JetStream${u.account ? ` (account ${u.account})` : ""} but its permissions forbid ${blocked.join(", ")}: its JetStream calls will time out without an error`,
          fix: `Allow ${[!permits(p.publish, API) ? "$JS.API.>" : "", !permits(p.publish, ACK) ? "$JS.ACK.>" : ""].filter(Boolean).join(" and ") || "nothing more to publish"}${permits(p.subscribe, INBOX) ? "" : "; subscribe to _INBOX.>"} for ${u.name}, or move it to an account without JetStream.`,
        },
      ];
    });
  },
});

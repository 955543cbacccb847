import { parseGoDuration } from "../../nats/durations.js";
import { subjectProblem } from "../../nats/subjects.js";
import type { PathSegment } from "../../diagnostics/diagnostic.js";
import { CERT_LIFETIMES, leafLifetime, maxLeafRenewalIntervalHours, renewalIntervalHours } from "../../spec/certificate-lifetimes.js";
import { ingressControllerOf } from "../../spec/ingress-controllers.js";
import { setButUnused, type RuleContext, type RuleFinding, type ValidationRule } from "./rule.js";

type RuleContextResource = RuleContext["resource"];

export const authRules: ValidationRule = ({ resource, isSet }) => {
  const auth = resource.spec.auth;
  const out: RuleFinding[] = [];
  const nau = auth.noAuthUser;
  const at = (...p: string[]) => ["spec", "auth", ...p];
  if (!auth.enabled) {
    const keys = ["mode", "secretName", "noAuthUser", "tokenKey", "userKey", "passwordKey", "users", "accounts", "systemAccount"];
    return setButUnused(isSet, at(), keys, (k) => `auth.${k} has no effect while auth.enabled is false: the server accepts every client`, "Set auth.enabled: true.");
  }
  const declared = auth.users.length + auth.accounts.length > 0;
  const unused = auth.mode === "TOKEN" ? ["userKey", "passwordKey"] : declared ? ["tokenKey", "userKey", "passwordKey"] : ["tokenKey"];
  for (const k of unused)
    if (isSet(at(k)))
      out.push({
        code: "cross-field",
        severity: "warning",
        path: at(k),
        message: `auth.${k} has no effect with mode ${auth.mode}`,
        hint: auth.mode === "TOKEN" ? "TOKEN reads only tokenKey." : declared ? "Each declared user's password is under its own key (users[].passwordKey, default the user name)." : "BASIC reads userKey and passwordKey.",
      });
  if (auth.mode === "BASIC" && !declared && auth.userKey === auth.passwordKey)
    out.push({
      code: "cross-field",
      path: at("passwordKey"),
      message: `auth.userKey and auth.passwordKey are both "${auth.userKey}": the password would equal the user name`,
      hint: "Use different keys, e.g. user and password.",
    });
  if (typeof nau !== "object" || !nau.enabled) return out;
  if (auth.mode === "TOKEN")
    out.push({
      code: "cross-field",
      path: at("noAuthUser"),
      message: "noAuthUser needs mode BASIC: nats-server refuses a token next to users (\"Can not have a token and a users array\")",
      hint: "Set auth.mode: BASIC (auth.scheme: basic_auth); clients then sign in with user and password, anonymous clients get the restricted user.",
    });
  if (nau.publishSubjects.length === 0)
    out.push({
      code: "cross-field",
      path: at("noAuthUser", "publishSubjects"),
      message: "noAuthUser needs at least one subject that anonymous clients may publish to",
      hint: "For example publishSubjects: [\"public.>\"], or disable noAuthUser.",
    });
  for (const key of ["publishSubjects", "subscribeSubjects"] as const)
    nau[key].forEach((s, i) => {
      const problem = subjectProblem(s);
      if (problem)
        out.push({
          code: "format",
          path: [...at("noAuthUser", key), i],
          message: `"${s}" is not a NATS subject: it ${problem}`,
          hint: "Subjects are dot-separated tokens; * matches one token, > the rest (last token only), e.g. public.>.",
        });
    });
  if (auth.mode === "BASIC" && nau.secretName === undefined && [auth.userKey, auth.passwordKey].includes(nau.passwordKey))
    out.push({
      code: "cross-field",
      path: at("noAuthUser", "passwordKey"),
      message: `noAuthUser.passwordKey "${nau.passwordKey}" is also the key of the signed-in user's credentials`,
      hint: "Give the anonymous user's password its own key (default noAuthPassword).",
    });
  return out;
};

export const tlsRules: ValidationRule = ({ resource, isSet }) => {
  const tls = resource.spec.tls;
  const out: RuleFinding[] = [];
  if (!tls.enabled) {
    return setButUnused(isSet, ["spec", "tls"], ["secretName", "certManager", "caKey", "verifyClients", "clientSecretName"], (k) => `tls.${k} has no effect while tls.enabled is false`, "Set tls.enabled: true.");
  }
  const cm = tls.certManager;
  const sources = [tls.secretName ? "secretName" : "", cm?.issuerRef ? "certManager.issuerRef" : "", cm?.selfSigned ? "certManager.selfSigned" : ""].filter(Boolean);
  if (sources.length > 1)
    out.push({
      code: "cross-field",
      path: ["spec", "tls"],
      message: `TLS takes exactly one certificate source, got ${sources.join(" and ")}`,
      hint: "Keep secretName (a Secret you manage), certManager.issuerRef (your issuer) or certManager.selfSigned (a private CA).",
    });
  if (sources.length === 0)
    out.push({
      code: "cross-field",
      severity: "info",
      path: ["spec", "tls", "enabled"],
      message: "TLS without a certificate source: natskube bootstraps a private CA with cert-manager (certManager.selfSigned)",
      hint: "Needs cert-manager in the cluster. Set tls.secretName or tls.certManager.issuerRef to use your own certificates.",
    });
  for (const k of ["duration", "renewBefore"] as const) {
    const v = cm?.[k];
    if (v !== undefined && !((parseGoDuration(v) ?? 0) > 0))
      out.push({
        code: "format",
        path: ["spec", "tls", "certManager", k],
        message: `certManager.${k} must be a Go duration such as 2160h, got "${v}"`,
        hint: "cert-manager takes h, m, s units (90 days = 2160h).",
      });
  }
  if (!tls.secretName) out.push(...lifetimeFindings(cm, sources.length === 0 || cm?.selfSigned === true));
  if (tls.secretName && isSet(["spec", "tls", "certManager"]) && sources.length === 1)
    out.push({
      code: "cross-field",
      path: ["spec", "tls", "certManager"],
      message: "certManager settings have no effect when tls.secretName names the certificate",
      hint: "Remove certManager, or remove secretName to let cert-manager issue it.",
    });
  if (!tls.secretName && isSet(["spec", "tls", "caKey"]))
    out.push({
      code: "cross-field",
      severity: "warning",
      path: ["spec", "tls", "caKey"],
      message: "tls.caKey has no effect with cert-manager: its Secret holds the CA as ca.crt",
      hint: "Remove caKey, or use it with tls.secretName.",
    });
  return out;
};

/**
 * cert-manager refuses renewBefore >= duration. With the bootstrap CA, a server certificate renewed
 * less often than the CA's overlap allows would leave pods trusting only the expired CA certificate
 * after a CA renewal (spec/certificate-lifetimes.ts).
 */
function lifetimeFindings(cm: { duration?: string | undefined; renewBefore?: string | undefined } | undefined, bootstrapCa: boolean): RuleFinding[] {
  const l = leafLifetime(cm);
  if (!l || !(l.durationHours > 0) || !(l.renewBeforeHours > 0)) return [];
  const at = (k: string) => ["spec", "tls", "certManager", k];
  if (l.renewBeforeHours >= l.durationHours)
    return [
      {
        code: "cross-field",
        path: at(cm?.renewBefore !== undefined ? "renewBefore" : "duration"),
        message: `certManager.renewBefore (${l.renewBeforeHours}h) must be shorter than the duration (${l.durationHours}h); cert-manager rejects the Certificate`,
        hint: "Renew a third of the lifetime ahead, e.g. duration: 2160h, renewBefore: 720h.",
      },
    ];
  const max = maxLeafRenewalIntervalHours();
  if (bootstrapCa && renewalIntervalHours(l) > max)
    return [
      {
        code: "cross-field",
        path: at(cm?.duration !== undefined ? "duration" : "renewBefore"),
        message: `the server certificate is re-issued only every ${renewalIntervalHours(l)}h (duration - renewBefore), longer than the private CA's ${CERT_LIFETIMES.caRenewBeforeHours}h renewal overlap allows (${max}h with a ${CERT_LIFETIMES.marginHours}h margin): after a CA renewal, pods and clients would trust only the expired CA certificate until then`,
        hint: `Keep duration - renewBefore at most ${max}h, e.g. duration: 2160h, renewBefore: 720h.`,
      },
    ];
  return [];
}

export const networkPolicyRules: ValidationRule = ({ resource, isSet }) => {
  const np = resource.spec.networkPolicy;
  const at = (k: string) => ["spec", "networkPolicy", k];
  const out: RuleFinding[] = [];
  if (!np.enabled) {
    const keys = ["clientNamespaces", "ingressControllerNamespaces", "monitoringNamespace"];
    return setButUnused(isSet, ["spec", "networkPolicy"], keys, (k) => `networkPolicy.${k} has no effect while networkPolicy.enabled is false`, "Set networkPolicy.enabled: true.");
  }
  if (np.clientNamespaces.length > 0 && resource.spec.service.type !== "ClusterIP")
    out.push({
      code: "cross-field",
      severity: "warning",
      path: at("clientNamespaces"),
      message: `clientNamespaces cannot restrict port 4222 of a ${resource.spec.service.type} client Service: its clients come from outside the cluster, so the port stays open to every source`,
      hint: "Restrict sources with your nodes' firewall or the load balancer's annotations, or keep service.type: ClusterIP.",
    });
  else if (np.clientNamespaces.length > 0 && resource.spec.externalAccess.type === "LOADBALANCER")
    out.push({
      code: "cross-field",
      severity: "warning",
      path: at("clientNamespaces"),
      message: "clientNamespaces cannot restrict port 4222 behind a LoadBalancer: its clients come from outside the cluster, so the port stays open to every source",
      hint: "Restrict external sources with externalAccess.loadBalancerSourceRanges.",
    });
  out.push(...websocketIngressRules(resource, isSet));
  return out;
};

/**
 * The Ingress controller must reach the WebSocket port through the policy. Its namespace is allowed
 * by ingressControllerNamespaces, or by an empty clientNamespaces (every namespace); natskube cannot
 * tell whether one of the listed client namespaces is the controller's, so that case is a warning.
 * Controllers that connect from outside the pod network (AWS ALB in IP mode, GKE's NEGs) are never
 * matched by a namespace: the policy blocks them whatever the lists say.
 */
function websocketIngressRules(resource: RuleContextResource, isSet: (p: PathSegment[]) => boolean): RuleFinding[] {
  const np = resource.spec.networkPolicy;
  const ea = resource.spec.externalAccess;
  const at = (k: string) => ["spec", "networkPolicy", k];
  if (ea.type !== "INGRESS") {
    if (!isSet(at("ingressControllerNamespaces"))) return [];
    return [{ code: "cross-field", severity: "warning", path: at("ingressControllerNamespaces"), message: "networkPolicy.ingressControllerNamespaces has no effect without externalAccess type INGRESS", hint: "Remove it, or set externalAccess.type: INGRESS." }];
  }
  const controller = ingressControllerOf(ea.ingressClassName);
  if (controller === "alb" || controller === "gce")
    return [
      {
        code: "cross-field",
        severity: "warning",
        path: ["spec", "externalAccess", "ingressClassName"],
        message: `the ${controller === "alb" ? "AWS Load Balancer Controller's ALB" : "GKE load balancer"} reaches the pods from addresses outside the pod network, which the NetworkPolicy never allows: every wss:// connection would fail`,
        hint:
          controller === "alb"
            ? "Add a NetworkPolicy allowing your VPC subnets (ipBlock) on port 8080 beside natskube's, or set networkPolicy.enabled: false."
            : "Add a NetworkPolicy allowing 35.191.0.0/16 and 130.211.0.0/22 (Google's front ends) on port 8080 beside natskube's, or set networkPolicy.enabled: false.",
      },
    ];
  if (np.clientNamespaces.length === 0 || np.ingressControllerNamespaces.length > 0) return [];
  return [
    {
      code: "cross-field",
      severity: "warning",
      path: at("clientNamespaces"),
      message: `the WebSocket port 8080 is open only to clientNamespaces [${np.clientNamespaces.join(", ")}]: unless the Ingress controller runs in one of them, it is denied and every wss:// connection fails (502/504)`,
      hint: "Set networkPolicy.ingressControllerNamespaces to the controller's namespace, e.g. [ingress-nginx].",
    },
  ];
}

/**
 * tls.verifyClients: every client on 4222 needs a certificate. natskube's own clients (nats-box, NACK)
 * present the one in the client Secret, which a server Secret you manage does not imply.
 */
export const verifyClientsRules: ValidationRule = ({ resource, model, isSet }) => {
  const spec = resource.spec;
  if (!spec.tls.enabled) return [];
  if (!spec.tls.verifyClients)
    return setButUnused(isSet, ["spec", "tls"], ["clientSecretName"], () => "tls.clientSecretName has no effect while tls.verifyClients is false: the servers ask no client for a certificate", "Set tls.verifyClients: true, or remove clientSecretName.");
  if (model.tls?.client) return [];
  const hint = "Set tls.clientSecretName to a kubernetes.io/tls Secret holding a client certificate the CA signed (tls.crt, tls.key, and the CA under caKey), or leave verifyClients off.";
  const out: RuleFinding[] = [];
  if (spec.natsBox.enabled)
    out.push({
      code: "cross-field",
      path: ["spec", "tls", "verifyClients"],
      message: "tls.verifyClients with nats-box and a server Secret you manage: nats-box has no client certificate to present, so the server would refuse it",
      hint: `${hint} Project Planton's manifests with verifyClients turn nats-box off instead (natsBox.enabled: false).`,
    });
  if (model.assets.all.length > 0)
    out.push({
      code: "cross-field",
      path: ["spec", "tls", "verifyClients"],
      message: "tls.verifyClients with streams, key-value buckets or object stores and a server Secret you manage: NACK has no client certificate to present, so the server would refuse it",
      hint,
    });
  return out;
};

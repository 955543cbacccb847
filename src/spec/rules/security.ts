import { GO_DURATION } from "../schema/primitives.js";
import type { RuleFinding, ValidationRule } from "./rule.js";

export const authRules: ValidationRule = ({ resource, isSet }) => {
  const auth = resource.spec.auth;
  const out: RuleFinding[] = [];
  const nau = auth.noAuthUser;
  if (!auth.enabled) {
    for (const k of ["mode", "secretName", "noAuthUser"])
      if (isSet(["spec", "auth", k]))
        out.push({
          code: "cross-field",
          severity: "warning",
          path: ["spec", "auth", k],
          message: `auth.${k} has no effect while auth.enabled is false: the server accepts every client`,
          hint: "Set auth.enabled: true.",
        });
    return out;
  }
  if (nau?.enabled && nau.publishSubjects.length === 0)
    out.push({
      code: "cross-field",
      path: ["spec", "auth", "noAuthUser", "publishSubjects"],
      message: "noAuthUser needs at least one subject that anonymous clients may publish to",
      hint: "For example publishSubjects: [\"public.>\"], or disable noAuthUser.",
    });
  return out;
};

export const tlsRules: ValidationRule = ({ resource, isSet }) => {
  const tls = resource.spec.tls;
  const out: RuleFinding[] = [];
  if (!tls.enabled) {
    for (const k of ["secretName", "certManager"])
      if (isSet(["spec", "tls", k]))
        out.push({
          code: "cross-field",
          severity: "warning",
          path: ["spec", "tls", k],
          message: `tls.${k} has no effect while tls.enabled is false`,
          hint: "Set tls.enabled: true.",
        });
    return out;
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
  for (const k of ["duration", "renewBefore"] as const) {
    const v = cm?.[k];
    if (v !== undefined && !GO_DURATION.test(v))
      out.push({
        code: "format",
        path: ["spec", "tls", "certManager", k],
        message: `certManager.${k} must be a Go duration such as 2160h, got "${v}"`,
        hint: "cert-manager takes h, m, s units (90 days = 2160h).",
      });
  }
  if (tls.secretName && isSet(["spec", "tls", "certManager"]) && sources.length === 1)
    out.push({
      code: "cross-field",
      path: ["spec", "tls", "certManager"],
      message: "certManager settings have no effect when tls.secretName names the certificate",
      hint: "Remove certManager, or remove secretName to let cert-manager issue it.",
    });
  return out;
};

import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { Model } from "../model/model.js";
import { objectMeta } from "./object.js";

/** NATS never calls the Kubernetes API: no token is mounted. */
export function serviceAccount(m: Model): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: objectMeta(m, m.names.serviceAccount),
    automountServiceAccountToken: false,
  };
}

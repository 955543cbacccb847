import type { Model } from "../../model/model.js";

/** The NACK Account resource every rendered JetStream resource points at: servers, credentials, CA. */
export const accountName = (m: Model) => m.name;

/** Names of the controller's objects. The ClusterRole is cluster-wide, so it carries the namespace too. */
export function nackNames(m: Model) {
  const name = `${m.name}-nack`;
  return { deployment: name, serviceAccount: name, role: name, clusterRole: `${m.namespace}-${name}` };
}

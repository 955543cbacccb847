import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { Model } from "../../model/model.js";
import { authEnv } from "./auth-env.js";

export function natsEnv(m: Model): IEnvVar[] {
  const env: IEnvVar[] = [
    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    { name: "SERVER_NAME", value: "$(POD_NAME)" },
  ];
  // max_memory_store does not bound the Go heap; GOMEMLIMIT makes the GC work harder before the OOM killer acts.
  if (m.goMemLimit) env.push({ name: "GOMEMLIMIT", value: m.goMemLimit });
  env.push(...authEnv(m));
  return env;
}

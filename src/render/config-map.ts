import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { natsConf } from "../conf/index.js";
import type { Model } from "../model/model.js";
import { objectMeta } from "./object.js";

export function configMap(m: Model): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: objectMeta(m, m.names.config),
    data: { "nats.conf": natsConf(m) },
  };
}

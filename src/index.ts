// natskube as a library: the same pipeline the CLI runs, without printing.
export type { Diagnostic, Severity, SourcePosition } from "./diagnostics/diagnostic.js";
export { DIAGNOSTIC_CODES, type DiagnosticCode } from "./diagnostics/codes.js";
export { loadDocuments, type LoadedDocument } from "./load/load.js";
export { parseDocument, type ParsedDocument } from "./check/document.js";
export type { KubernetesNats, Spec } from "./spec/types.js";
export { jsonSchema } from "./spec/json-schema.js";
export {
  parseText,
  parseObject,
  renderManifest,
  renderParsed,
  type KubernetesNatsInput,
  type PipelineResult,
  type RenderedDocument,
} from "./pipeline.js";
export { buildModel, type Model, type ModelOptions } from "./model/model.js";
export { kubernetesTopology, localTopology, type Topology } from "./model/topology.js";
export { renderObjects, type KubeObject } from "./render/index.js";
export { natsConf, buildConf } from "./conf/index.js";
export { yamlStream, jsonList, toYaml } from "./emit/yaml.js";
export { directoryFiles } from "./emit/directory.js";
export { redesignOutputs, stackOutputs, type RedesignOutputs, type StackOutputs } from "./outputs.js";
export { lintDocument, type DocumentLint, type LintFinding, type LintOptions } from "./lint/run.js";
export { buildPlan, type Plan } from "./plan/index.js";
export { verify, verifyText } from "./verify/lazy.js";
export type { VerifyOptions } from "./verify/verify.js";

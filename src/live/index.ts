// natskube's live commands (apply, diff, delete) against an API server. A bundle of its own
// (dist/cli/live.cjs, with @kubernetes/client-node inside), loaded only by those commands.
export { applyLive, type ApplyOptions, type ApplyResult } from "./apply.js";
export { ClusterError, connect, proxyPath, type Cluster, type ConnectOptions, type ProxyTarget } from "./client.js";
export { deleteLive, type DeleteOptions, type DeleteResult, type VolumeClaim } from "./delete.js";
export { asDiagnostic, readState, type LiveOptions, type LiveState } from "./state.js";

import type { VerifyOptions } from "./verify.js";
import type { VerifyReport } from "./report.js";

// The library's verify entry points, loaded on first call: verify.ts pulls in the NATS client
// libraries (about 80 modules), which nobody who only validates or renders should pay for.

export async function verify(file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  return (await import("./verify.js")).verify(file, options);
}

export async function verifyText(text: string, file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  return (await import("./verify.js")).verifyText(text, file, options);
}

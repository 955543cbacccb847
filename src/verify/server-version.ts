import { execFile } from "node:child_process";

/** "2.14.2" from `nats-server --version`; "unknown" when it cannot be read. */
export function natsServerVersion(bin: string): Promise<string> {
  return new Promise((done) =>
    execFile(bin, ["--version"], { timeout: 5000 }, (err, stdout, stderr) => {
      const m = /v?(\d+\.\d+\.\d+\S*)/.exec(`${stdout}${stderr}`);
      done(err || !m ? "unknown" : m[1]!);
    }),
  );
}

// Version arithmetic lives with the rest of the version knowledge; verify re-exports it for its callers.
export { compareVersions } from "../nats/server-versions.js";

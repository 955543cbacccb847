import { execFile } from "node:child_process";

/** "2.9.10" from `nats-server --version`; "unknown" when it cannot be read. */
export function natsServerVersion(bin: string): Promise<string> {
  return new Promise((done) =>
    execFile(bin, ["--version"], { timeout: 5000 }, (err, stdout, stderr) => {
      const m = /v?(\d+\.\d+\.\d+\S*)/.exec(`${stdout}${stderr}`);
      done(err || !m ? "unknown" : m[1]!);
    }),
  );
}

/** -1, 0 or 1 comparing major.minor.patch; tags that are not versions compare as newest. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v)?.slice(1).map((x) => Number(x ?? 0));
  const [pa, pb] = [parse(a), parse(b)];
  if (!pa || !pb) return pa ? -1 : pb ? 1 : 0;
  for (let i = 0; i < 3; i++) if (pa[i]! !== pb[i]!) return pa[i]! < pb[i]! ? -1 : 1;
  return 0;
}

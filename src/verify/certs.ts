// Throwaway certificates for TLS tests and `natskube verify`: nats-server verifies
// route peers against a CA and clients check SANs, so a local TLS run needs a real CA
// and server certificates whose SANs name every address used. Made with `openssl`
// through execFile (argument arrays, no shell) and validated inputs, every call bounded.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join, resolve } from "node:path";

export interface CertificateAuthority {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

export interface ServerCertificate {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
  /** The issuing CA, so callers can hand one object to a conf or client. */
  caPath: string;
  caPem: string;
}

export interface ServerCertificateRequest {
  /** Used as the CN and file name stem: letters, digits, '.', '_', '-'. */
  name: string;
  dnsNames: string[];
  ipAddresses: string[];
  dir: string;
  /** Validity in days (default 2: these certificates are never meant to live long). */
  days?: number;
}

const OPENSSL_TIMEOUT_MS = 15_000;
// P-256 keys: generated in milliseconds (RSA takes far longer) and accepted by Go and Node.
const KEY_ARGS = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DNS_NAME = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((done, fail) =>
    execFile("openssl", args, { cwd, timeout: OPENSSL_TIMEOUT_MS, maxBuffer: 1 << 20 }, (err, _stdout, stderr) =>
      err ? fail(new Error(`openssl ${args[0]} failed: ${stderr.trim() || err.message}`)) : done(),
    ),
  );
}

/** Self-signed CA (cert + key) in `dir` as ca.pem / ca-key.pem. */
export async function makeCertificateAuthority(dir: string, opts: { days?: number; commonName?: string } = {}): Promise<CertificateAuthority> {
  const cn = opts.commonName ?? "natskube-throwaway-ca";
  if (!SAFE_NAME.test(cn)) throw new Error(`invalid CA common name ${JSON.stringify(cn)}`);
  const abs = resolve(dir);
  await mkdir(abs, { recursive: true });
  const certPath = join(abs, "ca.pem");
  const keyPath = join(abs, "ca-key.pem");
  await openssl(
    [
      "req", "-x509", ...KEY_ARGS, "-keyout", keyPath, "-out", certPath,
      "-days", String(opts.days ?? 2), "-subj", `/CN=${cn}`,
      "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    ],
    abs,
  );
  return { certPath, keyPath, certPem: await readFile(certPath, "utf8"), keyPem: await readFile(keyPath, "utf8") };
}

/**
 * Certificate signed by `ca` with SANs exactly `dnsNames` + `ipAddresses` and
 * EKU serverAuth + clientAuth (the same certificate serves routes in both directions).
 * Writes <name>.pem, <name>-key.pem in `dir`.
 */
export async function makeServerCertificate(ca: CertificateAuthority, req: ServerCertificateRequest): Promise<ServerCertificate> {
  if (!SAFE_NAME.test(req.name)) throw new Error(`invalid certificate name ${JSON.stringify(req.name)}`);
  // Validation also keeps values from injecting extra lines into the extension file.
  for (const d of req.dnsNames) if (!DNS_NAME.test(d)) throw new Error(`invalid DNS name for SAN: ${JSON.stringify(d)}`);
  for (const ip of req.ipAddresses) if (isIP(ip) === 0) throw new Error(`invalid IP address for SAN: ${JSON.stringify(ip)}`);
  const sans = [...req.dnsNames.map((d) => `DNS:${d}`), ...req.ipAddresses.map((ip) => `IP:${ip}`)];
  if (sans.length === 0) throw new Error(`certificate ${req.name}: at least one DNS name or IP address is required`);

  const abs = resolve(req.dir);
  await mkdir(abs, { recursive: true });
  const certPath = join(abs, `${req.name}.pem`);
  const keyPath = join(abs, `${req.name}-key.pem`);
  const csrPath = join(abs, `${req.name}.csr`);
  const extPath = join(abs, `${req.name}.ext`);
  await writeFile(
    extPath,
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth,clientAuth",
      `subjectAltName=${sans.join(",")}`,
      "",
    ].join("\n"),
  );
  await openssl(["req", "-new", ...KEY_ARGS, "-keyout", keyPath, "-out", csrPath, "-subj", `/CN=${req.name}`], abs);
  await openssl(
    [
      "x509", "-req", "-in", csrPath, "-CA", ca.certPath, "-CAkey", ca.keyPath,
      // Random serial instead of -CAcreateserial: no shared .srl file, so certificates
      // can be made in parallel from one CA.
      "-set_serial", `0x${randomBytes(16).toString("hex")}`,
      "-days", String(req.days ?? 2), "-extfile", extPath, "-out", certPath,
    ],
    abs,
  );
  return {
    certPath,
    keyPath,
    certPem: await readFile(certPath, "utf8"),
    keyPem: await readFile(keyPath, "utf8"),
    caPath: ca.certPath,
    caPem: ca.certPem,
  };
}

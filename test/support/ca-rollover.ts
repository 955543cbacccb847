// A private CA renewed the way cert-manager renews natskube's bootstrap CA (rotationPolicy Never: the
// same key and subject, a new certificate with new dates), and server certificates from before and
// after the renewal. Made with `openssl ca`, which takes explicit start and end dates, so the old CA
// certificate can be already expired, or still inside its overlap, without waiting.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const DAY_MS = 86_400_000;

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((done, fail) =>
    execFile("openssl", args, { cwd, timeout: 15_000 }, (err, _out, stderr) => (err ? fail(new Error(`openssl ${args.join(" ")}: ${stderr}`)) : done())),
  );
}

/** GeneralizedTime as `openssl ca -startdate/-enddate` takes it. */
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, "").replace(/\.\d+Z$/, "Z");

const config = (ipAddresses: string[]) => `[ ca ]
default_ca = CA_default
[ CA_default ]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = policy_any
unique_subject = no
[ policy_any ]
commonName = supplied
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_leaf ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = DNS:localhost${ipAddresses.map((ip) => `,IP:${ip}`).join("")}
authorityKeyIdentifier = keyid
`;

export interface Rollover {
  /** The CA certificate before renewal, past its end date: what a pod holds if ca.crt is never refreshed. */
  oldCaExpired: string;
  /** The same certificate while still inside the renewal overlap (it ends tomorrow). */
  oldCaInOverlap: string;
  /** The renewed CA certificate: same key and subject, new dates. */
  newCa: string;
  /** A server certificate issued before the renewal, and one after: { cert, key } PEM. */
  oldLeaf: { cert: string; key: string };
  newLeaf: { cert: string; key: string };
}

export async function makeRollover(dir: string, ipAddresses: string[], now = Date.now()): Promise<Rollover> {
  await writeFile(join(dir, "ca.cnf"), config(ipAddresses));
  await writeFile(join(dir, "index.txt"), "");
  await writeFile(join(dir, "serial"), "01\n");
  const key = (name: string) => openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name], dir);
  const csr = (keyFile: string, cn: string, out: string) => openssl(["req", "-new", "-key", keyFile, "-subj", `/CN=${cn}`, "-out", out], dir);
  const sign = (args: string[], start: number, end: number, ext: string, out: string) =>
    openssl(["ca", "-batch", "-config", "ca.cnf", ...args, "-startdate", stamp(start), "-enddate", stamp(end), "-extensions", ext, "-notext", "-out", out], dir);
  await key("ca-key.pem");
  await csr("ca-key.pem", "natskube-rollover-ca", "ca.csr");
  const selfsign = ["-selfsign", "-keyfile", "ca-key.pem", "-in", "ca.csr"];
  await sign(selfsign, now - 400 * DAY_MS, now - DAY_MS, "v3_ca", "old-ca-expired.pem");
  await sign(selfsign, now - 400 * DAY_MS, now + DAY_MS, "v3_ca", "old-ca-overlap.pem");
  await sign(selfsign, now - DAY_MS, now + 5 * 365 * DAY_MS, "v3_ca", "new-ca.pem");
  for (const leaf of ["old", "new"]) {
    await key(`${leaf}-leaf-key.pem`);
    await csr(`${leaf}-leaf-key.pem`, "nats", `${leaf}-leaf.csr`);
  }
  await sign(["-cert", "old-ca-overlap.pem", "-keyfile", "ca-key.pem", "-in", "old-leaf.csr"], now - 30 * DAY_MS, now + 60 * DAY_MS, "v3_leaf", "old-leaf.pem");
  await sign(["-cert", "new-ca.pem", "-keyfile", "ca-key.pem", "-in", "new-leaf.csr"], now - DAY_MS, now + 90 * DAY_MS, "v3_leaf", "new-leaf.pem");
  const read = (f: string) => readFile(join(dir, f), "utf8");
  return {
    oldCaExpired: await read("old-ca-expired.pem"),
    oldCaInOverlap: await read("old-ca-overlap.pem"),
    newCa: await read("new-ca.pem"),
    oldLeaf: { cert: await read("old-leaf.pem"), key: await read("old-leaf-key.pem") },
    newLeaf: { cert: await read("new-leaf.pem"), key: await read("new-leaf-key.pem") },
  };
}

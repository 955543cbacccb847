// Builds the CLI that bin/natskube runs: dist/cli/natskube.cjs, one CommonJS file with zod and yaml
// inside; dist/cli/verify.cjs, `natskube verify` with the NATS clients, loaded only by that
// command; dist/cli/live.cjs, apply/diff/delete with the Kubernetes client, loaded only by those.
// Measured (docs/performance.md): Node spends most of a `render` resolving, reading and compiling
// ~330 module files; one file, run through a V8 code cache, removes most of that.
// CommonJS because Node 20 can feed V8 cached data only to a vm.Script, not to an ES module.
// Usage: node scripts/bundle.mjs   (run by `npm run build` and `prepare`, after tsc)
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist", "cli");
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // Without this, esbuild keeps import() of an external file, which a vm.Script cannot run.
  supported: { "dynamic-import": false },
  define: { NATSKUBE_BUNDLED_VERSION: JSON.stringify(version) },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  logLevel: "warning",
  logOverride: { "empty-import-meta": "silent" }, // src/version.ts reads import.meta only where the define is absent
};

// zod re-exports all of its 60+ message locales; natskube writes its own messages and uses English.
const englishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "natskube" } : undefined,
    );
    b.onLoad({ filter: /^zod-locales$/, namespace: "natskube" }, () => ({
      contents: `export { default as en } from ${JSON.stringify(join(ROOT, "node_modules/zod/v4/locales/en.js"))};`,
      resolveDir: ROOT,
    }));
  },
};

// verify.ts (and through it the NATS clients) becomes a file of its own, required on first use.
const verifyApart = {
  name: "verify-apart",
  setup(b) {
    b.onResolve({ filter: /verify\/verify\.js$/ }, () => ({ path: "./verify.cjs", external: true }));
  },
};

// The live commands (apply, diff, delete) and the Kubernetes client they use: dist/cli/live.cjs, required by
// those commands alone, so render and --version never read it.
const liveApart = {
  name: "live-apart",
  setup(b) {
    b.onResolve({ filter: /(^|\/)live\/index\.js$/ }, () => ({ path: "./live.cjs", external: true }));
  },
};

mkdirSync(OUT, { recursive: true });
await build({ ...common, entryPoints: [join(ROOT, "src/cli/process.ts")], outfile: join(OUT, "natskube.cjs"), plugins: [englishOnly, verifyApart, liveApart] });
await build({ ...common, entryPoints: [join(ROOT, "src/verify/verify.ts")], outfile: join(OUT, "verify.cjs"), plugins: [englishOnly] });
await build({ ...common, entryPoints: [join(ROOT, "src/live/index.ts")], outfile: join(OUT, "live.cjs"), plugins: [englishOnly] });
// The launcher keys its code cache by this: V8 checks only a cached script's length, not its text.
const id = createHash("sha256").update(readFileSync(join(OUT, "natskube.cjs"))).digest("hex").slice(0, 16);
writeFileSync(join(OUT, "natskube.id"), `${id}\n`);
// `natskube --version` and `--help` are answered by bin/natskube from this file, without the bundle
// (Node spends tens of ms loading it); keyed by the bundle's id, so a stale file is never used.
const { startupTexts } = createRequire(import.meta.url)(join(OUT, "natskube.cjs"));
writeFileSync(join(OUT, "startup.json"), `${JSON.stringify({ id, ...startupTexts() })}\n`);

import { EXIT } from "./io.js";
import { internalError, main } from "./main.js";

/** bin/natskube: main() with the process-level handling a library call must not install. */
export async function runProcess(argv: string[]): Promise<void> {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      // A reader that stops early (`render ... | head`) closes the pipe: the rest is unwanted, not an error.
      if (e.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : EXIT.ok);
      process.exitCode = EXIT.internal;
    });
  }
  process.on("uncaughtException", (e) => {
    process.stderr.write(internalError(e, argv[0] ?? ""));
    process.exit(EXIT.internal);
  });
  process.exitCode = await main(argv);
}

export { startupTexts } from "./main.js";
export { warmUp } from "./warm.js";

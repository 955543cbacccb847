import { z } from "zod";

// Every schema imports z from here, so this runs before any schema is built (zod reads the setting
// when it builds an object schema). natskube validates each resource once per process: compiling a
// fast path with `new Function` costs more than it saves (measured: cold validate 57 -> 36 ms, warm
// 2.4 -> 1.5 ms, same issues).
z.config({ jitless: true });

export { z };

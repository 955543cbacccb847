import type { Command } from "../command.js";
import { initCommand } from "./init.js";
import { krmCommand } from "./krm.js";
import { lintCommand } from "./lint.js";
import { outputsCommand } from "./outputs.js";
import { planCommand } from "./plan.js";
import { renderCommand } from "./render.js";
import { schemaCommand } from "./schema.js";
import { validateCommand } from "./validate.js";
import { verifyCommand } from "./verify.js";

export const COMMANDS: readonly Command[] = [initCommand, validateCommand, lintCommand, renderCommand, planCommand, verifyCommand, outputsCommand, schemaCommand, krmCommand];

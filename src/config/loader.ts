import { dirname } from "node:path";
import { precompile, registerTypeScript, UserCodeSyntaxError } from "./ts-hook";

/** `precompile(files)`: compiles those about to be required in one batch (see ts-hook.js). */
export { precompile, UserCodeSyntaxError };

/** Requires a user module (TypeScript or JavaScript) in-process, without a build step. */
export function loadUserModule(file: string): Record<string, unknown> {
  registerTypeScript(dirname(file));
  return require(file) as Record<string, unknown>;
}

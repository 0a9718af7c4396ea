import { dirname } from "node:path";
import { precompile, registerTypeScript, UserCodeSyntaxError } from "./ts-hook";

export { UserCodeSyntaxError };

/** Requires a user module (TypeScript or JavaScript) in-process, without a build step. */
export function loadUserModule(file: string): Record<string, unknown> {
  registerTypeScript(dirname(file));
  return require(file) as Record<string, unknown>;
}

/** Compiles the TypeScript files among `files` that are about to be required, in one batch (see ts-hook.js). */
export function precompileUserModules(files: readonly string[]): void {
  if (files.length === 0) return;
  registerTypeScript(dirname(files[0]));
  precompile(files);
}

import { dirname } from "node:path";
import { registerTypeScript, UserCodeSyntaxError } from "./ts-hook";

export { UserCodeSyntaxError };

/** Requires a user module (TypeScript or JavaScript) in-process, without a build step. */
export function loadUserModule(file: string): Record<string, unknown> {
  registerTypeScript(dirname(file));
  return require(file) as Record<string, unknown>;
}

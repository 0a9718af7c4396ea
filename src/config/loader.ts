import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { forgetDeferredConfig, requireDeferringEntities } from "./deferred-entities";
import { precompile, precompileInBackground, registerEsmLoadHook, registerTypeScript, UserCodeSyntaxError } from "./ts-hook";

/** `precompile(files)`: compiles those about to be required in one batch (see ts-hook.js); `precompileInBackground` while the caller goes on. */
export { precompile, precompileInBackground, UserCodeSyntaxError };

/** Requires a user module (TypeScript or JavaScript) in-process, without a build step. */
export function loadUserModule(file: string): Record<string, unknown> {
  registerTypeScript(dirname(file));
  if (isEsmScope(file)) registerEsmLoadHook();
  return require(file) as Record<string, unknown>;
}

/**
 * The config module; with `deferEntities`, the entity files it imports run
 * only when the entity metadata is built (see deferred-entities.ts). A
 * config that throws that way is loaded again as written, so that what it
 * does with its entity classes, and its own errors, are as without retort.
 */
export function loadConfigModule(file: string, deferEntities: boolean): Record<string, unknown> {
  if (!deferEntities) return loadUserModule(file);
  registerTypeScript(dirname(file));
  if (isEsmScope(file)) registerEsmLoadHook();
  try {
    return requireDeferringEntities(file);
  } catch {
    forgetDeferredConfig(file);
    return loadUserModule(file);
  }
}

/**
 * Whether Node treats `file`'s siblings as ES modules (`.mts`/`.mjs`, or a
 * nearest package.json with "type": "module"): TypeORM then loads entity
 * files with import(), which needs the ES module hook.
 */
export function isEsmScope(file: string): boolean {
  if ([".mts", ".mjs"].includes(extname(file))) return true;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: string }).type === "module";
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

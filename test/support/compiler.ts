/** retort's compiler modules (plain JavaScript shared with bin/retort.js), typed for the tests that call them directly. */
import { join } from "node:path";
import { REPO } from "./project";

export interface ProgramResult {
  outputs: Map<string, string>;
  errors: Map<string, unknown>;
  native: number;
  typescript5: number;
  browserLibsLeftOut: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const batch = require(join(REPO, "src", "config", "ts-batch.js")) as {
  compileProgram(roots: string[], config: unknown, wanted?: string[], standIns?: unknown, options?: { browserTypesFree?: boolean }): ProgramResult;
  nativeCompiler(): string | null;
  nativeEnvironment(): NodeJS.ProcessEnv;
  browserTypeNamesIn(libDir: string): string[];
  mentionsBrowserTypes(source: string, typeNames: Set<string>): boolean;
  withoutBrowserLibs(options: Record<string, unknown>, libDir: string): Record<string, unknown> | undefined;
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const tsconfig = require(join(REPO, "src", "config", "tsconfig.js")) as { readTsconfig(path: string): unknown };

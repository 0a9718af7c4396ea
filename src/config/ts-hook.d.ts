/** A user file that does not compile: names the file and line. */
export declare class UserCodeSyntaxError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly detail: string;
  constructor(file: string, line: number, column: number, detail: string);
}
/** Installs the `.ts` require hook once per process; `fromDir` locates the compile cache. */
export declare function registerTypeScript(fromDir: string): void;
/** Lets `import()` of `.ts` files (TypeORM's way in a "type": "module" project) go through the require hook. */
export declare function registerEsmLoadHook(): void;
export declare function defaultCacheDir(fromDir: string): string | undefined;
/** Compiles, in one batch, the TypeScript files among `fileNames` (and the local files they import) not in the compile cache; registers the hook if needed. */
export declare function precompile(fileNames: readonly string[]): void;
export declare function compileStats(): { cacheHits: number; batches: number; batchedFiles: number; transpiledOneByOne: number };

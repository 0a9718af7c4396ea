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
/** Compiles, as one program, the TypeScript files among `fileNames` (and the project files they import) not in the compile cache; registers the hook if needed. */
export declare function precompile(fileNames: readonly string[]): void;
/**
 * precompile with the compiler running while the caller goes on; resolves once its output is ready, and never rejects
 * (the require that follows reports a failure). `companions()` is asked only when the compiler starts, for files to
 * compile in the same run.
 */
export declare function precompileInBackground(fileNames: readonly string[], companions?: () => readonly string[]): Promise<void>;
/** A tsconfig.json that cannot be read, or whose options TypeScript rejects. */
export declare class TsconfigError extends Error {}
export declare function compileStats(): { cacheHits: number; batches: number; nativeFiles: number; typescript5Files: number; standInRuns: number };
/** The JavaScript a TypeScript file runs as, with its inline source map (from the cache when there). */
export declare function compiledOutputOf(fileName: string): string;
/** Whether the TypeScript file declares an entity class (an @Entity, @ViewEntity or @ChildEntity decorator); from the manifest when the file is unchanged. */
export declare function declaresEntity(fileName: string): boolean;
/** The compile cache's key of a TypeScript file: it changes when the file, a file it imports (types included) or its tsconfig chain does. */
export declare function compileKeyOf(fileName: string): string;
/** The compile cache's directory (undefined: caching is off). */
export declare function cacheDirectory(): string | undefined;
/** Whether the ES module load hook is registered (TypeScript may run through import()). */
export declare function esmLoadHookRegistered(): boolean;
/** Whether the hook compiles this file (TypeScript, not a declaration file). */
export declare function isCompiled(fileName: string): boolean;
/** The hex SHA-1 of `parts`, each ended by a NUL (the caches' keys). */
export declare function sha1(...parts: string[]): string;
/** Writes `path` through a temporary file renamed over it (a reader never sees half of it); false when it could not be written. */
export declare function writeReplacingSync(path: string, data: string | (() => string | Uint8Array)): boolean;
/** How long after its last change a file may still change unseen within the same mtime (git's "racy" files). */
export declare const RACY_MS: number;
/** The mtime before which a file or directory is settled: since the process started, less RACY_MS. */
export declare function settledBefore(): number;
/** `path`'s content as readFileSync reads it, recording that the cache file was used (the cache folder deletes entries unused for long). */
export declare function readCacheFileSync(path: string, encoding: "utf8"): string;
/** Records the cached outputs of these compile keys as used without reading them, through `standIn` (the model cache file read in their place). */
export declare function noteOutputsUsed(keys: Iterable<string>, standIn: string): void;

/**
 * Where in the user's own files an error happened, for one-sentence
 * messages: `entities/Post.ts:12`. Only used on the error path.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { extname, relative, resolve, sep } from "node:path";

const OWN_SOURCES = resolve(__dirname, "..") + sep;
const FRAME = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?\s*$/;
const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);

export interface UserFrame {
  file: string;
  /** 1-based line in the file as the user wrote it. */
  line: number;
}

/** The first stack frame in a user file (not node_modules, not Node's own, not retort's). */
export function firstUserFrame(error: unknown): UserFrame | undefined {
  const stack = error instanceof Error ? error.stack ?? "" : "";
  for (const text of stack.split("\n").slice(1)) {
    const match = FRAME.exec(text.trim());
    if (!match) continue;
    const file = match[1];
    if (file.includes(`${sep}node_modules${sep}`) || file.startsWith(OWN_SOURCES) || !existsSync(file)) continue;
    return { file, line: originalLine(file, Number(match[2]), Number(match[3])) };
  }
  // `Cannot find module` names the file whose require failed, without a frame in it.
  const requireStack = (error as { requireStack?: unknown })?.requireStack;
  if (Array.isArray(requireStack) && typeof requireStack[0] === "string" && !requireStack[0].includes(`${sep}node_modules${sep}`)) {
    return { file: requireStack[0], line: lineOfRequire(requireStack[0], error) };
  }
  return undefined;
}

/**
 * The line in the TypeScript source for a line of its compiled JavaScript,
 * through the inline source map of the very output that ran (the compile
 * cache's, or a fresh compile of the same file).
 */
function originalLine(file: string, line: number, column: number): number {
  if (!TYPESCRIPT.has(extname(file))) return line;
  try {
    const { compiledOutputOf } = require("./ts-hook") as typeof import("./ts-hook");
    const inline = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(compiledOutputOf(file));
    if (!inline) return line;
    const map = JSON.parse(Buffer.from(inline[1], "base64").toString("utf8"));
    const entry = new SourceMap(map).findEntry(line - 1, column - 1) as { originalLine?: number };
    return typeof entry.originalLine === "number" ? entry.originalLine + 1 : line;
  } catch {
    return line;
  }
}

/** The line of `require("x")` / `import ... from "x"` of the module a `Cannot find module 'x'` names. */
function lineOfRequire(file: string, error: unknown): number {
  const name = /Cannot find module '([^']+)'/.exec(error instanceof Error ? error.message : "")?.[1];
  if (!name) return 1;
  const lines = readFileSync(file, "utf8").split("\n");
  const index = lines.findIndex((l) => l.includes(`"${name}"`) || l.includes(`'${name}'`));
  return index + 1 || 1;
}

/** `path:line`, the path relative to the working directory when inside it. */
export function describeFrame(frame: UserFrame, cwd = process.cwd()): string {
  const rel = relative(cwd, frame.file);
  return `${rel && !rel.startsWith("..") ? rel : frame.file}:${frame.line}`;
}

/**
 * Where an entity class or one of its members is declared, for TypeORM's
 * metadata errors that name `"Entity.property"` but carry no frame in the
 * user's files: the loaded file exporting that class, and the line of the
 * member (or of the class).
 */
export function locateEntityMember(files: readonly string[], className: string, member?: string): UserFrame | undefined {
  for (const file of files) {
    const exports = require.cache[file]?.exports as Record<string, unknown> | undefined;
    if (!exports || !Object.values(exports).some((v) => typeof v === "function" && v.name === className)) continue;
    const lines = readFileSync(file, "utf8").split("\n");
    const classLine = lines.findIndex((l) => new RegExp(`\\bclass\\s+${className}\\b`).test(l));
    const memberPattern = member ? new RegExp(`(^|[\\s)])${member}\\s*[?!]?\\s*[:;=]`) : undefined;
    const memberLine = memberPattern ? lines.findIndex((l, i) => i > classLine && memberPattern.test(l)) : -1;
    return { file, line: (memberLine >= 0 ? memberLine : Math.max(classLine, 0)) + 1 };
  }
  return undefined;
}

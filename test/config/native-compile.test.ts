/**
 * Batch compilation with TypeScript 7's native compiler (src/config/ts-batch.js)
 * must mean exactly what TypeScript 5's transpileModule means, because both
 * fill the same compile cache and the require hook mixes them.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { globSync } from "tinyglobby";
import { createProject, REPO, type TestProject } from "../support/project";

// Plain JavaScript modules shared with bin/retort.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const batch = require("../../src/config/ts-batch.js") as {
  COMPILER_OPTIONS: Record<string, unknown>;
  compileBatch(fileNames: string[]): Map<string, string>;
  localImportsOf(source: string, fileName: string): string[];
  nativeCompiler(): string | null;
};

const HOOK = join(REPO, "src", "config", "ts-hook.js");

function transpiled(fileName: string): string {
  const options = ts.convertCompilerOptionsFromJson(batch.COMPILER_OPTIONS, REPO).options;
  return ts.transpileModule(readFileSync(fileName, "utf8"), { fileName, compilerOptions: options }).outputText;
}

const SOURCE_MAP_LINE = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

function splitSourceMap(output: string): { code: string; map: { file: string; sources: string[] } } {
  const match = SOURCE_MAP_LINE.exec(output);
  if (!match) throw new Error("no inline source map");
  return { code: output.slice(0, match.index), map: JSON.parse(Buffer.from(match[1], "base64").toString("utf8")) };
}

/**
 * TypeScript 7 binds a decorated class that names itself in its decorators to
 * an alias (`var Post_1; let Post = Post_1 = class Post ...`) assigned at the
 * same points as the class's outer binding, which is what the decorators see
 * in TypeScript 5's output; TypeScript 5 alone aliases only references inside
 * the class body. Folding back the aliases TypeScript 5 did not make is the
 * only normalization applied.
 */
function withoutExtraSelfAliases(native: string, reference: string): string {
  const aliasesOf = (code: string) => new Set([...code.matchAll(/^var (\w+_1);\n/gm)].map((m) => m[1]));
  const theirs = aliasesOf(reference);
  let result = native;
  for (const alias of aliasesOf(native)) {
    if (theirs.has(alias)) continue;
    const name = alias.slice(0, -2);
    result = result.replace(`var ${alias};\n`, "").split(`${name} = ${alias} = `).join(`${name} = `).replace(new RegExp(`\\b${alias}\\b`, "g"), name);
  }
  return result;
}

const SEMANTIC_CASES: Record<string, string> = {
  "types.ts": `export interface Shape { a: number }
export type Alias = string;
export enum Color { Red = "red", Blue = "blue" }
export enum Level { Low, High }
export class Money { constructor(readonly cents = 0) {} }
export const DEFAULT_NAME = "n/a";
`,
  "Author.ts": `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import { Book } from "./Book";
import { Alias, Color, DEFAULT_NAME, Level, Money, Shape } from "./types";
type LocalAlias = string;
interface LocalShape { x: number }
@Entity()
export class Author {
  @PrimaryGeneratedColumn() id: number;
  @Column({ default: DEFAULT_NAME }) name: string;
  @Column({ type: "varchar", nullable: true }) nick: string | null;
  @Column({ type: "simple-json" }) shape: Shape;
  @Column({ type: "varchar" }) alias: Alias;
  @Column() local: LocalAlias;
  @Column({ type: "simple-json" }) localShape: LocalShape;
  @Column({ type: "varchar" }) color: Color;
  @Column({ type: "int" }) level: Level;
  @Column({ type: "int", transformer: { from: (v: number) => new Money(v), to: (m: Money) => m.cents } }) money: Money;
  @Column() born: Date;
  @Column({ type: "blob", nullable: true }) avatar: Buffer | null;
  @Column({ type: "varchar" }) kind: "a" | "b";
  @Column({ type: "bigint" }) big: bigint;
  @Column({ type: "simple-json" }) extra: Record<string, number>;
  @OneToMany(() => Book, (b) => b.author) books: Book[];
  get display(): string { return \`\${this.name} (\${this.id})\`; }
  static async make(name = "x"): Promise<Author> { const a = new Author(); a.name = name; for await (const _ of []) { void _; } return a; }
}
`,
  "Book.ts": `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import type { Shape } from "./types";
import { Author } from "./Author";
@Entity()
export class Book {
  @PrimaryGeneratedColumn() id: number;
  @ManyToOne(() => Author, (a) => a.books) author: Author;
  @ManyToOne(() => Book, { nullable: true }) sequelOf: Book | null;
  @Column({ type: "simple-json", nullable: true }) meta?: Shape;
}
export default Book;
`,
  "helpers.cts": `export const twice = (n: number): number => n * 2;
export = { twice };
`,
};

describe("native batch compilation", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "retort-native-"));
    for (const [name, source] of Object.entries(SEMANTIC_CASES)) writeFileSync(join(dir, name), source);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("TypeScript 7's executable is installed for this platform", () => {
    expect(batch.nativeCompiler()).toEqual(expect.stringMatching(/tsc(\.exe)?$/));
  });

  test("every file means what transpileModule makes of it alone: this repository's sources and the decorator-metadata cases", () => {
    const corpus = [
      ...globSync(["src/**/*.ts", "test/**/*.ts", "scripts/**/*.ts"], { cwd: REPO, absolute: true, ignore: ["**/*.d.ts"] }),
      ...Object.keys(SEMANTIC_CASES).map((name) => join(dir, name)),
    ];
    expect(corpus.length).toBeGreaterThan(100);
    const outputs = batch.compileBatch(corpus);
    expect([...outputs.keys()].sort()).toEqual([...corpus].sort());
    let aliased = 0;
    for (const fileName of corpus) {
      const native = splitSourceMap(outputs.get(fileName)!);
      const reference = splitSourceMap(transpiled(fileName));
      const folded = withoutExtraSelfAliases(native.code, reference.code);
      if (folded !== native.code) aliased++;
      expect({ fileName, code: folded }).toEqual({ fileName, code: reference.code });
      expect({ fileName, file: native.map.file, sources: native.map.sources }).toEqual({ fileName, file: reference.map.file, sources: reference.map.sources });
    }
    // Book's self-reference is one of them; most files need no folding at all.
    expect(aliased).toBeGreaterThanOrEqual(1);
    expect(aliased).toBeLessThan(corpus.length / 10);
    // The cases that tell an isolated compile from a program that sees the imports.
    const author = outputs.get(join(dir, "Author.ts"))!;
    expect(author).toMatch(/typeof \(_\w+ = typeof types_1\.Alias !== "undefined" && types_1\.Alias\) === "function" \? _\w+ : Object/);
    expect(author).toContain('typeof Date !== "undefined" && Date');
    expect(author).toContain('__metadata("design:type", String)\n], Author.prototype, "local"');
  });

  test("a file that does not parse is left out of the batch; the others compile", () => {
    const bad = join(dir, "Broken.ts");
    writeFileSync(bad, "export const x = ;\n");
    try {
      const good = join(dir, "types.ts");
      const outputs = batch.compileBatch([bad, good]);
      expect(outputs.has(bad)).toBe(false);
      expect(outputs.get(good)).toContain("exports.DEFAULT_NAME =");
    } finally {
      rmSync(bad);
    }
  });

  test("local imports are found by path, whatever the import form; packages are not followed", () => {
    const root = join(dir, "imports");
    mkdirSync(join(root, "lib"), { recursive: true });
    for (const f of ["a.ts", "b.ts", "c.cts", "lib/index.ts", "d.ts", "typeonly.ts"]) writeFileSync(join(root, f), "export {};\n");
    writeFileSync(join(root, "e.d.ts"), "export {};\n");
    const source = `import { A } from "./a";
export * from './b';
const c = require("./c.cts");
import("./lib").then(() => undefined);
import "./d";
import type { T } from "./typeonly";
import { Entity } from "typeorm";
import { missing } from "./nowhere";
import { E } from "./e";
`;
    const found = batch.localImportsOf(source, join(root, "main.ts")).map((f) => f.slice(root.length + 1)).sort();
    expect(found).toEqual(["a.ts", "b.ts", "c.cts", "d.ts", "lib/index.ts", "typeonly.ts"].map((f) => join(f)).sort());
  });
});

/** Runs `script` in a fresh Node process with the require hook registered (jest's own module system would bypass it). */
function inHookedProcess(cwd: string, env: NodeJS.ProcessEnv, script: string): { status: number | null; stdout: string; stderr: string } {
  const prelude = `const hook = require(${JSON.stringify(HOOK)}); hook.registerTypeScript(process.cwd());\n`;
  return spawnSync(process.execPath, ["-e", prelude + script], { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
}

describe("the require hook compiles ahead in batches", () => {
  let project: TestProject;
  let cacheDir: string;

  beforeEach(() => {
    project = createProject(undefined);
    cacheDir = join(project.dir, "cache");
    for (const [name, source] of Object.entries(SEMANTIC_CASES)) project.write(`entities/${name}`, source);
    project.write("main.ts", `import { Author } from "./entities/Author";\nimport { Book } from "./entities/Book";\nexport const names = [Author.name, Book.name];\n`);
  });

  afterEach(() => project.remove());

  const report = `const m = require("./main.ts"); console.log(JSON.stringify({ names: m.names, stats: hook.compileStats() }));`;

  test("the first require compiles the file and what it imports in one batch; the next process reads them all from the cache", () => {
    const cold = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, report);
    expect(cold.stderr).toBe("");
    // main, Author, Book and types; helpers.cts is not imported.
    expect(JSON.parse(cold.stdout)).toEqual({ names: ["Author", "Book"], stats: { cacheHits: 0, batches: 1, batchedFiles: 4, transpiledOneByOne: 0 } });
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".js"))).toHaveLength(4);

    const warm = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, report);
    expect(JSON.parse(warm.stdout).stats).toEqual({ cacheHits: 4, batches: 0, batchedFiles: 0, transpiledOneByOne: 0 });
  });

  test("precompile batches a whole folder before it is required", () => {
    const folder = `hook.precompile(require("fs").readdirSync("entities").map((f) => require("path").resolve("entities", f)));
console.log(JSON.stringify(hook.compileStats()));
require("./entities/helpers.cts"); require("./entities/Book.ts");
console.log(JSON.stringify(hook.compileStats()));`;
    const run = inHookedProcess(project.dir, { RETORT_NO_CACHE: "1" }, folder);
    const [before, after] = run.stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(before).toEqual({ cacheHits: 0, batches: 1, batchedFiles: 4, transpiledOneByOne: 0 });
    expect(after).toEqual(before);
  });

  test("a syntax error reaches the user from TypeScript 5, with file, line and column; the rest of the batch is compiled", () => {
    project.write("entities/Book.ts", `${SEMANTIC_CASES["Book.ts"]}\nexport const broken = ;\n`);
    const run = inHookedProcess(
      project.dir,
      { RETORT_NO_CACHE: "1" },
      `try { require("./main.ts"); } catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message, stats: hook.compileStats() })); }`,
    );
    const outcome = JSON.parse(run.stdout);
    expect(outcome.name).toBe("UserCodeSyntaxError");
    expect(outcome.message).toBe(`${join("entities", "Book.ts")}:13:23: Expression expected.`);
    expect(outcome.stats).toEqual({ cacheHits: 0, batches: 1, batchedFiles: 3, transpiledOneByOne: 1 });
  });

  test("a file saved while the batch compiles it is not cached under its earlier content", () => {
    project.write("value.ts", "export const value = 1;\n");
    // The batch compiler reads files itself; this one is edited between retort's read and the compiler's.
    const editDuringBatch = `const batch = require(${JSON.stringify(join(REPO, "src", "config", "ts-batch.js"))});
const compileBatch = batch.compileBatch;
batch.compileBatch = (files) => { batch.compileBatch = compileBatch; require("fs").writeFileSync("value.ts", "export const value = 22;\\n"); return compileBatch(files); };
`;
    const run = spawnSync(
      process.execPath,
      ["-e", `${editDuringBatch}const hook = require(${JSON.stringify(HOOK)}); hook.registerTypeScript(process.cwd()); console.log(require("./value.ts").value);`],
      { cwd: project.dir, env: { ...process.env, RETORT_CACHE_DIR: cacheDir }, encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    // The require runs what it read before the edit; the batch's output of the edited file is dropped.
    expect(run.stdout.trim()).toBe("1");
    project.write("value.ts", "export const value = 1;\n");
    expect(inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, `console.log(require("./value.ts").value);`).stdout.trim()).toBe("1");
  });

  test("a batch that cannot run (here: no temporary directory) leaves every file to TypeScript 5", () => {
    const run = inHookedProcess(project.dir, { RETORT_NO_CACHE: "1", TMPDIR: join(project.dir, "no-such-dir"), TMP: join(project.dir, "no-such-dir"), TEMP: join(project.dir, "no-such-dir") }, report);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ names: ["Author", "Book"], stats: { cacheHits: 0, batches: 0, batchedFiles: 0, transpiledOneByOne: 4 } });
  });

  test("RETORT_NO_NATIVE_COMPILER compiles file by file with TypeScript 5, to the same result", () => {
    const run = inHookedProcess(project.dir, { RETORT_NO_CACHE: "1", RETORT_NO_NATIVE_COMPILER: "1" }, report);
    expect(JSON.parse(run.stdout)).toEqual({ names: ["Author", "Book"], stats: { cacheHits: 0, batches: 0, batchedFiles: 0, transpiledOneByOne: 4 } });
  });
});

describe("autogenerate from natively compiled entities", () => {
  let project: TestProject;

  beforeEach(() => {
    project = createProject(undefined);
    for (const [name, source] of Object.entries(SEMANTIC_CASES)) if (name !== "helpers.cts") project.write(`entities/${name}`, source);
  });

  afterEach(() => project.remove());

  const bodyOf = (file: string) => {
    const text = readFileSync(file, "utf8");
    return text.slice(text.indexOf("export async function upgrade"));
  };

  function autogenerate(env: NodeJS.ProcessEnv): string {
    const cacheDir = mkdtempSync(join(project.dir, "cache-"));
    Object.assign(project.env, { RETORT_CACHE_DIR: cacheDir }, env);
    const r = project.run("revision", "--autogenerate", "-m", "initial");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [file] = readdirSync(join(project.dir, "migrations")).filter((f) => f.endsWith(".ts"));
    const body = bodyOf(join(project.dir, "migrations", file));
    rmSync(join(project.dir, "migrations", file));
    // Which compiler filled the cache shows in Book's self-reference (see withoutExtraSelfAliases).
    const cachedBook = readdirSync(cacheDir)
      .map((f) => readFileSync(join(cacheDir, f), "utf8"))
      .find((code) => code.includes("exports.Book = Book"));
    expect(cachedBook).toBeDefined();
    return `${body}\n// book self-alias: ${cachedBook!.includes("Book_1")}`;
  }

  test("the revision is the same whichever compiler compiled the entities", () => {
    const native = autogenerate({});
    const typescript5 = autogenerate({ RETORT_NO_NATIVE_COMPILER: "1" });
    expect(native).toContain('op.createTable("author"');
    expect(native).toContain('op.createTable("book"');
    expect(native.endsWith("book self-alias: true")).toBe(true);
    expect(typescript5.endsWith("book self-alias: false")).toBe(true);
    expect(native.replace(/book self-alias: \w+$/, "")).toBe(typescript5.replace(/book self-alias: \w+$/, ""));
  });
});

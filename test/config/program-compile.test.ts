/**
 * What retort compiles a user's `.ts` file to must be what the user's own
 * `tsc` emits for it (decorator metadata of imported types above all), byte
 * for byte: a corpus of cross-file cases is compiled by retort (TypeScript 7,
 * folded to TypeScript 5's spelling, or TypeScript 5's program API) and by
 * this repository's TypeScript 5 `tsc -p` with the same tsconfig.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { globSync } from "tinyglobby";
import { compileInHookedProcess, inHookedProcess } from "../support/hooked-process";
import { batch, tsconfig } from "../support/compiler";
import { createProject, REPO, type TestProject } from "../support/project";
import { tscExecutableEmit, tscReference, type TscReference } from "../support/tsc-reference";

const CORPUS: Record<string, string> = {
  "src/types/kinds.ts": `export type Kind = "a" | "b";
export type Id = number;
export enum Color { Red = "red", Blue = "blue" }
export enum Level { Low, High }
export const enum Size { S = 1, L = 3 }
export class Money { constructor(readonly cents = 0) {} }
export interface Shape { a: number }
`,
  "src/types/index.ts": `export * from "./kinds";
export type { Kind as KindAlias } from "./kinds";
export { Money as Cash, Color as Colour } from "./kinds";
`,
  "src/types/stamp.ts": `export type Stamp = Date;
export type MaybeText = string | null;
`,
  "src/entities/Author.ts": `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import { Book } from "./Book";
import { Cash, Colour, Id, Kind, KindAlias, Level, Shape, Size } from "../types";
import type { Stamp, MaybeText } from "@app/types/stamp";
import { Color } from "types/kinds";
@Entity()
export class Author {
  @PrimaryGeneratedColumn() id: Id;
  @Column() kind: Kind;
  @Column() alias: KindAlias;
  @Column() color: Colour;
  @Column() color2: Color;
  @Column() level: Level;
  @Column({ default: Size.L }) size: Size;
  @Column() nick: string | null;
  @Column({ type: "varchar", nullable: true }) maybe: MaybeText;
  @Column() born: Date;
  @Column() stamp: Stamp;
  @Column({ type: "simple-json" }) shape: Shape;
  @Column({ type: "int", transformer: { from: (v: number) => new Cash(v), to: (m: Cash) => m.cents } }) money: Cash;
  @Column({ type: "blob", nullable: true }) avatar: Buffer | null;
  @Column({ type: "bigint" }) big: bigint;
  @OneToMany(() => Book, (b) => b.author) books: Book[];
}
`,
  "src/entities/Book.ts": `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Author } from "./Author";
import * as types from "../types";
@Entity()
export class Book {
  @PrimaryGeneratedColumn() id: number;
  @ManyToOne(() => Author, (a) => a.books) author: Author;
  @ManyToOne(() => Book, { nullable: true }) sequelOf: Book | null;
  @ManyToOne(() => Book) prequel: Book;
  @Column() level: types.Level;
  @Column() kind: types.Kind;
}
export default Book;
`,
  "src/entities/Node.ts": `import { Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
@Entity()
export class Node {
  static root = Node.name;
  @PrimaryGeneratedColumn() id: number;
  @ManyToOne(() => Node) parent: Node;
  static make(): Node { return new Node(); }
}
@Entity()
export class Typed {
  @ManyToOne(() => Typed) parent: Typed;
  same(x: typeof Typed) { return x; }
}
@Entity()
export class Named {
  @ManyToOne(() => Named) parent: Named;
  Named = 1;
}
`,
  "src/interop.ts": `import * as path from "path";
import def from "./withDefault";
export const base = path.basename(def);
`,
  "src/withDefault.ts": `const value = "x/y";
export default value;
`,
};

const VARIANTS: Record<string, object> = {
  // An older project: TypeScript 5 defaults, moduleResolution node, baseUrl aliases, no esModuleInterop.
  classic: {
    compilerOptions: {
      target: "es2021", module: "commonjs", moduleResolution: "node", experimentalDecorators: true, emitDecoratorMetadata: true,
      baseUrl: "./src", paths: { "@app/*": ["./*"] }, skipLibCheck: true,
    },
    include: ["src"],
  },
  // A newer one: strict, interop, ES2022 class fields, paths without baseUrl, settings in an extended file.
  modern: { extends: "./tsconfig.base.json", compilerOptions: { paths: { "@app/*": ["./src/*"], "types/*": ["./src/types/*"] } }, include: ["src"] },
};

const BASE_CONFIG = {
  compilerOptions: {
    target: "es2022", module: "commonjs", strict: true, esModuleInterop: true, experimentalDecorators: true, emitDecoratorMetadata: true,
    strictPropertyInitialization: false, skipLibCheck: true, // comments and trailing commas, as tsconfig files have them
  },
};

const SOURCE_MAP_LINE = /\n\/\/# sourceMappingURL=.*\s*$/;
const codeOf = (output: string) => output.replace(SOURCE_MAP_LINE, "");

describe.each(Object.keys(VARIANTS))("a cross-file corpus compiles as tsc compiles it (%s tsconfig)", (variant) => {
  let project: TestProject;
  let files: string[];
  let reference: Map<string, string>;

  beforeAll(() => {
    project = createProject(undefined);
    for (const [name, source] of Object.entries(CORPUS)) {
      mkdirSync(dirname(join(project.dir, name)), { recursive: true });
      project.write(name, source);
    }
    project.write("tsconfig.base.json", JSON.stringify(BASE_CONFIG, null, 2).replace('"skipLibCheck": true', '"skipLibCheck": true, // trailing\n    /* block */'));
    project.write("tsconfig.json", JSON.stringify(VARIANTS[variant], null, 2));
    files = Object.keys(CORPUS).map((name) => join(project.dir, name));
    // Type errors do not stop tsc's emit; the corpus has a few on purpose (a property named like its class).
    reference = tscExecutableEmit(project.dir, files);
  }, 180_000);

  afterAll(() => project.remove());

  test.each([
    ["TypeScript 7", {} as NodeJS.ProcessEnv, false],
    // No file names a class of the DOM (the entity named Node declares its own): the run leaves the DOM's libraries out.
    ["TypeScript 7 without the browser's libraries", {} as NodeJS.ProcessEnv, true],
    ["TypeScript 5 alone", { RETORT_NO_NATIVE_COMPILER: "1" } as NodeJS.ProcessEnv, false],
  ])("%s: every file is byte for byte tsc's emit", (_name, env, browserTypesFree) => {
    const script = `const b = require(${JSON.stringify(join(REPO, "src", "config", "ts-batch.js"))});
const t = require(${JSON.stringify(join(REPO, "src", "config", "tsconfig.js"))});
const files = ${JSON.stringify(files)};
const r = b.compileProgram(files, t.readTsconfig(${JSON.stringify(join(project.dir, "tsconfig.json"))}), files, undefined, { browserTypesFree: ${browserTypesFree} });
console.log(JSON.stringify({ outputs: Object.fromEntries(r.outputs), errors: [...r.errors.keys()], native: r.native, typescript5: r.typescript5, browserLibsLeftOut: r.browserLibsLeftOut }));`;
    const run = spawnSync(process.execPath, ["-e", script], { cwd: project.dir, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(run.stderr).toBe("");
    const result = JSON.parse(run.stdout) as { outputs: Record<string, string>; errors: string[]; native: number; typescript5: number; browserLibsLeftOut: boolean };
    expect(result.errors).toEqual([]);
    expect(result.browserLibsLeftOut).toBe(browserTypesFree);
    for (const file of files) {
      expect({ file: relative(project.dir, file), code: codeOf(result.outputs[file] ?? "") }).toEqual({ file: relative(project.dir, file), code: codeOf(reference.get(file)!) });
    }
    if (env.RETORT_NO_NATIVE_COMPILER) {
      expect(result.native).toBe(0);
    } else {
      // Node.ts names a class by `typeof` and gives a property its class's name: TypeScript 5 compiles that one;
      // the classic variant's interop imports (no esModuleInterop) go to TypeScript 5 too.
      expect(result.native).toBeGreaterThanOrEqual(files.length - (variant === "classic" ? 3 : 1));
    }
    const author = result.outputs[join(project.dir, "src/entities/Author.ts")];
    // The point of it all: imported aliases and enums are typed as the user's build types them.
    expect(author).toContain('__metadata("design:type", String)\n], Author.prototype, "kind"');
    expect(author).toContain('__metadata("design:type", String)\n], Author.prototype, "color"');
    expect(author).toContain('__metadata("design:type", Number)\n], Author.prototype, "level"');
    expect(author).toContain('__metadata("design:type", Date)\n], Author.prototype, "born"');
    // An alias of a class is serialized as Object by tsc too.
    expect(author).toContain('__metadata("design:type", Object)\n], Author.prototype, "stamp"');
    expect(author).toContain("default: 3 /* Size.L */");
  }, 180_000);
});

test("TypeScript 7's executable is installed for this platform", () => {
  expect(batch.nativeCompiler()).toEqual(expect.stringMatching(/tsc(\.exe)?$/));
});

test("TypeScript 7 runs with Go's collector relaxed (its heap is the program, nearly all alive), unless the user set GOGC", () => {
  const saved = process.env.GOGC;
  try {
    delete process.env.GOGC;
    expect(batch.nativeEnvironment()).toMatchObject({ GOGC: "1000", PATH: process.env.PATH });
    process.env.GOGC = "50";
    expect(batch.nativeEnvironment().GOGC).toBe("50");
  } finally {
    if (saved === undefined) delete process.env.GOGC;
    else process.env.GOGC = saved;
  }
});

describe("the require hook and its cache", () => {
  let project: TestProject;
  let cacheDir: string;

  beforeEach(() => {
    project = createProject(undefined);
    cacheDir = join(project.dir, "cache");
    for (const [name, source] of Object.entries(CORPUS)) {
      mkdirSync(dirname(join(project.dir, name)), { recursive: true });
      project.write(name, source);
    }
    project.write("tsconfig.base.json", JSON.stringify(BASE_CONFIG));
    project.write("tsconfig.json", JSON.stringify(VARIANTS.modern));
    project.write("main.ts", `import "reflect-metadata";
import { Author } from "@app/entities/Author";
import { Color } from "types/kinds";
const type = (p: string) => (Reflect.getMetadata("design:type", Author.prototype, p) as { name: string }).name;
export const seen = [type("kind"), type("color"), type("level"), Color.Red];
`);
  });

  afterEach(() => project.remove());

  const report = `const m = require("./main.ts"); console.log(JSON.stringify({ seen: m.seen, stats: hook.compileStats() }));`;

  test("one program compiles a file and what it imports; the next process runs no compiler; path aliases resolve at run time", () => {
    const cold = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, report);
    expect(cold.stderr).toBe("");
    // main, Author, Book, types/index, types/kinds, types/stamp.
    expect(JSON.parse(cold.stdout)).toEqual({ seen: ["String", "String", "Number", "red"], stats: { cacheHits: 0, batches: 1, nativeFiles: 6, typescript5Files: 0, standInRuns: 0, withoutBrowserLibs: 1 } });
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".js"))).toHaveLength(6);

    const warm = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, report);
    // stamp.ts is imported for types only, so never required.
    expect(JSON.parse(warm.stdout).stats).toEqual({ cacheHits: 5, batches: 0, nativeFiles: 0, typescript5Files: 0, standInRuns: 0, withoutBrowserLibs: 0 });
  });

  test("editing an imported enum's file recompiles the files that import it, directly or not", () => {
    expect(inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, report).stderr).toBe("");
    // Level becomes a string enum: Author (through the barrel), Book and the barrel must change; main imports the class Author
    // and the enum Color by path alias, whose declarations stay as they were.
    project.write("src/types/kinds.ts", CORPUS["src/types/kinds.ts"].replace("export enum Level { Low, High }", 'export enum Level { Low = "low", High = "high" }'));
    const after = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, report);
    expect(after.stderr).toBe("");
    const outcome = JSON.parse(after.stdout);
    expect(outcome.seen).toEqual(["String", "String", "String", "red"]);
    // stamp.ts imports nothing that changed: it is not compiled again, and main's output is read from the cache.
    expect(outcome.stats).toEqual({ cacheHits: 1, batches: 1, nativeFiles: 4, typescript5Files: 0, standInRuns: 0, withoutBrowserLibs: 1 });
  });

  test("with the manifest in use, an edited import and a new file an import now resolves to recompile their importers", () => {
    // Files and folders untouched for a while go into the manifest (a younger one may still change within the same mtime).
    const past = new Date(Date.now() - 60_000);
    const backdate = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) backdate(join(dir, entry.name));
        utimesSync(join(dir, entry.name), past, past);
      }
      utimesSync(dir, past, past);
    };
    backdate(project.dir);
    expect(JSON.parse(inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, report).stdout).seen).toEqual(["String", "String", "Number", "red"]);
    const manifests = readdirSync(cacheDir).filter((f) => f.startsWith("manifest-"));
    expect(manifests).toHaveLength(1);
    const listed = Object.keys(JSON.parse(readFileSync(join(cacheDir, manifests[0]), "utf8")).files).map((f) => relative(project.dir, f));
    expect(listed.sort()).toEqual(["main.ts", "src/entities/Author.ts", "src/entities/Book.ts", "src/types/index.ts", "src/types/kinds.ts", "src/types/stamp.ts"].map((f) => join(f)));

    // Author and Book import "../types": a new src/types.ts now wins over src/types/index.ts, for TypeScript and for require.
    project.write("src/types.ts", `export * from "./types/index";\nexport enum Level { Low = "low", High = "high" }\n`);
    const added = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, report);
    expect(added.stderr).toBe("");
    expect(JSON.parse(added.stdout).seen).toEqual(["String", "String", "String", "red"]);

    project.write("src/types.ts", `export * from "./types/index";\nexport enum Level { Low = 1, High = 2 }\n`);
    const edited = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, report);
    expect(edited.stderr).toBe("");
    expect(JSON.parse(edited.stdout).seen).toEqual(["String", "String", "Number", "red"]);
  });

  test("precompile compiles a whole folder before it is required", () => {
    const folder = `hook.precompile(require("fs").readdirSync("src/entities").map((f) => require("path").resolve("src/entities", f)));
const before = hook.compileStats();
require("./src/entities/Book.ts"); require("./src/entities/Node.ts");
console.log(JSON.stringify({ before, after: hook.compileStats() }));`;
    const run = inHookedProcess(project.dir, { RETORT_NO_CACHE: "1" }, folder);
    expect(run.stderr).toBe("");
    const { before, after } = JSON.parse(run.stdout);
    // Three entity files and the three type files they import.
    expect(before).toEqual({ cacheHits: 0, batches: 1, nativeFiles: 5, typescript5Files: 1, standInRuns: 0, withoutBrowserLibs: 1 });
    expect(after).toEqual(before);
  });

  test("precompileInBackground has the compiler running before it returns, and its output ready (once) when it resolves", () => {
    const background = `const started = hook.precompileInBackground([require("path").resolve("main.ts")]);
const running = require("child_process").execSync("ps -o args= --ppid " + process.pid, { encoding: "utf8" }).includes("retort-tsc-");
started.then(() => {
  const before = hook.compileStats();
  const m = require("./main.ts");
  console.log(JSON.stringify({ running, before, after: hook.compileStats(), seen: m.seen }));
});`;
    const run = inHookedProcess(project.dir, { RETORT_NO_CACHE: "1" }, background);
    expect(run.stderr).toBe("");
    const { running, before, after, seen } = JSON.parse(run.stdout);
    expect(running).toBe(true);
    expect(before).toEqual({ cacheHits: 0, batches: 1, nativeFiles: 6, typescript5Files: 0, standInRuns: 0, withoutBrowserLibs: 1 });
    expect(after).toEqual(before);
    expect(seen).toEqual(["String", "String", "Number", "red"]);
  });

  test("precompileInBackground leaves a syntax error to the require that follows, and a cached file alone", () => {
    project.write("src/entities/Book.ts", `${CORPUS["src/entities/Book.ts"]}\nexport const broken = ;\n`);
    const broken = `hook.precompileInBackground([require("path").resolve("main.ts")]).then(() => {
  try { require("./main.ts"); } catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message, stats: hook.compileStats() })); }
});`;
    const run = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, broken);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      name: "UserCodeSyntaxError",
      message: `${join("src", "entities", "Book.ts")}:15:23: Expression expected.`,
      stats: { cacheHits: 0, batches: 1, nativeFiles: 6, typescript5Files: 0, standInRuns: 0, withoutBrowserLibs: 1 },
    });
    project.write("src/entities/Book.ts", CORPUS["src/entities/Book.ts"]);
    expect(inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, report).stderr).toBe("");
    const again = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, `hook.precompileInBackground([require("path").resolve("main.ts")]).then(() => console.log(JSON.stringify(hook.compileStats())));`);
    expect(JSON.parse(again.stdout)).toEqual({ cacheHits: 0, batches: 0, nativeFiles: 0, typescript5Files: 0, standInRuns: 0, withoutBrowserLibs: 0 });
  });

  test("the compiler's scratch folders are gone when the process ends, even by process.exit right after a compile", () => {
    const scratch = join(project.dir, "scratch");
    mkdirSync(scratch);
    // One process compiles in the foreground, one in the background (a stand-in run too, after an edit), each ending abruptly.
    const foreground = `require("./main.ts"); process.exit(0);`;
    const background = `hook.precompileInBackground([require("path").resolve("main.ts")]).then(() => process.exit(0));`;
    for (const script of [foreground, background]) {
      rmSync(cacheDir, { recursive: true, force: true });
      expect(inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir, TMPDIR: scratch }, script)).toMatchObject({ status: 0, stderr: "" });
      expect(readdirSync(scratch)).toEqual([]);
    }
    project.write("src/entities/Book.ts", CORPUS["src/entities/Book.ts"].replace("@Column() kind: types.Kind;", "@Column() kind: types.Kind;\n  @Column() pages: number;"));
    expect(inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir, TMPDIR: scratch }, foreground)).toMatchObject({ status: 0, stderr: "" });
    expect(readdirSync(scratch)).toEqual([]);
  });

  test("a syntax error reaches the user with file, line and column", () => {
    project.write("src/entities/Book.ts", `${CORPUS["src/entities/Book.ts"]}\nexport const broken = ;\n`);
    const run = inHookedProcess(project.dir, { RETORT_NO_CACHE: "1" }, `try { require("./main.ts"); } catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })); }`);
    expect(JSON.parse(run.stdout)).toEqual({ name: "UserCodeSyntaxError", message: `${join("src", "entities", "Book.ts")}:15:23: Expression expected.` });
  });

  test("a compiler that cannot run (here: no temporary directory) leaves the program to TypeScript 5, same result", () => {
    const noTmp = join(project.dir, "no-such-dir");
    const run = inHookedProcess(project.dir, { RETORT_NO_CACHE: "1", TMPDIR: noTmp, TMP: noTmp, TEMP: noTmp }, report);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ seen: ["String", "String", "Number", "red"], stats: { cacheHits: 0, batches: 1, nativeFiles: 0, typescript5Files: 6, standInRuns: 0, withoutBrowserLibs: 0 } });
  });

  test("a tsconfig that does not parse is named", () => {
    project.write("tsconfig.json", "{ compilerOptions: ");
    const run = inHookedProcess(project.dir, { RETORT_NO_CACHE: "1" }, `try { require("./main.ts"); } catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })); }`);
    const outcome = JSON.parse(run.stdout);
    expect(outcome.name).toBe("TsconfigError");
    expect(outcome.message).toContain(join(project.dir, "tsconfig.json"));
  });
});

test("TypeScript 5 compiles the far end of a 3000-file import chain (files are given after what they import)", () => {
  const project = createProject(undefined);
  try {
    const length = 3000;
    mkdirSync(join(project.dir, "chain"));
    for (let i = 0; i < length; i++) {
      const previous = i === 0 ? "" : `import { Link${i - 1} } from "./link${i - 1}";\n`;
      project.write(`chain/link${i}.ts`, `${previous}export class Link${i} { depth = ${i}; previous?: ${i === 0 ? "undefined" : `Link${i - 1}`}; }\n`);
    }
    const run = inHookedProcess(
      project.dir,
      { RETORT_NO_CACHE: "1", RETORT_NO_NATIVE_COMPILER: "1" },
      `const { Link${length - 1} } = require("./chain/link${length - 1}.ts"); console.log(new Link${length - 1}().depth);`,
    );
    expect({ stderr: run.stderr, stdout: run.stdout.trim() }).toEqual({ stderr: "", stdout: String(length - 1) });
  } finally {
    project.remove();
  }
});

test("the repository's own sources compile under its tsconfig without an error", () => {
  const files = globSync(["src/**/*.ts"], { cwd: REPO, absolute: true, ignore: ["**/*.d.ts"] });
  const result = batch.compileProgram(files, tsconfig.readTsconfig(join(REPO, "tsconfig.json")));
  expect(result.errors.size).toBe(0);
  expect(result.outputs.size).toBe(files.length);
  expect(result.typescript5).toBe(0);
});

// The corpus writes under .tmp-projects; keep the helper used.
void writeFileSync;
void rmSync;

describe("what a cold command compiles, and when", () => {
  let project: TestProject;

  beforeAll(() => {
    project = createProject(undefined);
    for (const name of ["Author", "Book"]) {
      project.write(
        `entities/${name}.ts`,
        `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";\n@Entity()\nexport class ${name} {\n  @PrimaryGeneratedColumn() id: number;\n  @Column() title: string;\n}\n`,
      );
    }
    project.write(
      "migrations/0001_init.ts",
      // No import of retort's types: they would join the program and be counted.
      `export const revision = "0001";\nexport const downRevision = null;\nexport async function upgrade(op: { execute(sql: string): Promise<void> }) {\n  await op.execute("SELECT 1");\n}\nexport async function downgrade(op: { execute(sql: string): Promise<void> }) {\n  await op.execute("SELECT 1");\n}\n`,
    );
  });

  afterAll(() => project.remove());

  /** Compile statistics at each step of a cold command, as a CommandContext runs it. */
  function coldSteps(compares: boolean, dir = project.dir, env: NodeJS.ProcessEnv = { RETORT_NO_CACHE: "1" }) {
    const script = `const { CommandContext } = require(${JSON.stringify(join(REPO, "src", "cli", "context.ts"))});
(async () => {
  const context = new CommandContext({}, process.cwd(), () => undefined)${compares ? ".withModel()" : ""};
  const before = hook.compileStats();
  await context.config();
  const afterConfig = hook.compileStats();
  const scripts = await context.scripts();
  const afterScripts = hook.compileStats();
  const connection = await context.connection();
  const afterMetadata = hook.compileStats();
  const entities = connection.dataSource.entityMetadatas.map((m) => m.tableName).sort();
  await connection.close();
  console.log(JSON.stringify({ before, afterConfig, afterScripts, afterMetadata, revisions: [...scripts.revisions.keys()], entities }));
})().catch((e) => { console.error(e); process.exit(1); });`;
    const run = inHookedProcess(dir, env, script);
    expect(run.stderr).toBe("");
    const steps = JSON.parse(run.stdout);
    expect(steps.revisions).toEqual(["0001"]);
    expect(steps.entities).toEqual(["author", "book"]);
    const files = (stats: { nativeFiles: number; typescript5Files: number }) => stats.nativeFiles + stats.typescript5Files;
    return {
      batches: [steps.afterConfig, steps.afterScripts, steps.afterMetadata].map((s) => s.batches - steps.before.batches),
      files: [steps.afterConfig, steps.afterScripts, steps.afterMetadata].map((s) => files(s) - files(steps.before)),
    };
  }

  test("starts the compiler once, with the config, for its revisions and its entities (cold), and not again when the metadata is built", () => {
    // The config, the revision and both entity files, in that one run.
    expect(coldSteps(true)).toEqual({ batches: [1, 1, 1], files: [4, 4, 4] });
  });

  test("a command that does not compare compiles the revisions with the config, and the entity files only when the metadata is built", () => {
    expect(coldSteps(false)).toEqual({ batches: [1, 1, 2], files: [2, 2, 4] });
  });

  test("with the config in the cache, nothing is guessed: the revision and the entity files compile in one run with the scripts", () => {
    const cacheDir = join(project.dir, "config-only-cache");
    try {
      const configOnly = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, `hook.precompile([require("node:path").resolve("ormconfig.ts")]); console.log(JSON.stringify(hook.compileStats()));`);
      expect(configOnly.stderr).toBe("");
      expect(JSON.parse(configOnly.stdout)).toMatchObject({ batches: 1, nativeFiles: 1 });
      expect(coldSteps(true, project.dir, { RETORT_CACHE_DIR: cacheDir })).toEqual({ batches: [0, 1, 1], files: [0, 3, 3] });
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  test("entity files the config's text does not name are compiled once its globs are known, with nothing lost", () => {
    const other = createProject(undefined, `import { DataSource } from "typeorm";
const folder = ["ent", "ities"].join("");
export default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [__dirname + "/" + folder + "/*.ts"] });
`);
    try {
      for (const file of readdirSync(join(project.dir, "entities"))) other.write(`entities/${file}`, readFileSync(join(project.dir, "entities", file), "utf8"));
      other.write("migrations/0001_init.ts", readFileSync(join(project.dir, "migrations", "0001_init.ts"), "utf8"));
      expect(coldSteps(true, other.dir)).toEqual({ batches: [1, 2, 2], files: [2, 4, 4] });
    } finally {
      other.remove();
    }
  });
});

describe("a large batch is cached as one pack", () => {
  const COUNT = 40;
  let project: TestProject;
  let cacheDir: string;
  const load = `const { resolve } = require("node:path");
const files = require("node:fs").readdirSync("entities").map((f) => resolve("entities", f));
hook.precompile(files);
const sum = files.reduce((total, f) => total + require(f).value, 0);
console.log(JSON.stringify({ sum, stats: hook.compileStats() }));`;
  const run = () => {
    const outcome = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, load);
    expect(outcome.stderr).toBe("");
    return JSON.parse(outcome.stdout) as { sum: number; stats: { cacheHits: number; batches: number } };
  };
  // 0 + 1 + ... + 39, each file's value its index.
  const SUM = (COUNT * (COUNT - 1)) / 2;

  beforeEach(() => {
    project = createProject(undefined);
    cacheDir = join(project.dir, "cache");
    for (let i = 0; i < COUNT; i++) {
      const previous = i > 0 ? `import { value as before } from "./e${i - 1}";\nexport const check: number = before;\n` : "";
      project.write(`entities/e${i}.ts`, `${previous}export const value: number = ${i};\n`);
    }
  });

  afterEach(() => project.remove());

  test("one file with an index instead of one file per output, and the next process compiles nothing", () => {
    expect(run()).toEqual({ sum: SUM, stats: expect.objectContaining({ batches: 1, cacheHits: 0 }) });
    const files = readdirSync(cacheDir);
    expect(files.filter((f) => f.endsWith(".pack"))).toHaveLength(1);
    expect(files.filter((f) => /^[0-9a-f]{40}\.js$/.test(f))).toEqual([]);
    expect(run()).toEqual({ sum: SUM, stats: expect.objectContaining({ batches: 0, cacheHits: COUNT }) });
  });

  test("an edit recompiles the files whose key changed (a chain of 40: a new pack; one file: its own file), the rest read from the pack", () => {
    run();
    project.write("entities/e0.ts", "export const value: number = 100;\n");
    const edited = run();
    // e0 and every file that imports it, directly or not, have new keys: the whole chain compiles again, as one pack.
    expect(edited).toEqual({ sum: SUM + 100, stats: expect.objectContaining({ batches: 1, cacheHits: 0 }) });
    project.write(`entities/e${COUNT - 1}.ts`, `export const value: number = 1000;\n`);
    const tail = run();
    expect(tail).toEqual({ sum: SUM + 100 - (COUNT - 1) + 1000, stats: expect.objectContaining({ batches: 1, cacheHits: COUNT - 1 }) });
    expect(readdirSync(cacheDir).filter((f) => /^[0-9a-f]{40}\.js$/.test(f))).toHaveLength(1);
  });

  test("a damaged or deleted pack costs a compile, not a wrong run", () => {
    run();
    const pack = readdirSync(cacheDir).find((f) => f.endsWith(".pack"))!;
    writeFileSync(join(cacheDir, pack), "not a pack");
    expect(run()).toEqual({ sum: SUM, stats: expect.objectContaining({ batches: 1 }) });
    for (const f of readdirSync(cacheDir).filter((name) => name.endsWith(".pack"))) rmSync(join(cacheDir, f));
    expect(run()).toEqual({ sum: SUM, stats: expect.objectContaining({ batches: 1, cacheHits: 0 }) });
    expect(run()).toEqual({ sum: SUM, stats: expect.objectContaining({ batches: 0, cacheHits: COUNT }) });
  });
});

test("what a process compiled is in the cache for the next even when it ends with process.exit", () => {
  const project = createProject(undefined);
  try {
    const cacheDir = join(project.dir, "cache");
    project.write("entities/a.ts", `import { b } from "./b";\nexport const a: string = "a" + b;\n`);
    project.write("entities/b.ts", `export const b: string = "b";\n`);
    const script = `require("./entities/a.ts"); console.log(JSON.stringify(hook.compileStats())); process.exit(0);`;
    const first = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, script);
    expect(first.stderr).toBe("");
    expect(JSON.parse(first.stdout)).toMatchObject({ batches: 1, cacheHits: 0 });
    const second = inHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, script);
    expect(second.stderr).toBe("");
    expect(JSON.parse(second.stdout)).toMatchObject({ batches: 0, cacheHits: 2 });
  } finally {
    project.remove();
  }
});

/**
 * Plain imports (src/config/import-surface.js): after an edit, only the files
 * whose output can change compile again, and a file whose imports are all
 * plain classes and enums compiles beside declared stand-ins of them instead
 * of with its whole import cycle. Each step compares every output, from the cache or
 * compiled, with this repository's `tsc` on the project as it then is.
 */
describe("plain imports: an edit recompiles what its output depends on, byte for byte as tsc", () => {
  const CLASSES: Record<string, string> = {
    "src/entities/Base.ts": `import { CreateDateColumn, PrimaryGeneratedColumn } from "typeorm";
export default abstract class Base {
  @PrimaryGeneratedColumn() id: number;
  @CreateDateColumn() createdAt: Date;
}
`,
    "src/entities/Author.ts": `import { Column, Entity, OneToMany } from "typeorm";
import Base from "./Base";
import { Book } from "./Book";
import { Tag as Label } from "./Tag";
import type { Shelf } from "./Shelf";
import { Level } from "./Level";
export enum Genre { Novel, Poem }
@Entity()
export class Author extends Base {
  @Column() name: string;
  @OneToMany(() => Book, (b) => b.author) books: Book[];
  @Column({ type: "simple-json", nullable: true }) label: Label;
  @Column({ type: "simple-json", nullable: true }) shelf: Shelf | null;
  @Column() level: Level;
  constructor(favourite?: Book) {
    super();
  }
}
`,
    "src/entities/Book.ts": `import { Column, Entity, ManyToOne } from "typeorm";
import Base from "./Base";
import { Author, Genre } from "./Author";
@Entity()
export class Book extends Base {
  @Column() genre: Genre;
  @Column() title: string;
  @ManyToOne(() => Author, (a) => a.books) author: Author;
  @ManyToOne(() => Author, { nullable: true }) editor: Author | null;
}
`,
    "src/entities/Tag.ts": `import { Author } from "./Author";
export class Tag {
  owner?: Author;
}
`,
    "src/entities/Shelf.ts": `export class Shelf {
  size = 1;
}
`,
    "src/entities/Level.ts": `export enum Level { Low, High }
`,
  };
  const series = plainImportsProject(CLASSES, {});
  const { afterEdits, compileAll, edit, expectTscOutputs, files } = series;

  // A dozen compiles, each compared with tsc: 13 s alone on a slow 2-core machine, up to three times that with the suite's other workers beside it.
  test("cold: one program for all; then body edits compile one file beside stand-ins; a changed meaning recompiles its importers", () => {
    const cold = compileAll();
    expect(cold.stats).toMatchObject({ nativeFiles: files.length, typescript5Files: 0, standInRuns: 0 });
    expectTscOutputs(cold.outputs);

    // A column added to an entity in the import cycle: its importers' output cannot change.
    const book = afterEdits(["src/entities/Book.ts", "  @Column() title: string;\n", "  @Column() title: string;\n  @Column({ nullable: true }) pages: number;\n"]);
    expect(book.stats).toMatchObject({ nativeFiles: 1, standInRuns: 1 });

    // An entity that declares an enum another one uses: a column added to it compiles it alone.
    const author = afterEdits(["src/entities/Author.ts", "  @Column() name: string;\n", "  @Column() name: string;\n  @Column({ nullable: true }) bio: string;\n"]);
    expect(author.stats).toMatchObject({ nativeFiles: 1, standInRuns: 1 });
    // The enum's values change what Book's `genre` is typed as: Book compiles again.
    const genre = afterEdits(["src/entities/Author.ts", "export enum Genre { Novel, Poem }", 'export enum Genre { Novel = "novel", Poem = "poem" }']);
    expect(genre.stats.nativeFiles).toBeGreaterThanOrEqual(2);
    expect(genre.outputs[files[2]]).toContain('__metadata("design:type", String)\n], Book.prototype, "genre"');

    // The abstract base class every entity imports by its default export.
    const base = afterEdits(
      ["src/entities/Base.ts", "  @CreateDateColumn() createdAt: Date;\n", "  @CreateDateColumn() createdAt: Date;\n  @Column({ default: 0 }) version: number;\n"],
      ["src/entities/Base.ts", "import { CreateDateColumn,", "import { Column, CreateDateColumn,"],
    );
    // Base imports no project file: its run has nothing to stand in for.
    expect(base.stats).toMatchObject({ nativeFiles: 1, standInRuns: 0 });

    // A syntax error in a file compiled beside stand-ins is reported under its own name.
    edit("src/entities/Book.ts", "  @Column() title: string;\n", "  @Column() title: string = ;\n");
    const broken = compileAll();
    expect(broken.errors).toEqual({ [files[2]]: `${join("src", "entities", "Book.ts")}:7:29: Expression expected.` });
    edit("src/entities/Book.ts", "  @Column() title: string = ;\n", "  @Column() title: string;\n");
    expect(compileAll().stats).toMatchObject({ nativeFiles: 0 });

    // Tag stops being a class: Author's `label` is typed Object now, so Author compiles again.
    const tag = afterEdits(["src/entities/Tag.ts", "export class Tag {", "export interface Tag {"]);
    expect(tag.stats.nativeFiles).toBeGreaterThanOrEqual(2);
    expect(tag.outputs[files[1]]).toContain('__metadata("design:type", Object)\n], Author.prototype, "label"');

    // An enum's values change what Author's `level` is typed as: its importers follow.
    const level = afterEdits(["src/entities/Level.ts", "export enum Level { Low, High }", 'export enum Level { Low = "low", High = "high" }']);
    expect(level.outputs[files[1]]).toContain('__metadata("design:type", String)\n], Author.prototype, "level"');

    // A class module that reaches the global scope: every file that imports it, even through a cycle, is keyed by it all.
    afterEdits(
      ["src/entities/Shelf.ts", "export class Shelf {", "declare global {\n  type ShelfSize = number;\n}\nexport class Shelf {"],
      ["src/entities/Author.ts", "  @Column() name: string;\n", "  @Column() name: string;\n  @Column() size: ShelfSize;\n"],
    );
    // Author's text is as it was; what its `size` is typed as changed in Shelf.
    const global = afterEdits(["src/entities/Shelf.ts", "type ShelfSize = number;", "type ShelfSize = string;"]);
    expect(global.stats.nativeFiles).toBeGreaterThanOrEqual(3);
    expect(global.outputs[files[1]]).toContain('__metadata("design:type", String)\n], Author.prototype, "size"');

    afterEdits(
      ["src/entities/Shelf.ts", "declare global {\n  type ShelfSize = string;\n}\n", ""],
      ["src/entities/Author.ts", "  @Column() size: ShelfSize;\n", ""],
      // Tag's interface module imports Author, and so Book through the cycle: as a class again, Author imports it plainly.
      ["src/entities/Tag.ts", "export interface Tag {", "export class Tag {"],
    );

    // A relative import of a file no copy could sit beside (a hand-written declaration file): no stand-in run for its importer.
    series.project.write("src/entities/legacy.d.ts", "export declare class Legacy {}\n");
    afterEdits(
      ["src/entities/Book.ts", 'import { Author, Genre } from "./Author";\n', 'import { Author, Genre } from "./Author";\nimport { Legacy } from "./legacy";\n'],
      ["src/entities/Book.ts", "  @Column() title: string;\n", "  @Column() title: string;\n  @ManyToOne(() => Author) legacy: Legacy;\n"],
    );
    const legacy = afterEdits(["src/entities/Book.ts", "  @Column() title: string;\n", "  @Column() title: string;\n  @Column({ nullable: true }) isbn: string;\n"]);
    expect(legacy.stats).toMatchObject({ nativeFiles: 1, standInRuns: 0 });
    expect(legacy.outputs[files[2]]).toContain('__metadata("design:type", legacy_1.Legacy)');
  }, 420_000);
});

/**
 * A revision file imports `MigrationContext` with `import type` and has no
 * decorators: whatever that module holds (in this repository a path alias to
 * all of retort's sources), the compiler erases the statement, so the file
 * compiles beside an empty stand-in of it instead of with its closure. A
 * const enum read through `import type` is inlined all the same, and one
 * declared global can be read by its bare name: those keep the module.
 */
describe("a module only `import type`d by a file without decorators is left out of its compile, byte for byte as tsc", () => {
  const FILES: Record<string, string> = {
    "src/lib/index.ts": `import { Helper } from "./helper";
declare global {
  interface LibraryWide {
    helper: Helper;
  }
}
export interface Context {
  helper: Helper;
}
`,
    "src/lib/helper.ts": `export class Helper {
  run(): number {
    return 1;
  }
}
`,
    "src/lib/level.ts": `export const enum Level { Low = 1, High = 2 }
`,
    "src/lib/colors.ts": `declare global {
  const enum Color { Red = 1, Blue = 2 }
}
export type Palette = Color[];
`,
    "src/migrations/m1_plain.ts": `import type { Context } from "@lib";
import type Helper from "../lib/helper";
export const revision = "m1";
export async function upgrade(context: Context, helper?: Helper): Promise<void> {
  await Promise.resolve(context.helper.run());
}
`,
    "src/migrations/m2_level.ts": `import type { Level } from "../lib/level";
export const revision = "m2";
export const high = Level.High;
`,
    "src/migrations/m3_color.ts": `import type { Palette } from "../lib/colors";
export const revision = "m3";
export const palette: Palette = [Color.Red];
`,
  };
  const series = plainImportsProject(FILES, { paths: { "@lib": ["./src/lib/index.ts"] } });
  const { afterEdits, compileAll, expectTscOutputs, files } = series;
  const m2 = () => files.find((file) => file.endsWith("m2_level.ts"))!;
  const m3 = () => files.find((file) => file.endsWith("m3_color.ts"))!;

  test("an edit compiles the file alone beside an empty stand-in; an inlined const enum keeps its module in the program", () => {
    const cold = compileAll();
    expectTscOutputs(cold.outputs);

    // The alias's module reaches the global scope and imports a class: neither matters to an erased import.
    const plain = afterEdits(["src/migrations/m1_plain.ts", "context.helper.run()", "context.helper.run() + 1"]);
    expect(plain.stats).toMatchObject({ nativeFiles: 1, standInRuns: 1 });

    const level = afterEdits(["src/migrations/m2_level.ts", 'revision = "m2"', 'revision = "m2b"']);
    expect(level.stats).toMatchObject({ nativeFiles: 1, standInRuns: 0 });
    expect(level.outputs[m2()]).toContain("exports.high = 2 /* Level.High */;");

    const color = afterEdits(["src/migrations/m3_color.ts", 'revision = "m3"', 'revision = "m3b"']);
    expect(color.stats).toMatchObject({ nativeFiles: 1, standInRuns: 0 });
    expect(color.outputs[m3()]).toContain("[1 /* Color.Red */]");
  }, 300_000);
});

describe("plain imports by path alias (NestJS's baseUrl imports, `@app/*` paths), byte for byte as tsc", () => {
  const CLASSES: Record<string, string> = {
    "src/users/user.entity.ts": `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import { Post, PostMeta, PostState } from "src/posts/post.entity";
import { Role } from "@app/users/role";
@Entity()
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column() name: string;
  @Column() role: Role;
  @Column({ type: "varchar" }) lastState: PostState;
  @Column({ type: "simple-json" }) lastMeta: PostMeta;
  @OneToMany(() => Post, (p) => p.author) posts: Post[];
}
`,
    "src/posts/post.entity.ts": `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { User } from "@app/users/user.entity";
export type PostState = "draft" | "live";
export interface PostMeta extends Record<string, unknown> {
  words: number;
}
@Entity()
export class Post {
  @PrimaryGeneratedColumn() id: number;
  @Column() title: string;
  @ManyToOne(() => User, (u) => u.posts) author: User;
}
`,
    "src/users/role.ts": `export enum Role { Reader, Writer }
`,
  };
  const series = plainImportsProject(CLASSES, { baseUrl: "./", paths: { "@app/*": ["src/*"] } });
  const { afterEdits, compileAll, expectTscOutputs, files } = series;

  test("an edit compiles one file beside stand-ins the aliases name; a changed meaning or an aliased declaration file does not", () => {
    const cold = compileAll();
    expect(cold.stats).toMatchObject({ nativeFiles: files.length, standInRuns: 0 });
    expectTscOutputs(cold.outputs);

    const post = afterEdits(["src/posts/post.entity.ts", "  @Column() title: string;\n", "  @Column() title: string;\n  @Column({ nullable: true }) body: string;\n"]);
    expect(post.stats).toMatchObject({ nativeFiles: 1, standInRuns: 1 });
    const user = afterEdits(["src/users/user.entity.ts", "  @Column() name: string;\n", "  @Column() name: string;\n  @Column({ nullable: true }) email: string;\n"]);
    expect(user.stats).toMatchObject({ nativeFiles: 1, standInRuns: 1 });

    // A type alias of literals and an interface Post exports: a change of the alias's meaning recompiles User.
    const state = afterEdits(["src/posts/post.entity.ts", 'export type PostState = "draft" | "live";', "export type PostState = 1 | 2;"]);
    expect(state.stats.nativeFiles).toBe(2);
    expect(state.outputs[files[0]]).toContain('__metadata("design:type", Number)\n], User.prototype, "lastState"');
    const meta = afterEdits(["src/posts/post.entity.ts", "  words: number;\n", "  words: number;\n  lines: number;\n"]);
    expect(meta.stats).toMatchObject({ nativeFiles: 1, standInRuns: 1 });

    // The enum User imports by alias changes what `role` is typed as: User compiles again.
    const role = afterEdits(["src/users/role.ts", "export enum Role { Reader, Writer }", 'export enum Role { Reader = "reader", Writer = "writer" }']);
    expect(role.stats.nativeFiles).toBeGreaterThanOrEqual(2);
    expect(role.outputs[files[0]]).toContain('__metadata("design:type", String)\n], User.prototype, "role"');

    // A hand-written declaration file reached by alias would not be beside the copy: Post's edits compile the whole cycle.
    series.project.write("src/posts/legacy.d.ts", "export declare class Legacy {}\n");
    afterEdits(
      ["src/posts/post.entity.ts", 'import { User } from "@app/users/user.entity";\n', 'import { User } from "@app/users/user.entity";\nimport { Legacy } from "@app/posts/legacy";\n'],
      ["src/posts/post.entity.ts", "  @Column() title: string;\n", "  @Column() title: string;\n  @ManyToOne(() => User) legacy: Legacy;\n"],
    );
    const legacy = afterEdits(["src/posts/post.entity.ts", "  @Column() title: string;\n", "  @Column() title: string;\n  @Column({ nullable: true }) isbn: string;\n"]);
    expect(legacy.stats).toMatchObject({ nativeFiles: 1, standInRuns: 0 });
    expect(legacy.outputs[files[1]]).toContain('__metadata("design:type", legacy_1.Legacy)');
  }, 300_000);
});

describe("plain imports through a barrel (`export *` and named re-exports), byte for byte as tsc", () => {
  const CLASSES: Record<string, string> = {
    "src/entities/index.ts": `export * from "./misc";
export * from "./user.entity";
export * from "./post.entity";
export { Tag as Label } from "./tag";
`,
    "src/entities/user.entity.ts": `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import { Label, Misc, Post, PostState } from ".";
@Entity()
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column() name: string;
  @Column({ type: "varchar" }) lastState: PostState;
  @Column() misc: Misc;
  @Column({ type: "simple-json", nullable: true }) label: Label;
  @OneToMany(() => Post, (p) => p.author) posts: Post[];
}
`,
    "src/entities/post.entity.ts": `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { User } from "./index";
export type PostState = "draft" | "live";
@Entity()
export class Post {
  @PrimaryGeneratedColumn() id: number;
  @Column() title: string;
  @ManyToOne(() => User, (u) => u.posts) author: User;
}
`,
    "src/entities/misc.ts": `export enum Misc { A, B }
`,
    "src/entities/tag.ts": `export class Tag {
  name = "";
}
`,
  };
  const series = plainImportsProject(CLASSES, {});
  const { afterEdits, compileAll, expectTscOutputs, files } = series;

  test("an edit compiles one file beside a stand-in of the barrel; a name the barrel's modules make ambiguous recompiles its importers", () => {
    const cold = compileAll();
    expect(cold.stats).toMatchObject({ nativeFiles: files.length, standInRuns: 0 });
    expectTscOutputs(cold.outputs);

    const post = afterEdits(["src/entities/post.entity.ts", "  @Column() title: string;\n", "  @Column() title: string;\n  @Column({ nullable: true }) body: string;\n"]);
    expect(post.stats).toMatchObject({ nativeFiles: 1, standInRuns: 1 });
    const user = afterEdits(["src/entities/user.entity.ts", "  @Column() name: string;\n", "  @Column() name: string;\n  @Column({ nullable: true }) email: string;\n"]);
    expect(user.stats).toMatchObject({ nativeFiles: 1, standInRuns: 1 });

    // A second starred module exporting PostState: the name is ambiguous in the barrel (tsc takes the first module's, and says so).
    const ambiguous = afterEdits(["src/entities/misc.ts", "export enum Misc { A, B }\n", "export enum Misc { A, B }\nexport type PostState = 1 | 2;\n"]);
    expect(ambiguous.stats.nativeFiles).toBeGreaterThanOrEqual(2);
    expect(ambiguous.outputs[files[1]]).toContain('__metadata("design:type", Number)\n], User.prototype, "lastState"');
    const resolved = afterEdits(["src/entities/misc.ts", "export type PostState = 1 | 2;\n", ""]);
    expect(resolved.outputs[files[1]]).toContain('__metadata("design:type", String)\n], User.prototype, "lastState"');

    // The enum a starred module declares changes what User's `misc` is typed as.
    const misc = afterEdits(["src/entities/misc.ts", "export enum Misc { A, B }", 'export enum Misc { A = "a", B = "b" }']);
    expect(misc.outputs[files[1]]).toContain('__metadata("design:type", String)\n], User.prototype, "misc"');
  }, 300_000);
});

/**
 * A project of `classes` (name -> source) under a tsconfig with TypeScript
 * 5's defaults (no strictNullChecks: a `Class | null` property is typed by
 * its class) plus `extraOptions`, and the steps of an edit-and-compile series:
 * each compile runs in a fresh hooked process against one cache folder and
 * compares every output with `tsc -p`'s (in this process after the first
 * step: support/tsc-reference.ts).
 */
function plainImportsProject(classes: Record<string, string>, extraOptions: Record<string, unknown>) {
  let project!: TestProject;
  let cacheDir: string;
  let reference: TscReference | undefined;
  const files = Object.keys(classes);

  beforeAll(() => {
    project = createProject(undefined);
    cacheDir = join(project.dir, "cache");
    for (const [name, source] of Object.entries(classes)) {
      mkdirSync(dirname(join(project.dir, name)), { recursive: true });
      project.write(name, source);
    }
    const options = { target: "es2021", module: "commonjs", experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true, skipLibCheck: true, ...extraOptions };
    project.write("tsconfig.json", JSON.stringify({ compilerOptions: options, include: ["src"] }));
    files.splice(0, files.length, ...Object.keys(classes).map((name) => join(project.dir, name)));
  });

  afterAll(() => project.remove());

  const compileAll = () => {
    const run = compileInHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, files);
    expect(run.stderr).toBe("");
    return run.compiled!;
  };

  const expectTscOutputs = (outputs: Record<string, string>) => {
    reference ??= tscReference(project.dir);
    const emitted = reference.emit(files);
    for (const file of files) {
      expect({ file: relative(project.dir, file), code: codeOf(outputs[file] ?? "") }).toEqual({ file: relative(project.dir, file), code: codeOf(emitted.get(file)!) });
    }
  };

  const edit = (name: string, from: string, to: string) => {
    const path = join(project.dir, name);
    const before = readFileSync(path, "utf8");
    expect(before).toContain(from);
    writeFileSync(path, before.replace(from, to));
  };

  /** Applies each [file, from, to] edit, compiles, and compares every output with tsc's; returns the compile's outcome. */
  const afterEdits = (...edits: Array<[name: string, from: string, to: string]>) => {
    for (const [name, from, to] of edits) edit(name, from, to);
    const outcome = compileAll();
    expectTscOutputs(outcome.outputs);
    return outcome;
  };

  return {
    afterEdits,
    compileAll,
    edit,
    expectTscOutputs,
    files,
    get project() {
      return project;
    },
  };
}

/**
 * A program whose files cannot name a type of the browser's libraries
 * compiles without them (a third of what a small program reads), and its
 * output is what the program with them emits: checked here on the libraries
 * of the compiler installed, and on a type the scan cannot see.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { compileInHookedProcess } from "../support/hooked-process";
import { batch, tsconfig } from "../support/compiler";
import { createProject, type TestProject } from "../support/project";

const compiler = batch.nativeCompiler();
const libDir = compiler ? dirname(compiler) : "";
const describeWithCompiler = compiler ? describe : describe.skip;

const BROWSER_FILE = /^lib\.(?:dom(?:\.iterable|\.asynciterable)?|webworker\.importscripts|scripthost)\.d\.ts$/;
const LANGUAGE_FILE = /^lib\.(?:es\d+|es6|esnext|decorators)(?:\.[\w.]*?)?\.d\.ts$/;
const TYPE = /^(?:declare\s+)?(?:interface|type|class|enum|namespace|module)\s+([A-Za-z_$][\w$]*)/gm;
const VALUE = /^declare\s+(?:var|let|const|function|class|namespace|module)\s+([A-Za-z_$][\w$]*)/gm;

function declared(files: string[], pattern: RegExp): Set<string> {
  const names = new Set<string>();
  for (const file of files) for (const [, name] of readFileSync(join(libDir, file), "utf8").matchAll(pattern)) names.add(name);
  return names;
}

describeWithCompiler("the browser's libraries", () => {
  const libs = compiler ? readdirSync(libDir).filter((f) => /^lib\..*\.d\.ts$/.test(f)) : [];
  const browser = libs.filter((f) => BROWSER_FILE.test(f));
  const language = libs.filter((f) => LANGUAGE_FILE.test(f));

  test("what they declare but the names scanned for cannot change an output", () => {
    expect(browser).toEqual(expect.arrayContaining(["lib.dom.d.ts", "lib.scripthost.d.ts"]));
    const browserTypes = declared(browser, TYPE);
    const browserValues = declared(browser, VALUE);
    const languageTypes = declared(language, TYPE);
    const languageValues = declared(language, VALUE);
    // A value of theirs named like a type of the language's would make that type a class: none.
    expect([...browserValues].filter((name) => !browserTypes.has(name) && languageTypes.has(name))).toEqual([]);
    // Types they share with the language's libraries (not scanned for) are members added to an interface that keeps
    // its value and kind (reviewed: Date and DateConstructor gain VarDate, ImportMeta gains url); a new one needs the
    // same review.
    expect([...browserTypes].filter((name) => languageTypes.has(name) || languageValues.has(name)).sort()).toEqual(["Date", "DateConstructor", "ImportMeta"]);
    const names = batch.browserTypeNamesIn(libDir);
    expect(names).toEqual(expect.arrayContaining(["Blob", "Comment", "Event", "File", "HTMLElement", "Node", "RequestMode"]));
    expect(names).not.toContain("Date");
    expect(names).not.toContain("name");
  });

  test("a file names one unless it binds the name itself; comments and strings count", () => {
    const classes = new Set(batch.browserTypeNamesIn(libDir));
    expect(batch.mentionsBrowserTypes(`@Entity() export class Media { @Column() data: Blob; }`, classes)).toBe(true);
    expect(batch.mentionsBrowserTypes(`export class Post { @Column() name: string; @Column() at: Date; } // keeps an Event log`, classes)).toBe(true);
    expect(batch.mentionsBrowserTypes(`import { Comment } from "./Comment";\nexport class Post { @OneToMany(() => Comment, (c) => c.post) comments: Comment[]; }`, classes)).toBe(false);
    expect(batch.mentionsBrowserTypes(`import { Event as Happening } from "./Event";\nexport class Post { @Column() e: Event; }`, classes)).toBe(true);
    expect(batch.mentionsBrowserTypes(`@Entity()\nexport class Comment { @ManyToOne(() => Comment) parent: Comment; }`, classes)).toBe(false);
    expect(batch.mentionsBrowserTypes(`export class Post {\n  method() { class Event {} }\n  @Column() e: Event;\n}`, classes)).toBe(true);
  });

  test("which libraries a program keeps", () => {
    expect(batch.withoutBrowserLibs({ target: "es2021" }, libDir)).toEqual({ target: "es2021", lib: ["es2021"] });
    expect(batch.withoutBrowserLibs({ target: "ES6" }, libDir)).toEqual({ target: "ES6", lib: ["es2015"] });
    expect(batch.withoutBrowserLibs({ target: "es2022", lib: ["ES2022", "DOM", "dom.iterable"] }, libDir)).toEqual({ target: "es2022", lib: ["ES2022"] });
    // Nothing to leave out, or nothing left: the program as configured.
    expect(batch.withoutBrowserLibs({ target: "es2022", lib: ["es2022"] }, libDir)).toBeUndefined();
    expect(batch.withoutBrowserLibs({ target: "es2022", lib: ["dom"] }, libDir)).toBeUndefined();
    expect(batch.withoutBrowserLibs({ target: "es2022", noLib: true }, libDir)).toBeUndefined();
  });

  describe("a program compiled without them", () => {
    let project: TestProject;
    beforeAll(() => {
      project = createProject(undefined);
      project.write("tsconfig.json", JSON.stringify({ compilerOptions: { target: "es2021", module: "commonjs", experimentalDecorators: true, emitDecoratorMetadata: true } }));
      // Aliases of the browser's types, in a file the program reads but does not compile (its output is cached, say).
      project.write("upload.ts", `export type Upload = HTMLElement;\nexport type Mode = RequestMode;\n`);
      project.write("stamp.ts", `export type Stamp = Date;\n`);
      project.write(
        "entities/Media.ts",
        `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Upload } from "../upload";
import type { Stamp } from "../stamp";
@Entity()
export class Media {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "simple-json" }) upload: Upload;
  @Column() at: Stamp;
}
`,
      );
      project.write(
        "entities/Note.ts",
        `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { Stamp } from "../stamp";
@Entity()
export class Note {
  @PrimaryGeneratedColumn() id: number;
  @Column() at: Stamp;
  @Column() data: Buffer;
}
`,
      );
    });
    afterAll(() => project.remove());

    const compile = (file: string, browserTypesFree: boolean) => {
      const root = join(project.dir, "entities", file);
      const result = batch.compileProgram([root], tsconfig.readTsconfig(join(project.dir, "tsconfig.json")), [root], undefined, { browserTypesFree });
      expect(result.errors.size).toBe(0);
      return { output: result.outputs.get(root)!, leftOut: result.browserLibsLeftOut };
    };

    test("emits what the whole program emits", () => {
      const without = compile("Note.ts", true);
      const whole = compile("Note.ts", false);
      expect(without).toEqual({ output: whole.output, leftOut: true });
      expect(whole.output).toContain('__metadata("design:type", Buffer)');
    });

    test("runs again with them when a type it cannot see from the files' text is unresolved", () => {
      const rerun = compile("Media.ts", true);
      const whole = compile("Media.ts", false);
      expect(rerun).toEqual({ output: whole.output, leftOut: false });
      expect(whole.output).toContain('__metadata("design:type", Object)\n], Media.prototype, "upload"');
    });

    test("through the require hook: left out unless a file of the program, or one it imports, names such a type", () => {
      // An alias imported for its type only serializes as tsc says (a string union: String) but shows no fallback.
      project.write(
        "entities/Request.ts",
        `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { Mode } from "../upload";
@Entity()
export class Request {
  @PrimaryGeneratedColumn() id: number;
  @Column() mode: Mode;
}
`,
      );
      const cacheDir = join(project.dir, "cache");
      const run = (file: string) => {
        const path = join(project.dir, file);
        const result = compileInHookedProcess(project.dir, { RETORT_CACHE_DIR: cacheDir }, [path]);
        expect(result.stderr).toBe("");
        return { stats: result.compiled!.stats, output: result.compiled!.outputs[path] };
      };
      expect(run("entities/Note.ts").stats).toMatchObject({ batches: 1, withoutBrowserLibs: 1 });
      // upload.ts compiled and cached first: the program of Request.ts reads it without compiling it.
      expect(run("upload.ts").stats).toMatchObject({ batches: 1, withoutBrowserLibs: 0 });
      const request = run("entities/Request.ts");
      expect(request.stats).toMatchObject({ batches: 1, withoutBrowserLibs: 0 });
      expect(request.output).toContain('__metadata("design:type", String)\n], Request.prototype, "mode"');
    });
  });
});

/**
 * The compile cache against a compile from nothing, after random edits: a
 * project with the shapes the cache keys reason about (barrels, path
 * aliases, a folder import that a new file beside the folder takes over,
 * enums, literal aliases, interfaces, a namespace, a global declaration, a
 * default export) takes a random walk of edits; after each one, every
 * output a process gets through the cache (outputs kept from earlier runs,
 * one file compiled beside stand-ins) must be the output of one compiler run
 * over the whole project with no cache at all. A stale output here is an
 * entity class whose metadata the check would read wrong.
 *
 * CI walks one seed a few steps; `node scripts/compile-cache-sweep.js`
 * walks many (RETORT_SWEEP_SEEDS, RETORT_SWEEP_STEPS). A failure names its
 * seed and its edits, which replay it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { compileInHookedProcess } from "../support/hooked-process";
import { createProject, type TestProject } from "../support/project";

const PROJECT: Record<string, string> = {
  "tsconfig.json": JSON.stringify({
    compilerOptions: {
      target: "es2021", module: "commonjs", experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true,
      skipLibCheck: true, baseUrl: "./", paths: { "@app/*": ["src/*"] },
    },
    include: ["src"],
  }),
  "src/shared/kinds.ts": `export enum Color { Red, Blue }
export type Kind = "a" | "b";
export class Money { cents = 0; }
export type Maybe = string | null;
// colours
export namespace Inner { export const note = 1; }
export const enum Size { S = 1, L = 3 }
export type Id = number;
class Local { at = 0; }
export { Local };
`,
  "src/shared/extra.ts": `export const EXTRA = 1;
// no Kind here
`,
  "src/shared/index.ts": `export * from "./kinds";
export * from "./extra";
// no namespace re-export
`,
  "src/entities/tag.ts": `export class Tag { name = ""; }
// no global
// no default
// no const enum
`,
  // A hand-written declaration file: the compiler reads it, retort does not compile it.
  "src/entities/legacy.d.ts": `export declare class Legacy {}
`,
  "src/entities/index.ts": `export * from "./a.entity";
export * from "./b.entity";
export { Tag as Label } from "./tag";
// no nested barrel
`,
  "src/entities/a.entity.ts": `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import { B, Label } from ".";
import { Color, Kind, Money, Maybe } from "@app/shared";
@Entity()
export class A {
  @PrimaryGeneratedColumn() id: number;
  @Column() color: Color;
  @Column() kind: Kind;
  @Column({ type: "simple-json" }) money: Money;
  @Column({ nullable: true }) maybe: Maybe;
  @Column({ type: "simple-json" }) label: Label;
  @Column({ nullable: true }) wide: Wide;
  @OneToMany(() => B, (b) => b.a) bs: B[];
  // a's body
}
`,
  "src/entities/b.entity.ts": `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { A } from "./a.entity";
import * as shared from "../shared";
import { Legacy } from "./legacy";
import { Id, Kind, Local, Size } from "@app/shared/kinds";
@Entity()
export class B {
  @PrimaryGeneratedColumn() id: Id;
  @ManyToOne(() => A, (a) => a.bs) a: A;
  @Column() color: shared.Color;
  @Column() kind: Kind;
  @Column({ type: "simple-json" }) legacy: Legacy;
  @Column({ default: Size.L }) size: Size;
  @Column({ type: "simple-json" }) local: Local;
  // b's body
}
`,
  // A revision-like file: no decorators, its project imports all \`import type\`: it compiles beside empty stand-ins of them.
  "src/migrations/m1.ts": `import type { Kind, Size } from "@app/shared/kinds";
import type { A } from "../entities";
export const revision = "m1";
export function describe(a: A, kind: Kind): string {
  return String(a.id) + kind;
}
// m1 reads
// m1 tint
// m1 body
`,
};

/** An edit of one file that can be undone: `from` becomes `to`, or back. Any set of them leaves the project parseable. */
interface Toggle {
  file: string;
  from: string;
  to: string;
}

const TOGGLES: Toggle[] = [
  { file: "src/shared/kinds.ts", from: "export enum Color { Red, Blue }", to: 'export enum Color { Red = "red", Blue = "blue" }' },
  { file: "src/shared/kinds.ts", from: 'export type Kind = "a" | "b";', to: "export type Kind = 1 | 2;" },
  { file: "src/shared/kinds.ts", from: "export class Money { cents = 0; }", to: "export interface Money { cents: number }" },
  { file: "src/shared/kinds.ts", from: "export type Maybe = string | null;", to: "export type Maybe = Date;" },
  // A declaration the scan sees twice (once in a comment): no longer plain.
  { file: "src/shared/kinds.ts", from: "// colours", to: "/* export class Color {} */ export const colorCount = 2;" },
  { file: "src/shared/kinds.ts", from: "export namespace Inner { export const note = 1; }", to: "export namespace Inner { export class Money {} }" },
  // A second starred module exporting Kind: ambiguous in the barrel.
  // A const enum's members are inlined where they are used: `default: Size.L` is written as the value.
  { file: "src/shared/kinds.ts", from: "L = 3 }", to: "L = 4 }" },
  { file: "src/shared/kinds.ts", from: "export type Id = number;", to: "export type Id = string;" },
  // A class exported for types only: what an importer's metadata names changes.
  { file: "src/shared/kinds.ts", from: "export { Local };", to: "export type { Local };" },
  { file: "src/shared/extra.ts", from: "// no Kind here", to: "export type Kind = Date;" },
  { file: "src/shared/index.ts", from: "// no namespace re-export", to: 'export * as kinds from "./kinds";' },
  { file: "src/shared/index.ts", from: 'export * from "./extra";', to: '// export * from "./extra";' },
  { file: "src/entities/tag.ts", from: 'export class Tag { name = ""; }', to: "export interface Tag { name: string }" },
  { file: "src/entities/tag.ts", from: "// no global", to: "declare global {\n  type Wide = number;\n}" },
  { file: "src/entities/tag.ts", from: "// no default", to: "export default Tag;" },
  // A const enum declared global, read by its bare name in a file that only \`import type\`s what declares it.
  { file: "src/entities/tag.ts", from: "// no const enum", to: "declare global {\n  const enum Tint { Pale = 1, Dark = 2 }\n}" },
  { file: "src/migrations/m1.ts", from: "// m1 tint", to: "export const tint = Tint.Dark;" },
  // A const enum's member read through \`import type\`: inlined, so its module counts.
  { file: "src/migrations/m1.ts", from: "// m1 reads", to: "export const large = Size.L;" },
  // A decorator: the imported types decide its metadata.
  { file: "src/migrations/m1.ts", from: "// m1 body", to: 'export class M1 {\n  @Reflect.metadata("k", 1) kind: Kind;\n}' },
  { file: "src/entities/index.ts", from: 'export { Tag as Label } from "./tag";', to: 'export { default as Label } from "./tag";' },
  // A barrel starring another barrel: what it exports is no longer known to the scan.
  { file: "src/entities/index.ts", from: "// no nested barrel", to: 'export * from "../shared";' },
  // The compiler's options: every key changes.
  { file: "tsconfig.json", from: '"target":"es2021"', to: '"target":"es2022"' },
  { file: "src/entities/legacy.d.ts", from: "export declare class Legacy {}", to: "export declare type Legacy = string;" },
  { file: "src/entities/a.entity.ts", from: "  // a's body", to: "  @Column({ nullable: true }) extra: string;" },
  { file: "src/entities/a.entity.ts", from: 'import { Color, Kind, Money, Maybe } from "@app/shared";', to: 'import type { Color, Kind, Money, Maybe } from "@app/shared";' },
  { file: "src/entities/b.entity.ts", from: "  // b's body", to: "  @Column({ nullable: true }) other: number;" },
  { file: "src/entities/b.entity.ts", from: 'import { Id, Kind, Local, Size } from "@app/shared/kinds";', to: 'import { Id, Kind, Local, Size } from "../shared/kinds";' },
];

/** Files that come and go, each changing what an import resolves to. */
const FILE_TOGGLES = [
  // A module beside the `shared` folder: `../shared` and `@app/shared` name it instead of the folder's index.
  { file: "src/shared.ts", text: 'export enum Color { Red = "r" }\nexport class Kind {}\nexport class Money {}\nexport type Maybe = number;\n' },
  // A package.json in the folder, whose `types` the compiler reads before it looks for the index.
  { file: "src/shared/package.json", text: JSON.stringify({ types: "./extra.ts" }) },
];

const ALL_EDITS = TOGGLES.length + FILE_TOGGLES.length;
const toggleOf = (from: string) => TOGGLES.findIndex((toggle) => toggle.from === from);
const fileToggleOf = (file: string) => TOGGLES.length + FILE_TOGGLES.findIndex((toggle) => toggle.file === file);
/** Every random walk starts with this edit: a column added to an entity whose imports are all plain compiles it beside stand-ins. */
const BODY_EDIT = toggleOf("  // a's body");
/** The same for the revision-like file, which imports by `import type` only. */
const TYPE_ONLY_EDIT = toggleOf("// m1 tint");

interface Walk {
  name: string;
  edits: number[];
}

/**
 * RETORT_SWEEP_PICKS: one walk of edits by their index in TOGGLES then FILE_TOGGLES (a failing walk cut down by
 * hand). Else the walk through the files that are not compiled modules, then a random walk per seed.
 */
function walks(): Walk[] {
  const picks = process.env.RETORT_SWEEP_PICKS;
  if (picks) return [{ name: `edits ${picks}`, edits: picks.split(",").map(Number) }];
  const steps = Number(process.env.RETORT_SWEEP_STEPS ?? 10);
  const seeds = (process.env.RETORT_SWEEP_SEEDS ?? "20261201").split(",").map(Number);
  const legacy = toggleOf("export declare class Legacy {}");
  const manifest = fileToggleOf("src/shared/package.json");
  const beside = fileToggleOf("src/shared.ts");
  return [
    { name: "a declaration file edited, a package.json and a module beside the folder added and removed", edits: [legacy, manifest, manifest, beside, beside, legacy] },
    {
      name: "a file that only `import type`s: a global const enum declared, a const enum read through its import, a decorator added",
      edits: [TYPE_ONLY_EDIT, toggleOf("// no const enum"), toggleOf("// m1 reads"), toggleOf("L = 3 }"), toggleOf("// no const enum"), toggleOf("// m1 body"), toggleOf('export type Kind = "a" | "b";'), toggleOf("// m1 body"), toggleOf("// m1 reads")],
    },
    ...seeds.map((seed) => {
      const next = random(seed);
      return { name: `seed ${seed}, ${steps} random edits`, edits: [BODY_EDIT, ...Array.from({ length: steps - 1 }, () => Math.floor(next() * ALL_EDITS))] };
    }),
  ];
}

/** mulberry32: a small seeded generator, so that a failing walk replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(walks())("the compile cache gives what a compile from nothing gives: $name", ({ name, edits }) => {
  let project: TestProject;
  let files: string[];

  beforeAll(() => {
    project = createProject(undefined);
    for (const [name, text] of Object.entries(PROJECT)) {
      mkdirSync(dirname(join(project.dir, name)), { recursive: true });
      project.write(name, text);
    }
    files = Object.keys(PROJECT)
      .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
      .map((name) => join(project.dir, name));
  });

  afterAll(() => project?.remove());

  const compile = (env: NodeJS.ProcessEnv) => {
    const run = compileInHookedProcess(project.dir, env, files);
    if (run.status !== 0 || run.stderr !== "" || !run.compiled) throw new Error(`the hooked process failed (${run.status}): ${run.stderr}`);
    const { outputs, errors, stats } = run.compiled;
    // A file that does not compile is compared by its error.
    return { outputs: Object.fromEntries(files.map((f) => [f, outputs[f] ?? `error: ${errors[f]}`])), stats };
  };

  test("every output equal after every edit", () => {
    const cacheDir = join(project.dir, "cache");
    const history: string[] = [];
    let compiled = 0;
    for (let step = 0; step <= edits.length; step++) {
      if (step > 0) {
        const pick = edits[step - 1];
        if (pick >= TOGGLES.length) {
          const { file, text } = FILE_TOGGLES[pick - TOGGLES.length];
          const path = join(project.dir, file);
          if (existsSync(path)) rmSync(path);
          else writeFileSync(path, text);
          history.push(`#${pick} ${existsSync(path) ? "added" : "removed"} ${file}`);
        } else {
          const { file, from, to } = TOGGLES[pick];
          const path = join(project.dir, file);
          const before = readFileSync(path, "utf8");
          const [was, becomes] = before.includes(from) ? [from, to] : [to, from];
          expect(before).toContain(was);
          writeFileSync(path, before.replace(was, becomes));
          history.push(`#${pick} ${file}: ${JSON.stringify(was)} -> ${JSON.stringify(becomes)}`);
        }
      }
      const cached = compile({ RETORT_CACHE_DIR: cacheDir });
      const fresh = compile({ RETORT_NO_CACHE: "1" });
      compiled += cached.stats.nativeFiles + cached.stats.typescript5Files;
      // The walk goes through the cache's shortcuts, not around them.
      if (step === 1 && (edits[0] === BODY_EDIT || edits[0] === TYPE_ONLY_EDIT)) expect(cached.stats).toMatchObject({ nativeFiles: 1, standInRuns: 1 });
      const stale = files.filter((file) => cached.outputs[file] !== fresh.outputs[file]);
      // The seed and the edits up to here replay the walk; the first differing lines show what went stale.
      expect(stale.map((file) => staleReport(name, history, relative(project.dir, file), cached.outputs[file], fresh.outputs[file]))).toEqual([]);
    }
    expect(compiled).toBeLessThan(files.length * (edits.length + 1));
  }, 600_000);
});

function staleReport(walk: string, history: string[], file: string, cached: string, fresh: string): string {
  const [had, want] = [cached.split("\n"), fresh.split("\n")];
  const lines: string[] = [];
  for (let i = 0; i < Math.max(had.length, want.length) && lines.length < 6; i++) {
    if (had[i] !== want[i]) lines.push(`  line ${i + 1}: cache ${JSON.stringify(had[i]?.slice(0, 160))}, from nothing ${JSON.stringify(want[i]?.slice(0, 160))}`);
  }
  return [`${walk}: ${file} after ${history.length} edits:`, ...history.map((edit) => `  ${edit}`), ...lines].join("\n");
}

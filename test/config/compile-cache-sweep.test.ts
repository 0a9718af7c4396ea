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
import { inHookedProcess } from "../support/hooked-process";
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
// export class Color {}
export namespace Inner { export const note = 1; }
`,
  "src/shared/extra.ts": `export const EXTRA = 1;
// no Kind here
`,
  "src/shared/index.ts": `export * from "./kinds";
export * from "./extra";
`,
  "src/entities/tag.ts": `export class Tag { name = ""; }
// no global
// no default
`,
  "src/entities/index.ts": `export * from "./a.entity";
export * from "./b.entity";
export { Tag as Label } from "./tag";
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
import { Kind } from "@app/shared/kinds";
@Entity()
export class B {
  @PrimaryGeneratedColumn() id: number;
  @ManyToOne(() => A, (a) => a.bs) a: A;
  @Column() color: shared.Color;
  @Column() kind: Kind;
  // b's body
}
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
  { file: "src/shared/kinds.ts", from: "// export class Color {}", to: "/* export class Color {} */ export const colorCount = 2;" },
  { file: "src/shared/kinds.ts", from: "export namespace Inner { export const note = 1; }", to: "export namespace Inner { export class Money {} }" },
  // A second starred module exporting Kind: ambiguous in the barrel.
  { file: "src/shared/extra.ts", from: "// no Kind here", to: "export type Kind = Date;" },
  { file: "src/shared/index.ts", from: 'export * from "./extra";', to: '// export * from "./extra";' },
  { file: "src/entities/tag.ts", from: 'export class Tag { name = ""; }', to: "export interface Tag { name: string }" },
  { file: "src/entities/tag.ts", from: "// no global", to: "declare global {\n  type Wide = number;\n}" },
  { file: "src/entities/tag.ts", from: "// no default", to: "export default Tag;" },
  { file: "src/entities/index.ts", from: 'export { Tag as Label } from "./tag";', to: 'export { default as Label } from "./tag";' },
  { file: "src/entities/a.entity.ts", from: "  // a's body", to: "  @Column({ nullable: true }) extra: string;" },
  { file: "src/entities/a.entity.ts", from: 'import { Color, Kind, Money, Maybe } from "@app/shared";', to: 'import type { Color, Kind, Money, Maybe } from "@app/shared";' },
  { file: "src/entities/b.entity.ts", from: "  // b's body", to: "  @Column({ nullable: true }) other: number;" },
  { file: "src/entities/b.entity.ts", from: 'import { Kind } from "@app/shared/kinds";', to: 'import { Kind } from "../shared/kinds";' },
];

/** A module beside the `shared` folder: `../shared` and `@app/shared` name it instead of the folder's index while it exists. */
const SHADOW = { file: "src/shared.ts", text: 'export enum Color { Red = "r" }\nexport class Kind {}\nexport class Money {}\nexport type Maybe = number;\n' };

const CI_SEED = 20261201;
const seeds = (process.env.RETORT_SWEEP_SEEDS ?? String(CI_SEED)).split(",").map(Number);
const steps = Number(process.env.RETORT_SWEEP_STEPS ?? 10);

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

describe.each(seeds)("the compile cache gives what a compile from nothing gives, after random edits (seed %i)", (seed) => {
  let project: TestProject;
  let files: string[];

  beforeAll(() => {
    project = createProject(undefined);
    for (const [name, text] of Object.entries(PROJECT)) {
      mkdirSync(dirname(join(project.dir, name)), { recursive: true });
      project.write(name, text);
    }
    files = Object.keys(PROJECT)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(project.dir, name));
  });

  afterAll(() => project?.remove());

  const compile = (env: NodeJS.ProcessEnv) => {
    const script = `const files = ${JSON.stringify(files)};
hook.precompile(files);
const outputs = {};
for (const f of files) { try { outputs[f] = hook.compiledOutputOf(f); } catch (e) { outputs[f] = "error: " + e.message; } }
console.log(JSON.stringify({ outputs, stats: hook.compileStats() }));`;
    const run = inHookedProcess(project.dir, env, script);
    if (run.status !== 0 || run.stderr !== "") throw new Error(`the hooked process failed (${run.status}): ${run.stderr}`);
    return JSON.parse(run.stdout) as { outputs: Record<string, string>; stats: { nativeFiles: number; typescript5Files: number; standInRuns: number } };
  };

  test(`${steps} edits`, () => {
    const next = random(seed);
    const cacheDir = join(project.dir, "cache");
    const history: string[] = [];
    const totals = { compiled: 0, standInRuns: 0 };
    for (let step = 0; step <= steps; step++) {
      if (step > 0) {
        const pick = Math.floor(next() * (TOGGLES.length + 1));
        if (pick === TOGGLES.length) {
          const path = join(project.dir, SHADOW.file);
          if (existsSync(path)) rmSync(path);
          else writeFileSync(path, SHADOW.text);
          history.push(`${existsSync(path) ? "added" : "removed"} ${SHADOW.file}`);
        } else {
          const { file, from, to } = TOGGLES[pick];
          const path = join(project.dir, file);
          const before = readFileSync(path, "utf8");
          const [was, becomes] = before.includes(from) ? [from, to] : [to, from];
          expect(before).toContain(was);
          writeFileSync(path, before.replace(was, becomes));
          history.push(`${file}: ${JSON.stringify(was)} -> ${JSON.stringify(becomes)}`);
        }
      }
      const cached = compile({ RETORT_CACHE_DIR: cacheDir });
      const fresh = compile({ RETORT_NO_CACHE: "1" });
      totals.compiled += cached.stats.nativeFiles + cached.stats.typescript5Files;
      totals.standInRuns += cached.stats.standInRuns;
      for (const file of files) {
        const name = relative(project.dir, file);
        // What replays the walk up to here, when the outputs differ.
        expect({ seed, edits: history, file: name, output: cached.outputs[file] }).toEqual({ seed, edits: history, file: name, output: fresh.outputs[file] });
      }
    }
    // The walk went through the cache's shortcuts, not around them: most steps compiled a few files; CI's walk, some
    // beside stand-ins (a random walk may keep a global declaration all along, which rules them out).
    expect(totals.compiled).toBeLessThan(files.length * (steps + 1));
    if (seed === CI_SEED) expect(totals.standInRuns).toBeGreaterThan(0);
  }, 600_000);
});

/**
 * Scratch projects that install typeorm-retort the way a user does — from its
 * packed tarball (`npm pack`), never from this checkout — beside one TypeORM
 * line each (0.3.x, 1.x). Used by test/lines/ (CI) and
 * scripts/typeorm-sqlite3.js (TypeORM 0.3's `type: "sqlite"` driver, whose
 * `sqlite3` package builds from source for minutes).
 *
 * Layout, built once per run:
 *
 *   <root>/typeorm-retort-<version>.tgz
 *   <root>/node_modules/{better-sqlite3,mysql2}   drivers shared by every line
 *   <root>/typeorm-0.3/   npm install <tgz> typeorm@0.3 reflect-metadata pg
 *   <root>/typeorm-1/     npm install <tgz> typeorm@1 reflect-metadata pg
 *
 * Each line project is a PostgreSQL-only install as far as npm knows (`npm ls`
 * shows no SQLite or MySQL driver); its TypeORM finds the shared drivers the
 * way Node resolves any package, in a parent folder's node_modules. By
 * default those are this checkout's own installs (same versions, and
 * better-sqlite3 already built by `npm ci`: building it again costs minutes);
 * RETORT_LINES_DRIVERS=install installs them fresh into <root> instead.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(__dirname, "..");

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LineProject {
  /** "0.3" or "1". */
  line: string;
  dir: string;
  /** The TypeORM version npm installed. */
  typeormVersion: string;
  /** Wall time of its `npm install`, seconds. */
  installSeconds: number;
}

export interface Lines {
  root: string;
  tarball: string;
  projects: LineProject[];
  /** Wall times in seconds: pack, drivers, installs (the line installs run in parallel). */
  timings: { pack: number; drivers: number; installs: number };
}

/**
 * npm run from a test inherits npm_* settings of the outer `npx`, which a
 * user's install has none of; and the projects name their database in their
 * config, so an outer DATABASE_URL must not override it.
 */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== "INIT_CWD" && key !== "DATABASE_URL") env[key] = value;
  }
  return { ...env, ...extra };
}

export function runCommand(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

function mustSucceed(what: string, result: CommandResult): CommandResult {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stderr || result.stdout}`);
  return result;
}

const seconds = (since: number): number => Math.round((Date.now() - since) / 100) / 10;

/** `npm pack` of this checkout (its prepack builds dist/) into `destination`; the tarball's path. */
export async function packRetort(destination: string): Promise<string> {
  const result = mustSucceed("npm pack", await runCommand("npm", ["pack", "--pack-destination", destination, "--loglevel=error"], REPO));
  const name = result.stdout.trim().split("\n").pop()!.trim();
  return join(destination, name);
}

const NPM_INSTALL = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

async function installProject(dir: string, dependencies: Record<string, string>): Promise<number> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "retort-line", private: true, dependencies }, null, 2)}\n`);
  const started = Date.now();
  mustSucceed(`npm install in ${dir}`, await runCommand("npm", NPM_INSTALL, dir));
  return seconds(started);
}

async function provideDrivers(root: string): Promise<void> {
  const drivers = ["better-sqlite3", "mysql2"];
  if (process.env.RETORT_LINES_DRIVERS === "install") {
    await installProject(root, Object.fromEntries(drivers.map((d) => [d, "*"])));
    return;
  }
  mkdirSync(join(root, "node_modules"), { recursive: true });
  for (const driver of drivers) {
    symlinkSync(realpathSync(join(REPO, "node_modules", driver)), join(root, "node_modules", driver), "dir");
  }
}

/** The version of `pkg` as installed in `dir`. */
export function installedVersion(dir: string, pkg: string): string {
  return (JSON.parse(readFileSync(join(dir, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * Packs retort and installs one scratch project per TypeORM line (`line` ->
 * npm version range; extra dependencies per line) under a fresh folder of
 * RETORT_LINES_DIR or the system's temporary directory (never inside the
 * checkout, whose node_modules would stand in for anything the tarball lacks).
 */
export async function installLines(
  lines: Record<string, string> = { "0.3": "0.3.x", "1": "1.x" },
  extraDependencies: Record<string, string> = { pg: "^8.5.1" },
): Promise<Lines> {
  const base = process.env.RETORT_LINES_DIR ?? tmpdir();
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(join(base, "retort-lines-"));
  let started = Date.now();
  const tarball = await packRetort(root);
  const pack = seconds(started);
  started = Date.now();
  await provideDrivers(root);
  const drivers = seconds(started);
  started = Date.now();
  const projects = await Promise.all(
    Object.entries(lines).map(async ([line, range]): Promise<LineProject> => {
      const dir = join(root, `typeorm-${line}`);
      const installSeconds = await installProject(dir, {
        "typeorm-retort": `file:${tarball}`,
        typeorm: range,
        "reflect-metadata": "^0.2.2",
        ...extraDependencies,
      });
      return { line, dir, typeormVersion: installedVersion(dir, "typeorm"), installSeconds };
    }),
  );
  return { root, tarball, projects, timings: { pack, drivers, installs: seconds(started) } };
}

/** Packages `npm ls --all` lists in `dir` (names only). */
export function installedPackageNames(dir: string): string[] {
  const result = spawnSync("npm", ["ls", "--all", "--parseable"], { cwd: dir, env: cleanEnv(), encoding: "utf8" });
  return result.stdout
    .split("\n")
    .filter((line) => line.includes("node_modules"))
    .map((line) => line.slice(line.lastIndexOf("node_modules/") + "node_modules/".length));
}

/**
 * A small library model: a two-sided many-to-many (whose junction foreign
 * keys TypeORM 0.3 and 1.x write differently), a many-to-one with an action,
 * an enum, a decimal with a default, a unique, an index, a creation date,
 * and a MySQL display width with ZEROFILL (TypeORM 0.3 only).
 */
export const LIBRARY_ENTITIES = `import { Column, CreateDateColumn, Entity, Index, JoinTable, ManyToMany, ManyToOne, OneToMany, PrimaryGeneratedColumn } from "typeorm";

export enum AuthorKind {
  Staff = "staff",
  Guest = "guest",
}

@Entity()
export class Author {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 100 })
  name!: string;

  @Column({ unique: true, length: 200 })
  email!: string;

  @Column({ type: "simple-enum", enum: AuthorKind, default: AuthorKind.Staff })
  kind!: AuthorKind;

  @Column({ type: "decimal", precision: 10, scale: 2, default: 0 })
  score!: string;

  @Column({ default: true })
  active!: boolean;

  @Column({ type: "text", nullable: true })
  bio!: string | null;

  @CreateDateColumn()
  createdAt!: Date;

  @OneToMany(() => Post, (post) => post.author)
  posts!: Post[];
}

@Entity()
export class Post {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ length: 200 })
  title!: string;

  @ManyToOne(() => Author, (author) => author.posts, { onDelete: "CASCADE" })
  author!: Author;

  @ManyToMany(() => Tag, (tag) => tag.posts)
  @JoinTable()
  tags!: Tag[];
}

@Entity()
export class Tag {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ unique: true, length: 50 })
  name!: string;

  @ManyToMany(() => Post, (post) => post.tags)
  posts!: Post[];
}

// A display width and ZEROFILL: TypeORM 0.3 writes "int(11) ZEROFILL" on MySQL (and ignores both
// elsewhere); 1.x dropped the options (its types lack them, hence the spread) and writes a plain int.
@Entity()
export class Account {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "int", nullable: true, ...({ width: 11, zerofill: true } as object) })
  number!: number | null;
}
`;

export const LIBRARY_TABLES = ["account", "author", "post", "post_tags_tag", "tag"];

/**
 * Builds the schema with the project's own TypeORM `synchronize()`: what a
 * team that used synchronize before adopting migrations has. TypeScript is
 * compiled by the project's `typescript` (a dependency of typeorm-retort).
 */
export const SYNC_SCRIPT = `const ts = require("typescript");
const Module = require("node:module");
const { readFileSync } = require("node:fs");
const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2021, experimentalDecorators: true, emitDecoratorMetadata: true };
Module._extensions[".ts"] = (module, file) =>
  module._compile(ts.transpileModule(readFileSync(file, "utf8"), { fileName: file, compilerOptions }).outputText, file);
const dataSource = require("./ormconfig.ts").default;
dataSource.setOptions({ synchronize: true });
dataSource.initialize().then(() => dataSource.destroy());
`;

/** TypeORM connection options for a config file, as source text. */
export function connectionSource(options: { type: string; url?: string; database?: string }): string {
  return Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join(", ");
}

/** Writes the library project (config, entities, sync script) into `dir`, a folder inside a line project. */
export function writeLibraryProject(dir: string, connection: { type: string; url?: string; database?: string }): void {
  mkdirSync(join(dir, "entities"), { recursive: true });
  writeFileSync(join(dir, "entities", "library.ts"), LIBRARY_ENTITIES);
  writeFileSync(
    join(dir, "ormconfig.ts"),
    `import "reflect-metadata";
import { DataSource } from "typeorm";
import { Account, Author, Post, Tag } from "./entities/library";

export default new DataSource({ ${connectionSource(connection)}, entities: [Account, Author, Post, Tag] });
`,
  );
  writeFileSync(join(dir, "sync.js"), SYNC_SCRIPT);
}

/** Runs the installed `retort` of the line project that contains `dir`. */
export function retortIn(project: LineProject, dir: string, ...args: string[]): Promise<CommandResult> {
  const bin = join(project.dir, "node_modules", "typeorm-retort", "bin", "retort.js");
  if (!existsSync(bin)) throw new Error(`typeorm-retort is not installed in ${project.dir}`);
  return runCommand(process.execPath, [bin, ...args], dir, { NO_COLOR: "1" });
}

export interface FlowStep {
  step: string;
  code: number;
  output: string;
}

export interface FlowResult {
  steps: FlowStep[];
  /** The database's tables after upgrade head, after downgrade base, after synchronize(). */
  tables: { upgraded: string[]; downgraded: string[]; synchronized: string[] };
}

/**
 * The acceptance flow in `dir` (a folder inside `project`): init,
 * autogenerate, upgrade head, check, downgrade base; then the project's own
 * TypeORM synchronize(), stamp head and check again. Every step runs; the
 * caller judges the outcomes.
 */
export async function runLibraryFlow(
  project: LineProject,
  dir: string,
  connection: { type: string; url?: string; database?: string },
  tableNames: () => Promise<string[]>,
): Promise<FlowResult> {
  writeLibraryProject(dir, connection);
  const steps: FlowStep[] = [];
  const step = async (name: string, run: Promise<CommandResult>): Promise<void> => {
    const result = await run;
    steps.push({ step: name, code: result.code, output: result.stdout + result.stderr });
  };
  await step("init", retortIn(project, dir, "init"));
  await step("autogenerate", retortIn(project, dir, "revision", "--autogenerate", "-m", "initial"));
  await step("upgrade head", retortIn(project, dir, "upgrade", "head"));
  const upgraded = await tableNames();
  await step("check", retortIn(project, dir, "check"));
  await step("downgrade base", retortIn(project, dir, "downgrade", "base"));
  const downgraded = await tableNames();
  await step("synchronize", runCommand(process.execPath, ["sync.js"], dir));
  const synchronized = await tableNames();
  await step("stamp head", retortIn(project, dir, "stamp", "head"));
  await step("check after synchronize", retortIn(project, dir, "check"));
  return { steps, tables: { upgraded, downgraded, synchronized } };
}

/**
 * Temporary projects for end-to-end tests: a folder inside the repository
 * (so `typeorm` resolves from its node_modules) with an ormconfig.ts, driven
 * through the real executable `node bin/retort.js`.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DialectName } from "../../src/ops/types";
import { createTestDatabase, type TestDatabase } from "./databases";

export const REPO = resolve(__dirname, "..", "..");
export const BIN = join(REPO, "bin", "retort.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestProject {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(...args: string[]): CliResult;
  runAsync(...args: string[]): Promise<CliResult>;
  write(relativePath: string, content: string): string;
  remove(): void;
}

const DEFAULT_CONFIG = `import { DataSource } from "typeorm";
export default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [__dirname + "/entities/*.ts"] });
`;

export function createProject(db: TestDatabase | undefined, config: string = DEFAULT_CONFIG): TestProject {
  const base = join(REPO, ".tmp-projects");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "p-"));
  mkdirSync(join(dir, "migrations"));
  mkdirSync(join(dir, "entities"));
  writeFileSync(join(dir, "ormconfig.ts"), config);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.DATABASE_URL;
  if (db) env.DATABASE_URL = db.url;
  const project: TestProject = {
    dir,
    env,
    run(...args) {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: project.env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    runAsync(...args) {
      return new Promise((resolvePromise) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: project.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
      });
    },
    write(relativePath, content) {
      const path = join(dir, relativePath);
      writeFileSync(path, content);
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return project;
}

/**
 * A fresh database and project for one describe block: made before its tests
 * (then `setUp` runs, e.g. writing entities or revisions), removed after them.
 * Read `db` and `project` inside the tests, once the hooks have run.
 */
export function scratchProject(dialect: DialectName, setUp: (project: TestProject) => void = () => undefined): { db: TestDatabase; project: TestProject } {
  const scratch = {} as { db: TestDatabase; project: TestProject };
  beforeAll(async () => {
    scratch.db = await createTestDatabase(dialect);
    scratch.project = createProject(scratch.db);
    setUp(scratch.project);
  });
  afterAll(async () => {
    scratch.project?.remove();
    await scratch.db?.drop();
  });
  return scratch;
}

/** A hand-written revision file, the way a user writes one. */
export function revisionSource(rev: string, down: string | string[] | null, message: string, upgrade: string, downgrade: string, extra = ""): string {
  return `/**
 * ${message}
 */
import type { MigrationContext } from "typeorm-retort";

export const revision = "${rev}";
export const downRevision = ${JSON.stringify(down)};
${extra}
export async function upgrade({ op }: MigrationContext): Promise<void> {
${upgrade}
}

export async function downgrade({ op }: MigrationContext): Promise<void> {
${downgrade}
}
`;
}

/**
 * (5) Start-up of the deploy-time commands (issue #14): `retort --help`,
 * `retort current` and `retort upgrade head` with nothing to do, on the
 * example app (5 entities) and on a 1000-entity project, both on SQLite at
 * the same single revision, warm compile cache. Anchors in the same run:
 * TypeORM's `migration:show` on the same projects, and Alembic's `alembic
 * current` on an empty project when the Debian package is installed.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeProject } from "./entities";

const REPO = join(__dirname, "..", "..");
const RETORT = join(REPO, "bin", "retort.js");
const TYPEORM_CLI = join(REPO, "node_modules", "typeorm", "cli-ts-node-commonjs.js");
/** Debian's python3-alembic installs the module, not the `alembic` script. */
const SYSTEM_PYTHON = "/usr/bin/python3";

export interface StartupTools {
  alternate(runs: number, typeormRuns: number, ours: () => Promise<number>, typeorm: () => Promise<number>): Promise<{ ours: number[]; typeorm: number[] }>;
  push(n: number, measurement: string, ours: number[], anchor: number[], note?: string): void;
  log(line: string): void;
  median(values: number[]): number | null;
}

interface Timed {
  ms: number;
  status: number | null;
  output: string;
}

function timeProcess(file: string, argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Timed {
  const start = process.hrtime.bigint();
  const child = spawnSync(file, argv, { cwd, encoding: "utf8", env: { ...process.env, DATABASE_URL: "", ...env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: child.status, output: `${child.stdout}${child.stderr}` };
}

function succeeded(what: string, run: Timed): number {
  if (run.status !== 0) throw new Error(`${what} exited with ${run.status}:\n${run.output.slice(0, 2000)}`);
  return run.ms;
}

const retort = (cwd: string, ...argv: string[]) => succeeded(`retort ${argv.join(" ")}`, timeProcess(process.execPath, [RETORT, ...argv], cwd));

/** The example app (ormconfig.ts, entities/, migrations/) copied with its SQLite database beside it. */
function writeExample(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ["ormconfig.ts", "entities", "migrations"]) cpSync(join(REPO, part), join(dir, part), { recursive: true });
}

/** The 1000-entity benchmark project on SQLite, with the example app's revision so both are at the same head. */
function writeLarge(dir: string, n: number): void {
  writeProject(dir, n, "sqlite", { type: "better-sqlite3", database: join(dir, "bench.db") });
  cpSync(join(REPO, "migrations"), join(dir, "migrations"), { recursive: true });
}

/** An Alembic project as `alembic init` writes it, on SQLite, with no revision. */
function writeAlembic(dir: string): boolean {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const init = timeProcess(SYSTEM_PYTHON, ["-m", "alembic", "init", "alembic"], dir);
  if (init.status !== 0) return false;
  const ini = join(dir, "alembic.ini");
  writeFileSync(ini, readFileSync(ini, "utf8").replace(/^sqlalchemy\.url = .*$/m, "sqlalchemy.url = sqlite:///alembic.db"));
  return true;
}

export async function measureStartup(runs: number, largeN: number, tools: StartupTools): Promise<void> {
  const base = join(REPO, ".tmp-projects", "bench-startup");
  const projects = [
    { n: 5, dir: join(base, "example"), write: (dir: string) => writeExample(dir) },
    { n: largeN, dir: join(base, `entities-${largeN}`), write: (dir: string) => writeLarge(dir, largeN) },
  ];
  try {
    for (const project of projects) {
      project.write(project.dir);
      // Brings the database to head and warms the compile cache (retort's sources, the config, the revision).
      retort(project.dir, "upgrade", "head");
      retort(project.dir, "current");
      tools.log(`startup: ${project.dir} at head`);
    }
    const typeormShow = (dir: string) =>
      succeeded("typeorm migration:show", timeProcess(process.execPath, [TYPEORM_CLI, "migration:show", "-d", "ormconfig.ts"], dir, { TS_NODE_TRANSPILE_ONLY: "true" }));
    const [example, large] = projects;
    // The two projects alternate within each command, so that the ratio between them is not the machine's load changing.
    for (const [what, argv] of [
      ["(5) retort --help", ["--help"]],
      ["(5) retort current, SQLite, warm cache", ["current"]],
      ["(5) retort upgrade head (nothing to do), SQLite, warm cache", ["upgrade", "head"]],
    ] as const) {
      const both = await tools.alternate(runs, runs, async () => retort(example.dir, ...argv), async () => retort(large.dir, ...argv));
      tools.push(example.n, what, both.ours, []);
      tools.push(large.n, what, both.typeorm, [], `${Math.round(((tools.median(both.typeorm) ?? 0) / (tools.median(both.ours) ?? 1)) * 100) / 100}x the example app's time in the same run`);
    }
    // The floor: Node starting and exiting, timed the same way (the machine's load shows here first).
    const floor = await tools.alternate(runs, 0, async () => succeeded("node -e 0", timeProcess(process.execPath, ["-e", "0"], example.dir)), async () => 0);
    tools.push(0, "(5) floor: node -e 0", floor.ours, []);
    for (const { n, dir } of projects) {
      // TypeORM's CLI compiles and builds every entity: 20-60 s at N=1000 on this machine.
      const show = await tools.alternate(runs, n >= 1000 ? Math.min(runs, 2) : runs, async () => retort(dir, "current"), async () => typeormShow(dir));
      tools.push(n, "(5) anchor: retort current vs typeorm migration:show (ts-node transpile-only), SQLite", show.ours, show.typeorm);
    }
    const alembicDir = join(base, "alembic");
    if (existsSync(SYSTEM_PYTHON) && writeAlembic(alembicDir)) {
      const alembic = await tools.alternate(runs, 0, async () => succeeded("alembic current", timeProcess(SYSTEM_PYTHON, ["-m", "alembic", "current"], alembicDir)), async () => 0);
      tools.push(0, "(5) anchor: alembic current (python3 -m alembic, Debian's python3-alembic), empty project, SQLite", alembic.ours, [], "in the ours column");
    } else {
      tools.log("startup: no Alembic (apt-get install -y python3-alembic); its anchor row is skipped");
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/**
 * (5) Start-up of the deploy-time commands (issue #14): `retort --help`,
 * `retort current` and `retort upgrade head` with nothing to do, on the
 * example app (5 entities) and on a 1000-entity project, both on SQLite at
 * the same single revision, warm compile cache. Anchors in the same run:
 * TypeORM's `migration:show` on the same projects, and Alembic's `alembic
 * current` on an empty project when the Debian package is installed. And
 * (6): `retort revision --autogenerate` as a whole process.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeProject } from "./entities";
import { installedRetort } from "./installed";

const REPO = join(__dirname, "..", "..");
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
  /** User + system CPU time of the child (from /usr/bin/time), or null where it is missing. */
  cpuMs: number | null;
  status: number | null;
  output: string;
}

/** CPU time barely moves with the machine's load, which on a shared machine makes wall times noisy. */
const GNU_TIME = "/usr/bin/time";

function timeProcess(file: string, argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Timed {
  const cpuFile = join(cwd, `.cpu-${process.pid}`);
  const withTime = existsSync(GNU_TIME);
  const [command, args] = withTime ? [GNU_TIME, ["-f", "%U %S", "-o", cpuFile, file, ...argv]] : [file, argv];
  const start = process.hrtime.bigint();
  const child = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, DATABASE_URL: "", ...env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let cpuMs: number | null = null;
  if (withTime && existsSync(cpuFile)) {
    const [user, system] = readFileSync(cpuFile, "utf8").trim().split(/\s+/).slice(-2).map(Number);
    cpuMs = Math.round((user + system) * 1000);
    rmSync(cpuFile, { force: true });
  }
  return { ms, cpuMs, status: child.status, output: `${child.stdout}${child.stderr}` };
}

/** CPU times of the runs of one row, summarized in its note. */
const cpu = new Map<string, number[]>();

function succeeded(what: string, run: Timed): number {
  if (run.status !== 0) throw new Error(`${what} exited with ${run.status}:\n${run.output.slice(0, 2000)}`);
  if (run.cpuMs !== null) cpu.set(what, [...(cpu.get(what) ?? []), run.cpuMs]);
  return run.ms;
}

const retort = (cwd: string, ...argv: string[]) => succeeded(`retort ${argv.join(" ")} in ${cwd}`, timeProcess(process.execPath, [installedRetort(), ...argv], cwd));

/** The example app (ormconfig.ts, entities/, migrations/) copied with its SQLite database beside it. */
function writeExample(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ["ormconfig.ts", "entities", "migrations"]) cpSync(join(REPO, part), join(dir, part), { recursive: true });
}

/**
 * The 1000-entity benchmark project on SQLite, with the example app's revision so both are at the same head;
 * `importing`: its config imports every entity class instead of naming a glob.
 */
function writeLarge(dir: string, n: number, importing = false): void {
  writeProject(dir, n, "sqlite", { type: "better-sqlite3", database: join(dir, "bench.db") }, { importing });
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
    { n: largeN, dir: join(base, `imports-${largeN}`), write: (dir: string) => writeLarge(dir, largeN, true), importing: true },
  ];
  try {
    for (const project of projects) {
      project.write(project.dir);
      // Brings the database to head and warms the compile cache (retort's sources, the config, the revision).
      retort(project.dir, "upgrade", "head");
      retort(project.dir, "current");
      tools.log(`startup: ${project.dir} at head`);
    }
    const typeormGenerate = (dir: string) =>
      succeeded(
        "typeorm migration:generate",
        timeProcess(process.execPath, [TYPEORM_CLI, "migration:generate", join("generated", "Change"), "-d", "ormconfig.ts"], dir, { TS_NODE_TRANSPILE_ONLY: "true" }),
      );
    const typeormShow = (dir: string) =>
      succeeded("typeorm migration:show", timeProcess(process.execPath, [TYPEORM_CLI, "migration:show", "-d", "ormconfig.ts"], dir, { TS_NODE_TRANSPILE_ONLY: "true" }));
    const [example, ...large] = projects;
    // The projects take turns within each command, so that the ratios between them are not the machine's load changing.
    for (const [what, argv] of [
      ["(5) retort --help", ["--help"]],
      ["(5) retort current, SQLite, warm cache", ["current"]],
      ["(5) retort upgrade head (nothing to do), SQLite, warm cache", ["upgrade", "head"]],
    ] as const) {
      cpu.clear();
      const walls = new Map(projects.map((p) => [p.dir, [] as number[]]));
      for (let i = 0; i < runs; i++) for (const p of projects) walls.get(p.dir)!.push(retort(p.dir, ...argv));
      const cpuOf = (dir: string) => tools.median(cpu.get(`retort ${argv.join(" ")} in ${dir}`) ?? []);
      const wallOf = (dir: string) => tools.median(walls.get(dir)!);
      const ratio = (a: number | null, b: number | null) => (a === null || b === null ? "?" : Math.round((a / b) * 100) / 100);
      tools.push(example.n, what, walls.get(example.dir)!, [], `CPU ${cpuOf(example.dir) ?? "?"} ms`);
      for (const p of large) {
        tools.push(
          p.n,
          `${what}${p.importing ? ", config importing every entity class" : ""}`,
          walls.get(p.dir)!,
          [],
          `CPU ${cpuOf(p.dir) ?? "?"} ms; ${ratio(wallOf(p.dir), wallOf(example.dir))}x the example app's wall time, ` +
            `${ratio(cpuOf(p.dir), cpuOf(example.dir))}x its CPU time, in the same run`,
        );
      }
    }
    // The floor: Node starting and exiting, timed the same way (the machine's load shows here first).
    cpu.clear();
    const floor = await tools.alternate(runs, 0, async () => succeeded("node -e 0", timeProcess(process.execPath, ["-e", "0"], example.dir)), async () => 0);
    tools.push(0, "(5) floor: node -e 0", floor.ours, [], `CPU ${tools.median(cpu.get("node -e 0") ?? []) ?? "?"} ms`);
    for (const { n, dir } of projects.slice(0, 2)) {
      // TypeORM's CLI compiles and builds every entity: 20-60 s at N=1000 on this machine.
      cpu.clear();
      const show = await tools.alternate(runs, n >= 1000 ? Math.min(runs, 2) : runs, async () => retort(dir, "current"), async () => typeormShow(dir));
      const cpuNote = `CPU ${tools.median(cpu.get(`retort current in ${dir}`) ?? []) ?? "?"} ms vs ${tools.median(cpu.get("typeorm migration:show") ?? []) ?? "?"} ms`;
      tools.push(n, "(5) anchor: retort current vs typeorm migration:show (ts-node transpile-only), SQLite", show.ours, show.typeorm, cpuNote);
    }
    await measureGenerate(join(base, "generate"), runs, tools, typeormGenerate);
    const alembicDir = join(base, "alembic");
    if (existsSync(SYSTEM_PYTHON) && writeAlembic(alembicDir)) {
      cpu.clear();
      const alembic = await tools.alternate(runs, 0, async () => succeeded("alembic current", timeProcess(SYSTEM_PYTHON, ["-m", "alembic", "current"], alembicDir)), async () => 0);
      const alembicCpu = tools.median(cpu.get("alembic current") ?? []) ?? "?";
      tools.push(0, "(5) anchor: alembic current (python3 -m alembic, Debian's python3-alembic), empty project, SQLite", alembic.ours, [], `in the ours column; CPU ${alembicCpu} ms`);
    } else {
      tools.log("startup: no Alembic (apt-get install -y python3-alembic); its anchor row is skipped");
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/**
 * (6) The developer's command as a whole process: `retort revision
 * --autogenerate` on the example app at head with one column added to an
 * entity, against TypeORM's `migration:generate` on the same project and
 * database. Each run's file is removed before the next.
 */
async function measureGenerate(dir: string, runs: number, tools: StartupTools, typeormGenerate: (dir: string) => number): Promise<void> {
  writeExample(dir);
  retort(dir, "upgrade", "head");
  const entity = join(dir, "entities", "Account.ts");
  const before = readFileSync(entity, "utf8");
  const column = '  @Column({ type: "varchar", length: 120 })';
  if (!before.includes(column)) throw new Error(`${entity} no longer has the column the bench adds one before`);
  writeFileSync(entity, before.replace(column, `  @Column({ type: "varchar", length: 40, nullable: true })\n  nickname: string | null;\n\n${column}`));
  const revisions = join(dir, "migrations");
  const existing = new Set(readdirSync(revisions));
  const removeWritten = () => {
    for (const name of readdirSync(revisions)) if (!existing.has(name)) rmSync(join(revisions, name));
    rmSync(join(dir, "generated"), { recursive: true, force: true });
  };
  const what = "(6) retort revision --autogenerate (one column added), example app, SQLite";
  cpu.clear();
  const generated = await tools.alternate(
    runs,
    runs,
    async () => {
      const ms = retort(dir, "revision", "--autogenerate", "-m", "nickname");
      removeWritten();
      return ms;
    },
    async () => {
      const ms = typeormGenerate(dir);
      removeWritten();
      return ms;
    },
  );
  const cpuOf = (key: string) => tools.median(cpu.get(key) ?? []) ?? "?";
  tools.push(5, `${what} vs typeorm migration:generate (ts-node transpile-only)`, generated.ours, generated.typeorm, `CPU ${cpuOf(`retort revision --autogenerate -m nickname in ${dir}`)} ms vs ${cpuOf("typeorm migration:generate")} ms`);
}

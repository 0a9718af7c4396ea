/**
 * The benchmark of issue #4: retort against TypeORM's own generator on the
 * same synthetic entities and the same databases, alternating the two tools
 * in one run so that machine load hits both alike.
 *
 * Per N and dialect: (2) autogenerate from an empty database, whose TypeORM
 * SQL then builds (1) a synchronized database, checked in sync by both tools;
 * (3) the whole CLI process; (4) catalog query counts and peak memory.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { diffDatabaseWithModels, globalNotes } from "../../src/autogenerate";
import type { Diff } from "../../src/compare/types";
import { loadConfig, type LoadedConfig } from "../../src/config/config";
import { getDialect } from "../../src/dialects";
import { closeFormatter, formatRevision, renderRevision } from "../../src/emit";
import type { DialectName } from "../../src/ops/types";
import { connect, type Connection } from "../../src/runner/connection";
import { createBenchDatabase, type BenchDatabase } from "./databases";
import { className, writeProject } from "./entities";
import { installedRetort } from "./installed";
import { measureStartup } from "./startup";

const REPO = join(__dirname, "..", "..");
const RSS_PROBE = join(__dirname, "rss-probe.js");

interface Args {
  ns: number[];
  dialects: DialectName[];
  runs: number;
  /** TypeORM runs above N = 1000, where one `log()` alone can take minutes. */
  largeRuns: number;
  /** Overrides TypeORM's run count at every N (e.g. 0 while profiling ours). */
  typeormRuns?: number;
  cli: boolean;
  /** Also time `typeorm-ts-node-commonjs` with type checking (ts-node's default). */
  typecheck: boolean;
  keep: boolean;
  /** Leaves the synchronized database in place (its URL is printed), for profiling. */
  keepDb: boolean;
  /** (5) start-up rows: run them (default), skip them (--no-startup), or only them (--startup-only). */
  startup: "also" | "no" | "only";
  /** Entity count of the start-up rows' large project. */
  startupN: number;
}

export interface Row {
  n: number;
  dialect: DialectName;
  measurement: string;
  unit: "ms" | "queries" | "MB" | "bytes";
  ours: number | null;
  typeorm: number | null;
  /** TypeORM / ours: how many times faster (or smaller) ours is. */
  ratio: number | null;
  oursRuns: number[];
  typeormRuns: number[];
  load: number;
  note?: string;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
  };
  const dialects = value("--dialects", "postgres,mysql,sqlite").split(",") as DialectName[];
  for (const d of dialects) if (!["postgres", "mysql", "sqlite"].includes(d)) throw new Error(`Unknown dialect ${d}`);
  return {
    ns: value("--n", "100,1000").split(",").map(Number),
    dialects,
    runs: Number(value("--runs", "5")),
    largeRuns: Number(value("--large-runs", "1")),
    typeormRuns: argv.includes("--typeorm-runs") ? Number(value("--typeorm-runs", "0")) : undefined,
    cli: !argv.includes("--no-cli"),
    typecheck: argv.includes("--typecheck"),
    keep: argv.includes("--keep") || argv.includes("--keep-db"),
    keepDb: argv.includes("--keep-db"),
    startup: argv.includes("--startup-only") ? "only" : argv.includes("--no-startup") ? "no" : "also",
    startupN: Number(value("--startup-n", "1000")),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function load1(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)} load ${load1()}] ${line}\n`);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** Counts the queries TypeORM's query runners issue (every runner reports each query to the logger). */
function countTypeormQueries(dataSource: DataSource): { reset(): number } {
  let count = 0;
  const original = dataSource.logger;
  (dataSource as { logger: DataSource["logger"] }).logger = new Proxy(original, {
    get(target, key, receiver) {
      if (key === "logQuery") return () => void count++;
      return Reflect.get(target, key, receiver);
    },
  });
  return {
    reset() {
      const seen = count;
      count = 0;
      return seen;
    },
  };
}

/**
 * Alternates the two tools `runs` times, switching which goes first each
 * round so neither always runs on a warmer (or busier) machine.
 */
async function alternate(runs: number, typeormRuns: number, ours: () => Promise<number>, typeorm: () => Promise<number>) {
  const result = { ours: [] as number[], typeorm: [] as number[] };
  for (let i = 0; i < Math.max(runs, typeormRuns); i++) {
    const steps: Array<() => Promise<void>> = [];
    if (i < runs) steps.push(async () => void result.ours.push(await ours()));
    if (i < typeormRuns) steps.push(async () => void result.typeorm.push(await typeorm()));
    if (i % 2) steps.reverse();
    for (const step of steps) await step();
  }
  return result;
}

function typeormRunsAt(n: number, args: Args): number {
  return args.typeormRuns ?? (n > 1000 ? args.largeRuns : args.runs);
}

function row(
  n: number,
  dialect: DialectName,
  measurement: string,
  unit: Row["unit"],
  oursRuns: number[],
  typeormRuns: number[],
  note?: string,
): Row {
  const ours = median(oursRuns);
  const typeorm = median(typeormRuns);
  const ratio = ours !== null && typeorm !== null && ours > 0 ? Math.round((typeorm / ours) * 100) / 100 : null;
  log(`${dialect} N=${n} ${measurement}: ours ${fmt(ours, unit)}, TypeORM ${fmt(typeorm, unit)}${ratio === null ? "" : ` (${ratio}x)`}`);
  return { n, dialect, measurement, unit, ours, typeorm, ratio, oursRuns, typeormRuns, load: load1(), note };
}

interface Setup {
  n: number;
  dialect: DialectName;
  dir: string;
  config: LoadedConfig;
  connection: Connection;
}

async function openProject(dir: string, env: NodeJS.ProcessEnv): Promise<{ config: LoadedConfig; connection: Connection }> {
  const config = await loadConfig(dir, undefined, { env });
  return { config, connection: await connect(config.dataSource) };
}

function ourDiff(setup: Setup, onQuery?: () => void): Promise<Diff> {
  return diffDatabaseWithModels(setup.connection, getDialect(setup.dialect), {
    includeTable: (name) => setup.config.isManagedTable(name),
    resolveRename: () => false,
    onQuery,
  });
}

/** (2) From an empty database: ours (diff, render, format) vs TypeORM log(). Returns TypeORM's SQL. */
async function measureInitial(setup: Setup, args: Args, rows: Row[]) {
  const { n, dialect } = setup;
  const parts = { diff: [] as number[], render: [] as number[], format: [] as number[], formatWhole: [] as number[], size: 0 };
  let upQueries: Array<{ query: string; parameters?: unknown[] }> = [];
  const typeormRuns = typeormRunsAt(n, args);
  const result = await alternate(
    args.runs,
    typeormRuns,
    async () => {
      // Each run starts the prettier thread from scratch, as a CLI invocation does.
      await closeFormatter();
      const start = process.hrtime.bigint();
      const diff = await timed(() => ourDiff(setup));
      const render = await timed(async () =>
        renderRevision({
          revision: "0123456789ab",
          downRevision: null,
          message: "initial",
          createdAt: new Date(0),
          upgrade: diff.value.upgrade,
          downgrade: diff.value.downgrade,
          notes: globalNotes(diff.value),
        }),
      );
      const target = join(setup.dir, "migrations", "0123456789ab_initial.ts");
      const format = await timed(() => formatRevision(render.value, target));
      const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      parts.diff.push(diff.ms);
      parts.render.push(render.ms);
      parts.format.push(format.ms);
      parts.size = format.value.length;
      // What a schema with no two statements alike would cost: every statement through prettier.
      await closeFormatter();
      const whole = await timed(() => formatRevision(render.value, target, { layoutReuseFrom: Infinity }));
      if (whole.value !== format.value) throw new Error("formatting with layout reuse differs from formatting the whole file");
      parts.formatWhole.push(whole.ms);
      return elapsed;
    },
    async () => {
      const { ms, value } = await timed(() => setup.connection.dataSource.driver.createSchemaBuilder().log());
      upQueries = value.upQueries;
      return ms;
    },
  );
  rows.push(row(n, dialect, "(2) autogenerate from empty db: diff+emit+format vs log()", "ms", result.ours, result.typeorm));
  rows.push(row(n, dialect, "(2a) ours: introspect+model+compare only", "ms", parts.diff, []));
  rows.push(row(n, dialect, "(2b) ours: render revision source", "ms", parts.render, []));
  rows.push(row(n, dialect, "(2c) ours: prettier format (cold worker)", "ms", parts.format, [], `${parts.size} chars`));
  rows.push(row(n, dialect, "(2d) ours: prettier format without layout reuse (cold worker)", "ms", parts.formatWhole, []));
  await closeFormatter();
  // The synchronized database is built from TypeORM's SQL even when its timing was not asked for.
  if (result.typeorm.length === 0) upQueries = (await setup.connection.dataSource.driver.createSchemaBuilder().log()).upQueries;
  return upQueries;
}

/**
 * Builds the synchronized database from TypeORM's own SQL, in batches: one
 * transaction for thousands of tables exceeds PostgreSQL's lock table
 * (max_locks_per_transaction), which is also why `synchronize` fails there.
 */
async function buildSchema(setup: Setup, queries: Array<{ query: string; parameters?: unknown[] }>): Promise<number> {
  const runner = setup.connection.runner;
  const batch = setup.dialect === "sqlite" ? queries.length : 200;
  const { ms } = await timed(async () => {
    for (let i = 0; i < queries.length; i += batch) {
      const transactional = setup.dialect !== "mysql"; // MySQL commits each DDL statement anyway
      if (transactional) await runner.startTransaction();
      for (const q of queries.slice(i, i + batch)) await runner.query(q.query, q.parameters);
      if (transactional) await runner.commitTransaction();
    }
  });
  return ms;
}

/** (1) Drift detection on the synchronized database, plus (4) query counts. */
async function measureCheck(setup: Setup, args: Args, rows: Row[]) {
  const { n, dialect } = setup;
  const counter = countTypeormQueries(setup.connection.dataSource);
  const ourQueries: number[] = [];
  const typeormQueries: number[] = [];
  const heap: number[] = [];
  let typeormDrift = 0;
  const typeormRuns = typeormRunsAt(n, args);
  const result = await alternate(
    args.runs,
    typeormRuns,
    async () => {
      let queries = 0;
      const { ms, value } = await timed(() => ourDiff(setup, () => void queries++));
      if (value.upgrade.length > 0) throw new Error(`ours found ${value.upgrade.length} changes on the synchronized database`);
      ourQueries.push(queries);
      heap.push(process.memoryUsage().heapUsed / 2 ** 20);
      return ms;
    },
    async () => {
      counter.reset();
      const { ms, value } = await timed(() => setup.connection.dataSource.driver.createSchemaBuilder().log());
      typeormQueries.push(counter.reset());
      typeormDrift = value.upQueries.length;
      return ms;
    },
  );
  const note = typeormDrift > 0 ? `TypeORM's log() finds ${typeormDrift} statements to run on its own synchronized schema` : undefined;
  rows.push(row(n, dialect, "(1) drift check in-process: introspect+model+compare vs log()", "ms", result.ours, result.typeorm, note));
  rows.push(row(n, dialect, "(4) catalog queries per check", "queries", ourQueries, typeormQueries));
  rows.push(row(n, dialect, "(4) bench process heap after ours (MB)", "MB", heap.map(Math.round), []));
}

interface CliRun {
  ms: number;
  status: number | null;
  rssMb: number | null;
  output: string;
}

function runCli(cwd: string, command: string[], env: NodeJS.ProcessEnv): CliRun {
  const rssFile = join(cwd, `.rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, command, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env, NODE_OPTIONS: `--require ${RSS_PROBE}`, BENCH_RSS_FILE: rssFile, DATABASE_URL: "" },
    maxBuffer: 256 * 2 ** 20,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const samples = existsSync(rssFile) ? readFileSync(rssFile, "utf8").trim().split("\n").map(Number) : [];
  rmSync(rssFile, { force: true });
  const rssMb = samples.length ? Math.round(Math.max(...samples) / 1024) : null;
  return { ms, status: child.status, rssMb, output: `${child.stdout}${child.stderr}` };
}

function expectSuccess(what: string, run: CliRun): CliRun {
  if (run.status !== 0) throw new Error(`${what} exited with ${run.status}:\n${run.output.slice(0, 2000)}`);
  return run;
}

/**
 * TypeORM's check on MariaDB finds changes in the schema it synchronized
 * itself (it re-declares some columns every time); that is still a complete
 * run, so it is timed, and the row says so.
 */
function expectTypeormRun(run: CliRun, drift: { seen: boolean }): CliRun {
  if (run.status === 1 && run.output.includes("Unexpected changes in database schema were found")) {
    drift.seen = true;
    return run;
  }
  return expectSuccess("typeorm migration:generate --check", run);
}

/** (3) The whole CLI process on the synchronized database, both tools loading the same .ts entities. */
function measureCli(setup: Setup, args: Args, rows: Row[]) {
  const { n, dialect, dir } = setup;
  const retort = [installedRetort(), "check"];
  const typeorm = [
    join(REPO, "node_modules", "typeorm", "cli-ts-node-commonjs.js"),
    "migration:generate",
    "migrations/bench",
    "-d",
    "ormconfig.ts",
    "--dryrun",
    "--check",
  ];
  const typeormRuns = typeormRunsAt(n, args);
  const rss = { ours: [] as number[], typeorm: [] as number[] };
  const keepRss = (list: number[], run: CliRun) => {
    if (run.rssMb !== null) list.push(run.rssMb);
    return run.ms;
  };
  const drift = { seen: false };
  const driftNote = () => (drift.seen ? "TypeORM's check exits 1: it finds changes in its own synchronized schema" : undefined);
  // Warm our compile cache (the config and the entities) and the model cache; the second run is sure to find the
  // project's files older than the two seconds within which the model cache does not trust a file.
  expectSuccess("retort check (warm-up)", runCli(dir, retort, {}));
  expectSuccess("retort check (warm-up)", runCli(dir, retort, {}));
  const warm = alternate(
    args.runs,
    typeormRuns,
    async () => keepRss(rss.ours, expectSuccess("retort check", runCli(dir, retort, {}))),
    async () => keepRss(rss.typeorm, expectTypeormRun(runCli(dir, typeorm, { TS_NODE_TRANSPILE_ONLY: "true" }), drift)),
  );
  return warm.then(async (result) => {
    rows.push(
      row(
        n,
        dialect,
        "(3) CLI wall: retort check (warm compile and model caches, retort installed as a package) vs typeorm CLI (ts-node transpile-only)",
        "ms",
        result.ours,
        result.typeorm,
        driftNote(),
      ),
    );
    // The entities run and TypeORM builds their metadata, as on the first check after an entity is edited.
    const modelBuilt = await alternate(
      args.runs,
      0,
      async () => expectSuccess("retort check (model cache off)", runCli(dir, retort, { RETORT_NO_MODEL_CACHE: "1" })).ms,
      async () => 0,
    );
    rows.push(row(n, dialect, "(3b) ours: retort check (warm compile cache, model cache off: RETORT_NO_MODEL_CACHE=1)", "ms", modelBuilt.ours, []));
    editLoopRows(n, dialect, dir, retort, args.runs, rows);
    const cold = await alternate(
      args.runs,
      args.typecheck ? typeormRuns : 0,
      async () => expectSuccess("retort check (cold)", runCli(dir, retort, { RETORT_NO_CACHE: "1" })).ms,
      async () => expectTypeormRun(runCli(dir, typeorm, {}), drift).ms,
    );
    rows.push(
      row(
        n,
        dialect,
        `(3) CLI wall: retort check (cold: no compile cache, retort installed as a package)${args.typecheck ? " vs typeorm CLI (ts-node type-checking)" : ""}`,
        "ms",
        cold.ours,
        cold.typeorm,
      ),
    );
    // The first check after `npm ci` (which empties node_modules/.cache): no cache to read, and every cache written.
    const emptyCache = join(dir, ".bench-empty-cache");
    const firstAfterInstall = await alternate(
      args.runs,
      0,
      async () => {
        rmSync(emptyCache, { recursive: true, force: true });
        return expectSuccess("retort check (empty cache folder)", runCli(dir, retort, { RETORT_CACHE_DIR: emptyCache })).ms;
      },
      async () => 0,
    );
    rmSync(emptyCache, { recursive: true, force: true });
    rows.push(row(n, dialect, "(3c) ours: retort check, empty cache folder (the first check after npm ci: reads no cache, writes them all)", "ms", firstAfterInstall.ours, []));
    // What the native compiler saves over TypeScript 5's program API, measured in the same run.
    const coldOneByOne = await alternate(
      args.runs,
      0,
      async () => expectSuccess("retort check (cold, TypeScript 5)", runCli(dir, retort, { RETORT_NO_CACHE: "1", RETORT_NO_NATIVE_COMPILER: "1" })).ms,
      async () => 0,
    );
    rows.push(row(n, dialect, "(3e) ours: retort check (cold) compiling with TypeScript 5's program API (RETORT_NO_NATIVE_COMPILER=1)", "ms", coldOneByOne.ours, []));
    cachePruneRows(n, dialect, dir, retort, rows);
    rows.push(row(n, dialect, "(4) CLI peak RSS (MB)", "MB", rss.ours, rss.typeorm));
  });
}

/**
 * The developer's loop: one entity edited, then `check`. The edit appends a
 * comment no run has seen (the schema is unchanged, so check still exits 0)
 * and the file is dated a minute back, as after a person's pause: within two
 * seconds of an edit the model cache does not trust the file. The bench
 * entities import each other in one cycle, as entities with two-way
 * relations do, so every output's compile key covers the edited file.
 */
function editLoopRows(n: number, dialect: DialectName, dir: string, retort: string[], runs: number, rows: Row[]): void {
  const edited = join(dir, "entities", `${className(Math.floor(n / 2))}.ts`);
  const original = readFileSync(edited, "utf8");
  const afterEdit: number[] = [];
  const next: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      writeFileSync(edited, `${original}// edit ${Date.now()}-${i}\n`);
      backdate(edited, 60_000);
      afterEdit.push(expectSuccess("retort check (after an edit)", runCli(dir, retort, {})).ms);
      next.push(expectSuccess("retort check (the next one)", runCli(dir, retort, {})).ms);
    }
  } finally {
    writeFileSync(edited, original);
    backdate(edited, 60_000);
  }
  // Back to the warm state the rows after this one expect.
  expectSuccess("retort check (edit undone)", runCli(dir, retort, {}));
  rows.push(row(n, dialect, "(3g) ours: retort check after one entity file is edited (a comment appended; the entities import each other in one cycle)", "ms", afterEdit, []));
  rows.push(row(n, dialect, "(3g) ours: the check after that one (warm again)", "ms", next, []));
}

const PRUNE_EDITS = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Bytes and files of a cache folder (its own files; it has no subfolders). */
function folderUse(folder: string): { mb: number; files: number } {
  const names = readdirSync(folder);
  const bytes = names.reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);
  return { mb: Math.round((bytes / 2 ** 20) * 10) / 10, files: names.length };
}

function backdate(path: string, ms: number): void {
  const at = new Date(Date.now() - ms);
  utimesSync(path, at, at);
}

/**
 * The cache folder over weeks of work (src/config/cache-folder.js): each edit
 * of the entity every other imports (directly or through the others) writes
 * a new pack of all their outputs; after the edit is undone and two weeks of
 * warm checks pass, one check's exit prunes what went unused.
 */
function cachePruneRows(n: number, dialect: DialectName, dir: string, retort: string[], rows: Row[]): void {
  const folder = join(dir, ".bench-prune-cache");
  rmSync(folder, { recursive: true, force: true });
  const env = { RETORT_CACHE_DIR: folder };
  const check = (what: string) => expectSuccess(`retort check (${what})`, runCli(dir, retort, env));
  const edited = join(dir, "entities", `${className(0)}.ts`);
  const original = readFileSync(edited, "utf8");
  check("cache prune: first");
  try {
    for (let edit = 1; edit <= PRUNE_EDITS; edit++) {
      writeFileSync(edited, `${original}// edit ${edit}\n`);
      check(`cache prune: edit ${edit}`);
    }
  } finally {
    writeFileSync(edited, original);
  }
  // Older than the two seconds within which the model cache does not trust a file: the model is kept, then read.
  backdate(edited, 60_000);
  check("cache prune: undone");
  check("cache prune: warm");
  const grown = folderUse(folder);
  for (const name of readdirSync(folder)) backdate(join(folder, name), 20 * DAY_MS);
  backdate(join(folder, "pruned-at"), 2 * DAY_MS);
  const pruning = check("cache prune: the exit prunes").ms;
  const pruned = folderUse(folder);
  const warmAfter = check("cache prune: warm after").ms;
  rmSync(folder, { recursive: true, force: true });
  rows.push(row(n, dialect, `(3f) ours: cache folder after ${PRUNE_EDITS} edits of the entity every other imports, then undone (MB)`, "MB", [grown.mb], [], `${grown.files} files`));
  rows.push(row(n, dialect, "(3f) ours: the same folder after a check two weeks later prunes it (MB)", "MB", [pruned.mb], [], `${pruned.files} files`));
  rows.push(row(n, dialect, "(3f) ours: that check, its exit pruning (one run)", "ms", [pruning], []));
  rows.push(row(n, dialect, "(3f) ours: the warm check after it (one run)", "ms", [warmAfter], []));
}

async function benchOne(n: number, dialect: DialectName, args: Args, rows: Row[]): Promise<void> {
  const dir = join(REPO, ".tmp-projects", `bench-${dialect}-${n}`);
  const scratch = `${dir}-db`;
  const databases: BenchDatabase[] = [];
  const open: Connection[] = [];
  try {
    const synced = await createBenchDatabase(dialect, `${n}s`, scratch);
    databases.push(synced);
    const empty = await createBenchDatabase(dialect, `${n}e`, scratch);
    databases.push(empty);
    writeProject(dir, n, dialect, synced.options);
    log(`${dialect} N=${n}: project written to ${dir}`);

    const fromEmpty = await openProject(dir, { DATABASE_URL: empty.url });
    open.push(fromEmpty.connection);
    const emptySetup: Setup = { n, dialect, dir, ...fromEmpty };
    const upQueries = await measureInitial(emptySetup, args, rows);

    const toSync = await openProject(dir, {});
    open.push(toSync.connection);
    const syncedSetup: Setup = { n, dialect, dir, ...toSync };
    const buildMs = await buildSchema(syncedSetup, upQueries);
    rows.push(row(n, dialect, "build synchronized db (TypeORM's SQL, batched)", "ms", [], [buildMs], `${upQueries.length} statements`));
    log(`${dialect} N=${n}: built in ${Math.round(buildMs)} ms (${upQueries.length} statements)`);

    const inSync = await ourDiff(syncedSetup);
    if (inSync.upgrade.length > 0) {
      const sample = inSync.upgrade.slice(0, 10).map((s) => `  ${s.detected}`).join("\n");
      throw new Error(`PRODUCT BUG: retort finds ${inSync.upgrade.length} changes on a database TypeORM synchronized:\n${sample}`);
    }
    await measureCheck(syncedSetup, args, rows);
    for (const c of open.splice(0)) await c.close();
    if (args.cli) await measureCli(syncedSetup, args, rows);
  } finally {
    for (const c of open) await c.close().catch(() => undefined);
    if (args.keepDb && databases[0]) log(`kept ${databases[0].url} (project ${dir})`);
    for (const d of args.keepDb ? databases.slice(1) : databases) await d.drop().catch((e) => log(`drop ${d.name} failed: ${e}`));
    if (!args.keep) {
      rmSync(dir, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}

function fmt(value: number | null, unit: Row["unit"]): string {
  if (value === null) return "-";
  if (unit === "ms") return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
  return String(Math.round(value));
}

export function renderTable(rows: Row[]): string {
  const header = ["N", "dialect", "measurement", "ours", "TypeORM", "ratio", "load"];
  const body = rows.map((r) => [
    String(r.n),
    r.dialect,
    r.note ? `${r.measurement} [${r.note}]` : r.measurement,
    fmt(r.ours, r.unit),
    fmt(r.typeorm, r.unit),
    r.ratio === null ? "" : `${r.ratio}x`,
    String(r.load),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const rows: Row[] = [];
  const started = new Date();
  const meta = { started: started.toISOString(), node: process.version, cpus: cpus().length, args, loadAtStart: loadavg() };
  let failure: unknown;
  if (args.startup !== "no") {
    try {
      await measureStartup(args.runs, args.startupN, {
        alternate,
        push: (n, measurement, ours, anchor, note) => rows.push(row(n, "sqlite", measurement, "ms", ours, anchor, note)),
        log,
        median,
      });
    } catch (error) {
      failure = error;
      log(`startup FAILED: ${error instanceof Error ? error.message : error}`);
    }
  }
  for (const n of args.startup === "only" ? [] : args.ns) {
    for (const dialect of args.dialects) {
      try {
        await benchOne(n, dialect, args, rows);
      } catch (error) {
        failure = error;
        log(`${dialect} N=${n} FAILED: ${error instanceof Error ? error.message : error}`);
      }
    }
  }
  await closeFormatter();
  mkdirSync(join(REPO, "bench-results"), { recursive: true });
  const file = join(REPO, "bench-results", `bench-${started.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ ...meta, loadAtEnd: loadavg(), rows }, null, 2)}\n`);
  process.stdout.write(`${renderTable(rows)}\n\nratio = TypeORM / ours. Written to ${file}\n`);
  return failure ? 2 : 0;
}

/**
 * Reliability under concurrency and kill -9, per dialect, through the real CLI:
 *
 * - 8 processes run `upgrade head` at once, 5 trials: every process must exit
 *   0 and every revision must be applied exactly once.
 * - `upgrade head` is killed (SIGKILL) at a random moment, 20 trials: on
 *   PostgreSQL/SQLite the database must be at a revision boundary (schema,
 *   data and version table agree, nothing in flight); on MySQL `current`
 *   must report exactly how many statements of the interrupted revision took
 *   effect. Then the next `upgrade head` must exit 0 and reach head with each
 *   revision's effects present once.
 *
 * Every revision's statements are observable: revision k adds columns
 * c<k>a, c<k>b, c<k>c to `log` and inserts the row "r<k>" into it, so the
 * catalog and the rows say exactly which statements ran.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { getDialect } from "../../src/dialects";
import type { DialectName } from "../../src/ops/types";
import { connectWith } from "../../src/runner/connection";
import { createScratchDatabase, type ScratchDatabase } from "../scratch-database";
import { BIN, createProject, revisionSource, type TestProject } from "../../test/support/project";

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const MYSQL_URL = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

const REVISIONS = 6;
const ids = Array.from({ length: REVISIONS }, (_, k) => `ee${String(k).padStart(2, "0")}00000000`);
const columnsOf = (k: number) => (k === 0 ? [] : ["a", "b", "c"].map((s) => `c${k}${s}`));
/** Statements revision k runs: CREATE TABLE + INSERT, or three ALTERs + INSERT. */
const statementsOf = (k: number) => (k === 0 ? 2 : 4);

function writeRevisions(project: TestProject): void {
  ids.forEach((id, k) => {
    const body =
      k === 0
        ? `  await op.createTable("log", { columns: [{ name: "revision", type: "varchar", length: 32, nullable: false }] });`
        : columnsOf(k)
            .map((c) => `  await op.addColumn("log", { name: "${c}", type: "integer", nullable: true });`)
            .join("\n");
    const upgrade = `${body}\n  await op.bulkInsert("log", [{ revision: "r${k}" }]);`;
    const downgrade = k === 0 ? `  await op.dropTable("log");` : columnsOf(k).map((c) => `  await op.dropColumn("log", "${c}");`).join("\n");
    project.write(`migrations/${id}_step${k}.ts`, revisionSource(id, k === 0 ? null : ids[k - 1], `step ${k}`, upgrade, downgrade));
  });
}

interface Observed {
  versionRows: string[];
  /** Per revision, how many of its statements took effect, read from the catalog and the rows. */
  statements: number[];
  /** Log rows per revision (more than one: applied twice). */
  logRows: number[];
}

async function observe(db: ScratchDatabase): Promise<Observed> {
  const conn = await connectWith(db.options);
  try {
    if (db.dialect === "mysql") {
      // The server finishes the statement a killed client sent, after the client is gone: wait for
      // that session to end, as the next `upgrade` does by waiting for the migration lock.
      for (let i = 0; i < 200; i++) {
        const [row] = await conn.db.query<{ n: number | string }>(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND COMMAND <> 'Sleep'",
        );
        if (Number(row.n) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const schema = await getDialect(db.dialect).introspect(conn.db);
    const version = schema.tables.some((t) => t.name === "retort_version")
      ? (await conn.db.query<{ v: string }>("SELECT version_num AS v FROM retort_version")).map((r) => r.v)
      : [];
    const log = schema.tables.find((t) => t.name === "log");
    const rows = log ? await conn.db.query<{ revision: string }>("SELECT revision FROM log") : [];
    const logRows = ids.map((_, k) => rows.filter((r) => r.revision === `r${k}`).length);
    const statements = ids.map((_, k) => {
      const created = k === 0 ? (log ? 1 : 0) : columnsOf(k).filter((c) => log?.columns.some((col) => col.name === c)).length;
      return created + Math.min(logRows[k], 1);
    });
    return { versionRows: version.sort(), statements, logRows };
  } finally {
    await conn.close();
  }
}

/**
 * Runs the CLI; with `killAfterMs`, sends SIGKILL that long after its first
 * output line (the first revision finished), so the moment falls inside the
 * migrations whatever the start-up time of the process.
 */
function run(project: TestProject, args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: project.dir, env: project.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (d) => {
      if (stdout === "" && killAfterMs !== undefined) timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
      stdout += d;
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

async function fresh(dialect: DialectName): Promise<{ db: ScratchDatabase; project: TestProject }> {
  const name = `retort_rel_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const db = await createScratchDatabase(dialect, name, { postgresUrl: POSTGRES_URL, mysqlUrl: MYSQL_URL });
  const project = createProject(db);
  writeRevisions(project);
  return { db, project };
}

/** Index of the last revision the version table says is applied (-1: none). */
function appliedIndex(rows: string[]): number {
  return rows.length === 0 ? -1 : ids.indexOf(rows[0]);
}

function atHead(o: Observed): boolean {
  return o.versionRows.join() === ids[REVISIONS - 1] && o.logRows.every((n) => n === 1) && o.statements.every((n, k) => n === statementsOf(k));
}

async function concurrentTrial(dialect: DialectName): Promise<{ allExit0: boolean; failed: number; eachOnce: boolean; errors: string[] }> {
  const { db, project } = await fresh(dialect);
  try {
    const results = await Promise.all(Array.from({ length: 8 }, () => run(project, ["upgrade", "head"])));
    const failed = results.filter((r) => r.code !== 0);
    const o = await observe(db);
    return { allExit0: failed.length === 0, failed: failed.length, eachOnce: atHead(o), errors: failed.map((r) => r.stderr.trim().split("\n")[0]) };
  } finally {
    project.remove();
    await db.drop();
  }
}

interface KillOutcome {
  /** PostgreSQL/SQLite: at a revision boundary; MySQL: `current` reported exactly what took effect. */
  exact: boolean;
  /** The kill landed while a revision was in flight (not before the first or after the last). */
  midRevision: boolean;
  recovered: boolean;
  detail: string;
}

async function killTrial(dialect: DialectName, window: [number, number]): Promise<KillOutcome> {
  const { db, project } = await fresh(dialect);
  try {
    const delay = Math.round(window[0] + Math.random() * (window[1] - window[0]));
    // The kill lands after the first revision, at a random moment of the others (or just after the end).
    await run(project, ["upgrade", "head"], delay);
    const o = await observe(db);
    const applied = appliedIndex(o.versionRows);
    const boundary = o.statements.every((n, k) => (k <= applied ? n === statementsOf(k) : n === 0)) && o.logRows.every((n) => n <= 1);
    const partial = o.statements.findIndex((n, k) => n > 0 && n < statementsOf(k));
    const midRevision = partial >= 0 || (applied >= 0 && applied < REVISIONS - 1);
    const current = await run(project, ["current", "--json"]);
    let exact: boolean;
    let detail = `killed ${delay} ms after the first revision, version ${o.versionRows.join(",") || "base"}, statements ${o.statements.join("/")}`;
    if (getDialect(dialect).transactionalDdl) {
      exact = boundary && current.code === 0 && !JSON.parse(current.stdout).inFlight;
    } else {
      const reported = current.code === 0 ? JSON.parse(current.stdout) : undefined;
      const flying = reported?.inFlight as { revision: string; statementsCommitted: number } | undefined;
      const expectedFlying = o.statements.findIndex((n, k) => k > applied && n > 0);
      if (flying) {
        const k = ids.indexOf(flying.revision);
        // In flight: every earlier revision complete, this one exactly as reported, none later touched.
        exact =
          k === applied + 1 &&
          o.statements[k] === flying.statementsCommitted &&
          o.statements.every((n, j) => (j < k ? n === statementsOf(j) : j > k ? n === 0 : true)) &&
          o.logRows.every((n) => n <= 1);
        detail += `, current: ${flying.statementsCommitted} statement(s) of ${flying.revision}`;
      } else {
        exact = boundary && expectedFlying < 0;
        detail += `, current: nothing in flight${current.code === 0 ? "" : ` (exit ${current.code}: ${current.stderr.trim()})`}`;
      }
    }
    const rerun = await run(project, ["upgrade", "head"]);
    const after = await observe(db);
    const recovered = rerun.code === 0 && atHead(after);
    if (!recovered) detail += `; rerun exit ${rerun.code}: ${rerun.stderr.trim().split("\n")[0]}; after: ${after.statements.join("/")} rows ${after.logRows.join("/")}`;
    return { exact, midRevision, recovered, detail };
  } finally {
    project.remove();
    await db.drop();
  }
}

/**
 * How long the revisions after the first take, on a warm run: the kill
 * window, counted from the first output line.
 */
async function calibrate(dialect: DialectName): Promise<[number, number]> {
  const spans: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { db, project } = await fresh(dialect);
    try {
      const started = Date.now();
      let first = 0;
      const child = spawn(process.execPath, [BIN, "upgrade", "head"], { cwd: project.dir, env: project.env, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.on("data", () => (first ||= Date.now() - started));
      await new Promise((resolve) => child.on("close", resolve));
      spans.push(Date.now() - started - first);
    } finally {
      project.remove();
      await db.drop();
    }
  }
  return [0, Math.max(...spans.slice(1))];
}

function flag(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
}

export async function main(argv: string[]): Promise<number> {
  const dialects = flag(argv, "dialects", "sqlite,postgres,mysql").split(",") as DialectName[];
  const trials = Number(flag(argv, "trials", "5"));
  const kills = Number(flag(argv, "kills", "20"));
  const verbose = argv.includes("--verbose");
  let failures = 0;
  for (const dialect of dialects) {
    let allExit0 = 0;
    let eachOnce = 0;
    const errors = new Map<string, number>();
    for (let t = 0; t < trials; t++) {
      const r = await concurrentTrial(dialect);
      if (r.allExit0) allExit0++;
      if (r.eachOnce) eachOnce++;
      for (const e of r.errors) errors.set(e, (errors.get(e) ?? 0) + 1);
    }
    process.stdout.write(`${dialect}: 8 concurrent upgrade head x ${trials}: all exit 0 in ${allExit0}/${trials}, each revision once in ${eachOnce}/${trials}\n`);
    for (const [e, n] of errors) process.stdout.write(`    ${n} x ${e}\n`);
    const window = await calibrate(dialect);
    let exact = 0;
    let recovered = 0;
    let mid = 0;
    for (let t = 0; t < kills; t++) {
      const r = await killTrial(dialect, window);
      if (r.exact) exact++;
      if (r.recovered) recovered++;
      if (r.midRevision) mid++;
      if (verbose || !r.exact || !r.recovered) process.stdout.write(`    kill ${t + 1}: ${r.exact ? "exact" : "NOT EXACT"}, ${r.recovered ? "recovered" : "NOT RECOVERED"}: ${r.detail}\n`);
    }
    const what = getDialect(dialect).transactionalDdl ? "at a clean revision boundary" : "reported exactly by current";
    process.stdout.write(
      `${dialect}: kill -9 x ${kills} (0-${Math.round(window[1])} ms after the first revision finished; ${mid} landed mid-run): ${what} ${exact}/${kills}, recovered by the next upgrade head ${recovered}/${kills}\n`,
    );
    failures += trials - allExit0 + (trials - eachOnce) + (kills - exact) + (kills - recovered);
  }
  return failures === 0 ? 0 : 1;
}

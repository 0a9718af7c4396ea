/**
 * Concurrent deploys through the real CLI. Eight processes run `upgrade head`
 * (then `downgrade base`) at once against one database: the migration lock
 * makes each revision run exactly once and every process exit 0. A lock held
 * by another session makes a deploy say who holds it and give up after
 * --lock-timeout with exit 2, leaving the database as it was.
 */
import { spawn } from "node:child_process";
import { createTestDatabase, describeEachDialect, fullMatrix, representativeDialects, type TestDatabase } from "../support/databases";
import { count, tableNames, versionRows, withDb } from "../support/inspect";
import { BIN, createProject, revisionSource, scratchProject, type CliResult, type TestProject } from "../support/project";
import { connectWith, type Connection } from "../../src/runner/connection";
import type { DialectName } from "../../src/ops/types";

const IDS = ["c0c0c0000001", "c0c0c0000002", "c0c0c0000003", "c0c0c0000004", "c0c0c0000005"];
const PROCESSES = 8;
const WAITING = /^waiting for the migration lock held by .+; giving up after \d+ s \(--lock-timeout\)$/;

/**
 * Five revisions logging themselves into `applied`. The second one widens a
 * column of a table that a child references with ON DELETE CASCADE: on
 * SQLite that is a table rebuild, which deletes the child rows unless foreign
 * keys were switched off before the lock's transaction began.
 */
function writeRevisions(project: TestProject): void {
  project.write(
    `migrations/${IDS[0]}_log.ts`,
    revisionSource(
      IDS[0],
      null,
      "applied log",
      `  await op.createTable("applied", { columns: [{ name: "revision", type: "varchar", length: 32, nullable: false }] });
  await op.createTable("parent", {
    columns: [{ name: "id", type: "integer", nullable: false }, { name: "name", type: "varchar", length: 10, nullable: true }],
    primaryKey: { name: "pk_parent", columns: ["id"] },
  });
  await op.createTable("child", {
    columns: [{ name: "id", type: "integer", nullable: false }, { name: "parent_id", type: "integer", nullable: false }],
    primaryKey: { name: "pk_child", columns: ["id"] },
  });
  await op.createForeignKey("child", { name: "fk_child_parent", columns: ["parent_id"], referencedTable: "parent", referencedColumns: ["id"], onDelete: "CASCADE" });
  await op.bulkInsert("parent", [{ id: 1, name: "p" }]);
  await op.bulkInsert("child", [{ id: 1, parent_id: 1 }]);
  await op.bulkInsert("applied", [{ revision: "${IDS[0]}" }]);`,
      `  await op.dropForeignKey("child", "fk_child_parent");
  await op.dropTable("child");
  await op.dropTable("parent");
  await op.dropTable("applied");`,
    ),
  );
  IDS.slice(1).forEach((id, i) => {
    const widen = i === 0 ? `\n  await op.alterColumn("parent", "name", { length: 50 }, { existing: { name: "name", type: "varchar", length: 10, nullable: true } });` : "";
    project.write(
      `migrations/${id}_step.ts`,
      revisionSource(
        id,
        IDS[i],
        `step ${i + 1}`,
        `  await op.addColumn("applied", { name: "c${i + 1}", type: "integer", nullable: true });${widen}
  await op.bulkInsert("applied", [{ revision: "${id}" }]);`,
        `  await op.dropColumn("applied", "c${i + 1}");`,
      ),
    );
  });
}

/** Lines of stderr other than the waiting notice: a concurrent deploy may wait, but must not fail or warn. */
function unexpectedStderr(results: CliResult[]): string[] {
  return results.flatMap((r) => r.stderr.split("\n").filter((line) => line !== "" && !WAITING.test(line)));
}

function linesStarting(results: CliResult[], prefix: string): string[] {
  return results.flatMap((r) => r.stdout.split("\n").filter((l) => l.startsWith(prefix)));
}

async function runConcurrently(project: TestProject, ...args: string[]): Promise<CliResult[]> {
  return Promise.all(Array.from({ length: PROCESSES }, () => project.runAsync(...args)));
}

const userTables = async (db: TestDatabase) => (await tableNames(db)).filter((t) => !t.startsWith("retort_version"));

function describeConcurrentDeploys(mode: "per-revision" | "all", trials: Partial<Record<DialectName, number>>, dialects: DialectName[]): void {
  describeEachDialect(
    `${PROCESSES} concurrent deploys (transactionMode ${mode})`,
    (dialect) => {
      let db: TestDatabase;
      let project: TestProject;
      beforeAll(async () => {
        db = await createTestDatabase(dialect);
        project = createProject(
          db,
          `import { DataSource } from "typeorm";
export default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [] });
export const retort = { transactionMode: "${mode}" };
`,
        );
        writeRevisions(project);
      });
      afterAll(async () => {
        project?.remove();
        await db?.drop();
      });

      test(`upgrade head then downgrade base, ${trials[dialect] ?? 1} trial(s): every process exits 0, each revision runs once`, async () => {
        for (let trial = 0; trial < (trials[dialect] ?? 1); trial++) {
          const up = await runConcurrently(project, "upgrade", "head");
          expect(unexpectedStderr(up)).toEqual([]);
          expect(up.map((r) => r.code)).toEqual(Array(PROCESSES).fill(0));
          expect(linesStarting(up, "Running upgrade")).toHaveLength(IDS.length);
          const rows = await withDb(db, (q) => q<{ revision: string }>("SELECT revision FROM applied"));
          expect(rows.map((r) => r.revision).sort()).toEqual(IDS);
          expect(await versionRows(db)).toEqual([IDS[IDS.length - 1]]);
          expect(await userTables(db)).toEqual(["applied", "child", "parent"]);
          expect(await count(db, "child")).toBe(1);

          const down = await runConcurrently(project, "downgrade", "base");
          expect(unexpectedStderr(down)).toEqual([]);
          expect(down.map((r) => r.code)).toEqual(Array(PROCESSES).fill(0));
          expect(linesStarting(down, "Running downgrade")).toHaveLength(IDS.length);
          expect(await userTables(db)).toEqual([]);
          expect(await versionRows(db)).toEqual([]);
        }
        // Sixteen CLI processes per trial: far beyond the default timeout on a loaded two-core machine.
      }, 180_000 * (trials[dialect] ?? 1));
    },
    dialects,
  );
}

// SQLite's lock races showed only across repeated trials: `npm run test:full` and `npm run reliability` (8 processes x 5 trials) repeat them.
describeConcurrentDeploys("per-revision", { sqlite: fullMatrix() ? 3 : 1 }, ["sqlite", "postgres", "mysql"]);
describeConcurrentDeploys("all", {}, ["sqlite", "postgres"]);

/** A test session holding the migration lock the way another deploy would, and how the CLI should name it. */
interface HeldLock {
  conn: Connection;
  holder: RegExp;
  remedy?: string;
  release(): Promise<void>;
}

async function holdLock(db: TestDatabase): Promise<HeldLock> {
  const conn = await connectWith(db.options);
  const q = <T>(sql: string) => conn.db.query<T>(sql);
  switch (db.dialect) {
    case "postgres": {
      await q("SELECT pg_advisory_lock(hashtext('retort:retort_version'))");
      const [{ pid }] = await q<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      return {
        conn,
        holder: new RegExp(`held by PostgreSQL backend pid ${pid} \\(postgres@127\\.0\\.0\\.1, connected .* UTC, idle\\)`),
        remedy: `SELECT pg_terminate_backend(${pid})`,
        release: async () => void (await q("SELECT pg_advisory_unlock(hashtext('retort:retort_version'))")),
      };
    }
    case "mysql": {
      const [got] = await q<{ got: unknown }>(`SELECT GET_LOCK('retort:retort_version@${db.name}', 0) AS got`);
      expect(Number(got.got)).toBe(1);
      const [{ id }] = await q<{ id: unknown }>("SELECT CONNECTION_ID() AS id");
      return {
        conn,
        holder: new RegExp(`held by MySQL connection id ${id} \\(root@`),
        remedy: `KILL ${id}`,
        release: async () => void (await q(`SELECT RELEASE_LOCK('retort:retort_version@${db.name}')`)),
      };
    }
    case "sqlite": {
      await q("BEGIN IMMEDIATE");
      await q(`CREATE TABLE "other_deploy" (x)`);
      return {
        conn,
        holder: new RegExp(`held by another process \\(the SQLite database file ${escape(String(db.options.database))} is locked for writing\\)`),
        release: async () => void (await q("ROLLBACK")),
      };
    }
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describeEachDialect("a migration lock held by another session", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  let held: HeldLock | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    writeRevisions(project);
  });
  afterEach(async () => {
    await held?.release().catch(() => undefined);
    await held?.conn.close();
    held = undefined;
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  test("upgrade head and stamp --lock-timeout 2 name the holder, give up with exit 2, and change nothing", async () => {
    held = await holdLock(db);
    for (const args of [["upgrade", "head"], ["stamp", "head"]]) {
      const r = await project.runAsync(...args, "--lock-timeout", "2");
      const [waiting, failed, ...rest] = r.stderr.trim().split("\n");
      expect(waiting).toMatch(WAITING);
      expect(waiting).toMatch(held.holder);
      expect(waiting).toContain("giving up after 2 s");
      expect(failed).toMatch(/^FAILED: Gave up waiting for the migration lock after 2 s: it is still held by /);
      expect(failed).toMatch(held.holder);
      if (held.remedy) expect(failed).toContain(held.remedy);
      expect(rest).toEqual([]);
      expect(r.stdout).toBe("");
      expect(r.code).toBe(2);
    }
    await held.release();
    expect(await tableNames(db)).toEqual([]);
  });

  test("a deploy waits for the holder to finish, then runs", async () => {
    held = await holdLock(db);
    const child = spawn(process.execPath, [BIN, "upgrade", "head"], { cwd: project.dir, env: project.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    const waited = new Promise<void>((resolve) =>
      child.stderr.on("data", (d) => {
        stderr += d;
        if (stderr.includes("\n")) resolve();
      }),
    );
    const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
    await waited;
    expect(stderr.trim()).toMatch(WAITING);
    expect(stderr).toContain("giving up after 300 s");
    expect(await tableNames(db)).toEqual([]);
    await held.release();
    expect(await exited).toBe(0);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(linesStarting([{ code: 0, stdout, stderr }], "Running upgrade")).toHaveLength(IDS.length);
    expect(await versionRows(db)).toEqual([IDS[IDS.length - 1]]);
  });
});

// Reading --lock-timeout, RETORT_LOCK_TIMEOUT and retort.lockTimeout is the same code on every database, and a
// bad value is refused before anything is locked: SQLite and one server in `npm test`, all three in test:full.
describeEachDialect(
  "the lock timeout's value",
  (dialect) => {
    const scratch = scratchProject(dialect, writeRevisions);

    test("--lock-timeout, RETORT_LOCK_TIMEOUT and retort.lockTimeout must be seconds; --help names them", async () => {
      const before = await tableNames(scratch.db);
      const bad = scratch.project.run("upgrade", "head", "--lock-timeout", "soon");
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe('FAILED: --lock-timeout must be a number of seconds, 0 or more (got "soon").\n');
      scratch.project.env.RETORT_LOCK_TIMEOUT = "1m";
      const badEnv = scratch.project.run("downgrade", "base");
      delete scratch.project.env.RETORT_LOCK_TIMEOUT;
      expect(badEnv.code).toBe(2);
      expect(badEnv.stderr).toBe('FAILED: RETORT_LOCK_TIMEOUT must be a number of seconds, 0 or more (got "1m").\n');
      expect(await tableNames(scratch.db)).toEqual(before);
      for (const command of ["upgrade", "downgrade", "stamp"]) expect(scratch.project.run(command, "--help").stdout).toContain("--lock-timeout");
      expect(scratch.project.run("--help").stdout).toContain("RETORT_LOCK_TIMEOUT");
      const configured = createProject(
        scratch.db,
        `import { DataSource } from "typeorm";
export default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [] });
export const retort = { lockTimeout: -1 };
`,
      );
      try {
        const r = configured.run("stamp", "head");
        expect(r.code).toBe(2);
        expect(r.stderr).toBe("FAILED: retort.lockTimeout in the config must be a number of seconds, 0 or more (got -1).\n");
      } finally {
        configured.remove();
      }
    });
  },
  representativeDialects("sqlite", "postgres"),
);

describeEachDialect(
  "GET_LOCK names carry the database",
  () => {
    let first: TestDatabase;
    let second: TestDatabase;
    let projects: TestProject[] = [];
    let held: HeldLock | undefined;
    beforeAll(async () => {
      first = await createTestDatabase("mysql");
      second = await createTestDatabase("mysql");
      projects = [createProject(first), createProject(second)];
      projects.forEach(writeRevisions);
    });
    afterAll(async () => {
      await held?.release().catch(() => undefined);
      await held?.conn.close();
      projects.forEach((p) => p.remove());
      await first?.drop();
      await second?.drop();
    });

    test("a deploy holding the lock on one database does not block a deploy on another database of the same server", async () => {
      held = await holdLock(first);
      const [blocked, free] = await Promise.all([
        projects[0].runAsync("upgrade", "head", "--lock-timeout", "2"),
        projects[1].runAsync("upgrade", "head", "--lock-timeout", "2"),
      ]);
      expect(blocked.code).toBe(2);
      expect(blocked.stderr).toMatch(held.holder);
      expect(free.stderr).toBe("");
      expect(free.code).toBe(0);
      expect(await versionRows(second)).toEqual([IDS[IDS.length - 1]]);
      expect(await tableNames(first)).toEqual([]);
    });
  },
  ["mysql"],
);

/**
 * A revision that cannot run in one transaction (MySQL commits DDL by itself;
 * elsewhere `transactional = false`) and fails or is killed half-way: its
 * progress is recorded after each statement, `current` and `history` report
 * it exactly, the same `upgrade` resumes at the next statement, and `repair`
 * records it as completed or rolled back by hand.
 */
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { tableNames, versionRows, withDb } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";
import type { DialectName } from "../../src/ops/types";
import { getDialect } from "../../src/dialects";

const GOOD = "ddaa00000001";
const BAD = "ddbb00000002";

const table = (name: string) => `  await op.createTable("${name}", { columns: [{ name: "id", type: "integer", nullable: false }] });`;

/** On MySQL the default; elsewhere the revision opts out of its transaction to get the same behaviour. */
function optOut(dialect: DialectName): string {
  return dialect === "mysql" ? "" : "export const transactional = false;\n";
}

interface HistoryRow {
  revision: string;
  state: string;
  progress: { statements: number; last?: string } | null;
}

async function historyRow(db: TestDatabase, revision: string): Promise<HistoryRow | undefined> {
  return withDb(db, async (q) => {
    const rows = await q<{ revision: string; state: string; progress: string | null }>(
      `SELECT revision, state, progress FROM retort_version_history WHERE revision = '${revision}'`,
    );
    return rows.map((r) => ({ revision: r.revision, state: r.state, progress: r.progress ? JSON.parse(r.progress) : null }))[0];
  });
}

function setUp(project: TestProject, dialect: DialectName, badBody: string): void {
  project.write(`migrations/${GOOD}_items.ts`, revisionSource(GOOD, null, "create items", table("items"), `  await op.dropTable("items");`));
  project.write(`migrations/${BAD}_half.ts`, revisionSource(BAD, GOOD, "breaks halfway", badBody, `  await op.dropTable("half_done");`, optOut(dialect)));
}

const GATED = `${table("half_done")}
  await op.addColumn("items", { name: "extra", type: "integer", nullable: true });
  await op.execute("INSERT INTO gate (id) VALUES (1)");
${table("after_gate")}`;

describeEachDialect(
  "a revision that fails half-way without a transaction",
  (dialect) => {
    let db: TestDatabase;
    let project: TestProject;
    beforeEach(async () => {
      db = await createTestDatabase(dialect);
      project = createProject(db);
    });
    afterEach(async () => {
      project?.remove();
      await db?.drop();
    });

    test("is recorded exactly, reported by current and history, and resumed by the same upgrade", async () => {
      setUp(project, dialect, GATED);
      expect(project.run("upgrade", GOOD).code).toBe(0);
      const r = project.run("upgrade", "head");
      expect(r.code).toBe(2);
      const message = r.stderr.trim();
      expect(message.split("\n")).toHaveLength(1);
      expect(message).toContain("at statement 3 (INSERT INTO gate");
      expect(message).toContain("its 2 earlier statement(s) are committed");
      expect(await versionRows(db)).toEqual([GOOD]);
      const row = await historyRow(db, BAD);
      expect(row?.state).toBe("upgrading");
      expect(row?.progress?.statements).toBe(2);

      const current = project.run("current");
      expect(current.code).toBe(0);
      expect(current.stdout).toContain(`PARTLY APPLIED: revision ${BAD} is partly applied: its upgrade stopped after 2 committed statement(s)`);
      expect(current.stdout).toContain("resumes it at statement 3");
      const json = JSON.parse(project.run("current", "--json").stdout);
      expect(json.inFlight).toMatchObject({ revision: BAD, direction: "up", statementsCommitted: 2, fileChanged: false });
      expect(project.run("history", "-i").stdout).toContain("[partly applied: its upgrade stopped after 2 committed statement(s)");

      // A downgrade cannot undo a half-applied revision: refused, nothing touched.
      const down = project.run("downgrade", "base");
      expect(down.code).toBe(2);
      expect(down.stderr).toContain("retort repair --rolled-back");
      expect(await tableNames(db)).toContain("items");

      // The cause is fixed outside the file: the rerun continues at statement 3, no "already exists".
      await withDb(db, (q) => q("CREATE TABLE gate (id INTEGER)"));
      const resumed = project.run("upgrade", "head");
      expect(resumed.stderr).toBe("");
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toContain("2 statement(s) committed by an earlier run are skipped");
      expect(await versionRows(db)).toEqual([BAD]);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(["half_done", "after_gate"]));
      expect(await withDb(db, (q) => q("SELECT id FROM gate"))).toHaveLength(1);
      expect((await historyRow(db, BAD))?.state).toBe("applied");
      expect(project.run("current").stdout).not.toContain("PARTLY APPLIED");
    });

    test("repair --rolled-back after undoing it by hand; the next upgrade runs it from the start", async () => {
      setUp(project, dialect, GATED);
      expect(project.run("upgrade", GOOD).code).toBe(0);
      expect(project.run("upgrade", "head").code).toBe(2);
      const plain = project.run("repair");
      expect(plain.code).toBe(2);
      expect(plain.stderr).toContain("--completed");
      await withDb(db, async (q) => {
        await q("DROP TABLE half_done");
        await q(`ALTER TABLE items DROP COLUMN extra`);
      });
      const repaired = project.run("repair", "--rolled-back");
      expect(repaired.code).toBe(0);
      expect(await historyRow(db, BAD)).toBeUndefined();
      expect(await versionRows(db)).toEqual([GOOD]);
      await withDb(db, (q) => q("CREATE TABLE gate (id INTEGER)"));
      expect(project.run("upgrade", "head").code).toBe(0);
      expect(await versionRows(db)).toEqual([BAD]);
    });

    test("repair --completed after finishing it by hand", async () => {
      setUp(project, dialect, GATED);
      expect(project.run("upgrade", GOOD).code).toBe(0);
      expect(project.run("upgrade", "head").code).toBe(2);
      await withDb(db, (q) => q("CREATE TABLE after_gate (id INTEGER NOT NULL)"));
      expect(project.run("repair", "--completed").code).toBe(0);
      expect(await versionRows(db)).toEqual([BAD]);
      expect((await historyRow(db, BAD))?.state).toBe("applied");
      expect(project.run("repair", "--completed").code).toBe(2);
    });

    test("an edited partly applied revision is not resumed by statement index unless --ignore-checksums", async () => {
      setUp(project, dialect, GATED);
      expect(project.run("upgrade", GOOD).code).toBe(0);
      expect(project.run("upgrade", "head").code).toBe(2);
      setUp(project, dialect, GATED.replace("INSERT INTO gate (id) VALUES (1)", "CREATE TABLE gate (id INTEGER)"));
      const refused = project.run("upgrade", "head");
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("its file changed since it started");
      expect(await tableNames(db)).not.toContain("gate");
      expect(project.run("upgrade", "head", "--ignore-checksums").code).toBe(0);
      expect(await versionRows(db)).toEqual([BAD]);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(["gate", "after_gate"]));
    });

    test("a downgrade that fails half-way is recorded and resumed by the same downgrade", async () => {
      project.write(`migrations/${GOOD}_items.ts`, revisionSource(GOOD, null, "create items", table("items"), `  await op.dropTable("items");`));
      project.write(
        `migrations/${BAD}_half.ts`,
        revisionSource(
          BAD,
          GOOD,
          "two tables",
          `${table("t1")}\n${table("t2")}`,
          `  await op.dropTable("t2");\n  await op.execute("DELETE FROM gate");\n  await op.dropTable("t1");`,
          optOut(dialect),
        ),
      );
      expect(project.run("upgrade", "head").code).toBe(0);
      const failed = project.run("downgrade", GOOD);
      expect(failed.code).toBe(2);
      expect(failed.stderr).toContain("its 1 earlier statement(s) are committed");
      expect((await historyRow(db, BAD))?.state).toBe("downgrading");
      expect(project.run("current").stdout).toContain(`revision ${BAD} is partly reverted: its downgrade stopped after 1 committed statement(s)`);
      expect(project.run("upgrade", "head").code).toBe(2);
      await withDb(db, (q) => q("CREATE TABLE gate (id INTEGER)"));
      const resumed = project.run("downgrade", GOOD);
      expect(resumed.stderr).toBe("");
      expect(await versionRows(db)).toEqual([GOOD]);
      expect(await tableNames(db)).not.toEqual(expect.arrayContaining(["t1"]));
      expect(await historyRow(db, BAD)).toBeUndefined();
    });

    test("code that throws after two statements is blamed on itself, with both statements counted", async () => {
      setUp(project, dialect, `${table("t1")}\n${table("t2")}\n  throw new Error("boom");`);
      expect(project.run("upgrade", GOOD).code).toBe(0);
      const r = project.run("upgrade", "head");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("after statement 2 (CREATE TABLE");
      expect(r.stderr).toContain("in the revision's own code: boom");
      expect(r.stderr).toContain("its 2 earlier statement(s) are committed");
      expect((await historyRow(db, BAD))?.progress?.statements).toBe(2);
    });

    test("killed after a statement, or between a DDL statement and its record: reported exactly and resumed", async () => {
      setUp(
        project,
        dialect,
        `${table("k1")}
  // Only in the real run: the dry run before it (offline, no database) records the ops.
  if (!arguments[0].offline && !process.env.NO_KILL) process.kill(process.pid, "SIGKILL");
${table("k2")}
${table("k3")}`,
      );
      expect(project.run("upgrade", GOOD).code).toBe(0);
      const killed = project.run("upgrade", "head");
      expect(killed.code).not.toBe(0);
      if (dialect === "sqlite") {
        // SQLite's migration lock is a write transaction around the whole run: a kill leaves the database where the run started.
        expect(await historyRow(db, BAD)).toBeUndefined();
        expect(await versionRows(db)).toEqual([GOOD]);
        expect(await tableNames(db)).not.toEqual(expect.arrayContaining(["k1"]));
        project.env.NO_KILL = "1";
        expect(project.run("upgrade", "head").code).toBe(0);
        expect(await versionRows(db)).toEqual([BAD]);
        expect(await tableNames(db)).toEqual(expect.arrayContaining(["k1", "k2", "k3"]));
        return;
      }
      expect((await historyRow(db, BAD))?.progress?.statements).toBe(1);
      expect(project.run("current").stdout).toContain("after 1 committed statement(s)");

      // What a kill while k2's CREATE TABLE ran leaves: the statement took effect (DDL commits by itself), its record did not.
      await withDb(db, async (q) => {
        const [row] = await q<{ progress: string }>(`SELECT progress FROM retort_version_history WHERE revision = '${BAD}'`);
        const progress = JSON.parse(row.progress);
        const inFlight = { ...progress, units: 1, unit: { sql: ["CREATE TABLE k2 (id INTEGER NOT NULL)"], done: 0 } };
        await q(`UPDATE retort_version_history SET progress = ${getDialect(dialect).quoteLiteral(JSON.stringify(inFlight))} WHERE revision = '${BAD}'`);
        await q("CREATE TABLE k2 (id INTEGER NOT NULL)");
      });
      expect(project.run("current").stdout).toContain("after 2 committed statement(s), the last CREATE TABLE k2");
      project.env.NO_KILL = "1";
      const resumed = project.run("upgrade", "head");
      expect(resumed.stderr).toBe("");
      expect(resumed.code).toBe(0);
      expect(await versionRows(db)).toEqual([BAD]);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(["k1", "k2", "k3"]));
    });
  },
  ["mysql", "postgres", "sqlite"],
);

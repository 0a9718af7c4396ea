/**
 * Issue #2 acceptance, through the real executable on each dialect: three
 * hand-written revisions, upgrade/current/downgrade/upgrade +1/downgrade
 * base/history/stamp, two heads -> exit 2 -> merge heads. Every effect is
 * checked in the database, not only in the output.
 */
import { createTestDatabase, describeEachDialect, representativeDialects, type TestDatabase } from "../support/databases";
import { count, tableNames, versionRows, withDb } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const A = "a1a1a1a1a1a1";
const B = "b2b2b2b2b2b2";
const C = "c3c3c3c3c3c3";
const D = "d4d4d4d4d4d4";
const E = "e5e5e5e5e5e5";

function writeThreeRevisions(project: TestProject): void {
  project.write(
    `migrations/${A}_accounts.ts`,
    revisionSource(
      A,
      null,
      "create accounts",
      `  await op.createTable("accounts", {
    columns: [
      { name: "id", type: "integer", nullable: false },
      { name: "name", type: "varchar", length: 64, nullable: false },
    ],
    primaryKey: { name: "pk_accounts", columns: ["id"] },
  });`,
      `  await op.dropTable("accounts");`,
    ),
  );
  project.write(
    `migrations/${B}_balance.ts`,
    revisionSource(
      B,
      A,
      "add balance",
      `  await op.addColumn("accounts", { name: "balance", type: "decimal", precision: 12, scale: 2, nullable: true });`,
      `  await op.dropColumn("accounts", "balance");`,
    ),
  );
  project.write(
    `migrations/${C}_entries.ts`,
    revisionSource(
      C,
      B,
      "create entries",
      `  await op.createTable("entries", {
    columns: [
      { name: "id", type: "integer", nullable: false },
      { name: "account_id", type: "integer", nullable: false },
      { name: "amount", type: "decimal", precision: 12, scale: 2, nullable: false },
    ],
    primaryKey: { name: "pk_entries", columns: ["id"] },
    indexes: [{ name: "ix_entries_account", columns: ["account_id"] }],
  });
  await op.createForeignKey("entries", {
    name: "fk_entries_account",
    columns: ["account_id"],
    referencedTable: "accounts",
    referencedColumns: ["id"],
    onDelete: "CASCADE",
  });`,
      `  await op.dropForeignKey("entries", "fk_entries_account");
  await op.dropTable("entries");`,
    ),
  );
}

describeEachDialect("revision lifecycle through the CLI", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    writeThreeRevisions(project);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  const userTables = async () => (await tableNames(db)).filter((t) => t !== "retort_version" && t !== "retort_version_history");

  test("upgrade head applies all three revisions in order", async () => {
    const r = project.run("upgrade", "head");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^Running upgrade  -> ${A}, create accounts \\(\\d+ ms\\)$`));
    expect(lines[2]).toMatch(new RegExp(`^Running upgrade ${B} -> ${C}, create entries`));
    expect(await userTables()).toEqual(["accounts", "entries"]);
    expect(await versionRows(db)).toEqual([C]);
  });

  test("current shows the head revision", () => {
    const r = project.run("current");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${B} -> ${C} (head)`);
  });

  test("downgrade -1 reverts only the last revision", async () => {
    await withDb(db, (q) => q("INSERT INTO accounts (id, name, balance) VALUES (1, 'cash', 10.50)"));
    const r = project.run("downgrade", "-1");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Running downgrade ${C} -> ${B}, create entries`));
    expect(await userTables()).toEqual(["accounts"]);
    expect(await versionRows(db)).toEqual([B]);
    expect(await count(db, "accounts")).toBe(1);
  });

  test("upgrade +1 re-applies it", async () => {
    const r = project.run("upgrade", "+1");
    expect(r.code).toBe(0);
    expect(await userTables()).toEqual(["accounts", "entries"]);
    expect(await versionRows(db)).toEqual([C]);
    expect(await count(db, "accounts")).toBe(1);
  });

  test("downgrade base removes everything and empties the version table", async () => {
    const r = project.run("downgrade", "base");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(3);
    expect(await userTables()).toEqual([]);
    expect(await versionRows(db)).toEqual([]);
  });

  test("history lists the revisions newest first", () => {
    const r = project.run("history");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      `${B} -> ${C} (head), create entries`,
      `${A} -> ${B}, add balance`,
      `<base> -> ${A}, create accounts`,
    ]);
  });

  test("stamp head records the head without running anything", async () => {
    const r = project.run("stamp", "head");
    expect(r.code).toBe(0);
    expect(await versionRows(db)).toEqual([C]);
    expect(await userTables()).toEqual([]);
    const back = project.run("stamp", "base", "--purge");
    expect(back.code).toBe(0);
    expect(await versionRows(db)).toEqual([]);
  });

  test("two heads: upgrade head fails naming both; merge heads fixes it", async () => {
    expect(project.run("upgrade", "head").code).toBe(0);
    project.write(
      `migrations/${D}_notes.ts`,
      revisionSource(D, C, "add notes", `  await op.addColumn("accounts", { name: "notes", type: "text", nullable: true });`, `  await op.dropColumn("accounts", "notes");`),
    );
    project.write(
      `migrations/${E}_code.ts`,
      revisionSource(E, C, "add code", `  await op.addColumn("accounts", { name: "code", type: "varchar", length: 8, nullable: true });`, `  await op.dropColumn("accounts", "code");`),
    );
    const heads = project.run("heads");
    expect(heads.code).toBe(0);
    expect(heads.stdout).toContain(D);
    expect(heads.stdout).toContain(E);

    const failed = project.run("upgrade", "head");
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(D);
    expect(failed.stderr).toContain(E);
    expect(failed.stderr.trim().split("\n")).toHaveLength(1);
    expect(await versionRows(db)).toEqual([C]);

    const merged = project.run("merge", "heads", "-m", "merge notes and code", "--rev-id", "f6f6f6f6f6f6");
    expect(merged.code).toBe(0);
    const after = project.run("heads");
    expect(after.stdout.trim().split("\n")).toHaveLength(1);
    expect(after.stdout).toContain("f6f6f6f6f6f6");

    const up = project.run("upgrade", "head");
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    expect(await versionRows(db)).toEqual(["f6f6f6f6f6f6"]);
    const columns = await withDb(db, (q) => q("SELECT notes, code FROM accounts"));
    expect(Array.isArray(columns)).toBe(true);
  });
}, representativeDialects("sqlite", "mysql"));

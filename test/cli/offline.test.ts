/**
 * Offline SQL (`--sql`): the script is printed without connecting, version
 * table statements included; running it by hand gives the same database as
 * `upgrade head`.
 */
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { introspect, versionRows, withDb } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const A = "0ff1ce000001";
const B = "0ff1ce000002";

function writeRevisions(project: TestProject): void {
  project.write(
    `migrations/${A}_a.ts`,
    revisionSource(
      A,
      null,
      "create widgets",
      `  await op.createTable("widgets", { columns: [{ name: "id", type: "integer", nullable: false }, { name: "select", type: "varchar", length: 10, nullable: true }], primaryKey: { columns: ["id"] } });`,
      `  await op.dropTable("widgets");`,
    ),
  );
  project.write(
    `migrations/${B}_b.ts`,
    revisionSource(
      B,
      A,
      "index widgets",
      `  await op.createIndex("widgets", { name: "ix_widgets_select", columns: ["select"] });`,
      `  await op.dropIndex("widgets", "ix_widgets_select");`,
    ),
  );
}

describeEachDialect("offline --sql", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    writeRevisions(project);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  test("upgrade base:head prints a script that builds the same database as upgrade head", async () => {
    // An unreachable URL of the same dialect proves --sql never connects.
    const offline = createProject(undefined);
    writeRevisions(offline);
    offline.env.DATABASE_URL = dialect === "sqlite" ? db.url : db.url.replace(/:\d+\//, ":1/");
    const r = offline.run("upgrade", "base:head", "--sql");
    offline.remove();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("retort_version");
    expect(r.stdout).toContain(`-- Running upgrade  -> ${A}, create widgets`);
    expect(r.stdout).toContain(`-- Running upgrade ${A} -> ${B}, index widgets`);

    await withDb(db, async (query) => {
      for (const statement of splitScript(r.stdout)) await query(statement);
    });
    const scripted = await introspect(db);
    expect(await versionRows(db)).toEqual([B]);

    const fresh = await createTestDatabase(dialect);
    try {
      const online = createProject(fresh);
      writeRevisions(online);
      expect(online.run("upgrade", "head").code).toBe(0);
      online.remove();
      expect(await introspect(fresh)).toEqual(scripted);
    } finally {
      await fresh.drop();
    }
  });

  test("downgrade head:base --sql prints the reverse", () => {
    const r = project.run("downgrade", `${B}:base`, "--sql");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`-- Running downgrade ${B} -> ${A}, index widgets`);
    expect(r.stdout).toContain(`-- Running downgrade ${A} -> , create widgets`);
    expect(r.stdout).toMatch(/DROP TABLE/i);
    expect(r.stdout).toMatch(/DELETE FROM .retort_version./);
  });

  test("downgrade --sql without a range is an error", () => {
    const r = project.run("downgrade", "base", "--sql");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("FROM:TO");
  });
});

/** Splits on `;` at line ends (our script puts one statement per line or block). */
function splitScript(script: string): string[] {
  return script
    .split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
    .filter((s) => s.length > 0 && !/^(BEGIN|COMMIT)$/i.test(s));
}

describe("offline --sql on SQLite when a rebuild is needed", () => {
  test("is a clear error", () => {
    const project = createProject(undefined);
    try {
      project.write(
        `migrations/${A}_a.ts`,
        revisionSource(A, null, "a", `  await op.createTable("t", { columns: [{ name: "id", type: "integer", nullable: false }, { name: "v", type: "varchar", length: 5, nullable: true }] });`, `  await op.dropTable("t");`),
      );
      project.write(
        `migrations/${B}_b.ts`,
        revisionSource(B, A, "b", `  await op.alterColumn("t", "v", { length: 50 });`, `  await op.alterColumn("t", "v", { length: 5 });`),
      );
      const r = project.run("upgrade", "base:head", "--sql");
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/rebuild/i);
    } finally {
      project.remove();
    }
  });
});

/**
 * `retort test` (issue 12 §5): on a scratch database it creates and drops,
 * the example app passes; a revision whose downgrade forgets a column fails,
 * naming the revision and the column; JUnit XML says the same.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, representativeDialects, type TestDatabase } from "../support/databases";
import { withDb } from "../support/inspect";
import { BIN, createProject, REPO, revisionSource, type TestProject } from "../support/project";

const entity = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity({ name: "people" })
export class Person {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 40 }) name: string;
  @Column({ type: "integer", nullable: true }) score: number | null;
}
`;

describeEachDialect("retort test", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/Person.ts", entity.replace(/^.*score.*$/m, ""));
    expect(project.run("revision", "--autogenerate", "-m", "people", "--rev-id", "aaaa00000001").code).toBe(0);
    project.write("entities/Person.ts", entity);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  /** Whether the scratch database named on the output still exists. */
  async function scratchExists(stdout: string): Promise<boolean> {
    const named = /On the scratch (database|temporary file) (\S+) \(dropped afterwards\)/.exec(stdout);
    expect(named).not.toBeNull();
    const [, kind, name] = named!;
    if (kind === "temporary file") return existsSync(name);
    const sql = dialect === "postgres" ? `SELECT datname AS n FROM pg_database` : `SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA`;
    return (await withDb(db, (q) => q<{ n: string }>(sql))).some((row) => row.n === name);
  }

  test("the example app passes, and the scratch database is gone afterwards", async () => {
    const r = spawnSync(process.execPath, [BIN, "test"], { cwd: REPO, env: { ...process.env, DATABASE_URL: db.url, NO_COLOR: "1" }, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^ok {3}single head$/m);
    expect(r.stdout).toMatch(/^ok {3}upgrade base -> heads$/m);
    expect(r.stdout).toMatch(/^ok {3}entities match the migrated schema$/m);
    expect(r.stdout).toMatch(/^ok {3}downgrade base leaves nothing$/m);
    expect(r.stdout).toMatch(/^ok {3}stairway 1edge0000001 /m);
    expect(r.stdout).not.toContain("FAIL");
    expect(r.status).toBe(0);
    expect(await scratchExists(r.stdout)).toBe(false);
  });

  test("a downgrade that forgets a column fails, naming the revision and the column", async () => {
    project.write(
      "migrations/bbbb00000002_score.ts",
      revisionSource("bbbb00000002", "aaaa00000001", "score", `  await op.addColumn("people", { name: "score", type: "integer", nullable: true });`, ""),
    );
    const r = project.run("test", "--junit", "results.xml");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^ok {3}entities match the migrated schema$/m);
    expect(r.stdout).toMatch(/^ok {3}stairway aaaa00000001 \(people\)$/m);
    expect(r.stdout).toMatch(/^FAIL stairway bbbb00000002 \(score\)$/m);
    expect(r.stdout).toMatch(/downgrade does not restore[\s\S]*Detected added column 'people\.score'/);
    expect(r.code).toBe(1);
    expect(await scratchExists(r.stdout)).toBe(false);
    const xml = readFileSync(join(project.dir, "results.xml"), "utf8");
    expect(xml).toContain(`<testsuite name="retort test" tests="6" failures="1">`);
    expect(xml).toMatch(/<testcase classname="retort.test" name="stairway bbbb00000002 \(score\)">\s*<failure message="[^"]*people\.score[^"]*">/);
  });

  test("with the downgrade fixed it passes; the configured database was never touched", async () => {
    project.write(
      "migrations/bbbb00000002_score.ts",
      revisionSource(
        "bbbb00000002",
        "aaaa00000001",
        "score",
        `  await op.addColumn("people", { name: "score", type: "integer", nullable: true });`,
        `  await op.dropColumn("people", "score");`,
      ),
    );
    const r = project.run("test");
    expect(r.stdout).toMatch(/^ok {3}stairway bbbb00000002 \(score\)$/m);
    expect(r.stdout).toContain("All 6 checks passed.");
    expect(r.code).toBe(0);
    expect(project.run("current").stdout).not.toMatch(/aaaa|bbbb/);
  });

  test("two heads fail the single-head check; an entity change without a migration fails the entities check", () => {
    project.write("migrations/cccc00000003_other.ts", revisionSource("cccc00000003", "aaaa00000001", "other", "", ""));
    const heads = project.run("test");
    expect(heads.stdout).toMatch(/^FAIL single head$/m);
    expect(heads.stdout).toContain("retort merge heads");
    expect(heads.code).toBe(1);
    project.write("migrations/cccc00000003_other.ts", revisionSource("cccc00000003", "bbbb00000002", "other", "", ""));
    project.write("entities/Person.ts", entity.replace("score: number | null;", "score: number | null;\n  @Column({ type: \"integer\", nullable: true }) age: number | null;"));
    const drift = project.run("test");
    expect(drift.stdout).toMatch(/^FAIL entities match the migrated schema$/m);
    expect(drift.stdout).toContain("Detected added column 'people.age'");
    expect(drift.code).toBe(1);
  });
}, representativeDialects("sqlite", "mysql"));

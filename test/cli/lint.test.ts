/**
 * `retort lint` through the real CLI on each database: sizes read from the
 * live tables, the pending revisions by default, exit codes (1 on errors, 0
 * when the only error is suppressed, 2 on bad input), `--json`, suppression by
 * comment, and (SQLite) the cost note autogenerate writes above an op.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { DialectName } from "../../src/ops/types";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { withDb } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const NARROW_USERS = `  await op.alterColumn("users", "name", { length: 10 }, { existing: { name: "name", type: "String", length: 32, nullable: true } });
  await op.createTable("tags", { columns: [{ name: "id", type: "Integer", nullable: false }, { name: "label", type: "String", length: 20, nullable: true }] });
  await op.alterColumn("tags", "label", { length: 10 }, { existing: { name: "label", type: "String", length: 20, nullable: true } });`;

/** b2's downgrade: dropping what the upgrade created is info there; a suppression comment works in a downgrade too. */
const UNDO_NARROW = `  await op.dropTable("tags");
  // retort-lint-ignore narrowing
  await op.alterColumn("users", "name", { length: 5 }, { existing: { name: "name", type: "String", length: 10, nullable: true } });`;

const DROP_NAME = `  // retort-lint-ignore drop-column
  await op.dropColumn("users", "name");`;

/** What each server's classification of the narrowing on "users" says (see test/dialects/cost.test.ts for the sources). */
const NARROWING_COST: Record<DialectName, Record<string, unknown>> = {
  postgres: { lock: "ACCESS EXCLUSIVE", rewrite: true },
  mysql: { algorithm: "COPY", rewrite: true },
  sqlite: { rewrite: true },
};

const USER_ENTITY = `import { Column, Entity, PrimaryColumn } from "typeorm";
@Entity("users")
export class User {
  @PrimaryColumn({ type: "integer" }) id!: number;
  @Column({ type: "varchar", length: 64, nullable: true }) name!: string | null;
}
`;

interface JsonOp {
  call: string;
  direction: "upgrade" | "downgrade";
  line: number | null;
  rows: { rows: number } | null;
  newTable: boolean;
  cost: Record<string, unknown>;
  findings: Array<{ rule: string; severity: string; suppressed: boolean }>;
}

describeEachDialect("retort lint", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    // The existing table is made directly (one CLI spawn less); the revisions below are the pending ones.
    await withDb(db, async (query) => {
      await query("CREATE TABLE users (id integer NOT NULL PRIMARY KEY, name varchar(32))");
      await query("INSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')");
    });
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  if (dialect === "sqlite") {
    test("autogenerate writes one cost line above an op on an existing table with rows", () => {
      project.write("entities/User.ts", USER_ENTITY);
      const result = project.run("revision", "--autogenerate", "-m", "longer names", "--rev-id", "g1");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^NOTE lint table-rewrite: .*"users" \(3 rows\)/m);
      const file = readdirSync(join(project.dir, "migrations")).find((f) => f.startsWith("g1_"))!;
      const lines = readFileSync(join(project.dir, "migrations", file), "utf8").split("\n");
      const call = lines.findIndex((l) => l.includes('op.alterColumn("users", "name"') || l.includes("op.alterColumn("));
      expect(lines[call - 1]).toMatch(/^\s*\/\/ lint table-rewrite: database write lock on "users" \(3 rows\): ALTER COLUMN: the table is rebuilt/);
      rmSync(join(project.dir, "migrations", file));
      // check --json carries the same note on the change, for a pipeline that reads it.
      const checked = project.run("check", "--json");
      expect(checked.code).toBe(1);
      const changes = JSON.parse(checked.stdout).changes as Array<{ op: { kind: string }; note?: string }>;
      expect(changes.find((c) => c.op.kind === "alterColumn")?.note).toMatch(/^lint table-rewrite: database write lock on "users" \(3 rows\)/);
      rmSync(join(project.dir, "entities", "User.ts"));
    });
  }

  test("lints the pending revisions with live sizes; exit 1 on an error, suppression by comment", () => {
    const b2 = revisionSource("b2", null, "narrow", NARROW_USERS, UNDO_NARROW);
    project.write("migrations/b2_narrow.ts", b2);
    project.write("migrations/c3_drop.ts", revisionSource("c3", "b2", "drop", DROP_NAME, ""));
    const result = project.run("lint", "--json");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { sizes: string; revisions: Array<{ revision: string; ops: JsonOp[] }>; summary: Record<string, number> };
    expect(report.sizes).toBe("live");
    expect(report.revisions.map((r) => r.revision)).toEqual(["b2", "c3"]);
    const [narrow, createTags, narrowTags, dropTags, renarrow] = report.revisions[0].ops;
    expect(report.revisions[0].ops.map((o) => o.direction)).toEqual(["upgrade", "upgrade", "upgrade", "downgrade", "downgrade"]);
    expect(narrow.line).toBe(b2.split("\n").findIndex((l) => l.includes('op.alterColumn("users"')) + 1);
    expect(narrow.rows?.rows).toBe(3);
    expect(narrow.cost).toMatchObject(NARROWING_COST[dialect]);
    expect(narrow.findings.map((f) => `${f.severity} ${f.rule}`).sort()).toEqual(["error narrowing", "warning table-rewrite"]);
    // Tables the revision creates are exempt.
    expect([createTags.findings, narrowTags.findings, narrowTags.newTable]).toEqual([[], [], true]);
    // The downgrade: dropping the table its upgrade created is info, not an error; its suppression comment holds.
    expect(dropTags.findings).toEqual([expect.objectContaining({ rule: "drop-table", severity: "info", suppressed: false })]);
    expect(renarrow.line).toBe(b2.split("\n").findIndex((l) => l.includes('op.alterColumn("users", "name", { length: 5 }')) + 1);
    expect(renarrow.findings.find((f) => f.rule === "narrowing")).toMatchObject({ severity: "warning", suppressed: true });
    const drop = report.revisions[1].ops[0];
    expect(drop.findings).toEqual([expect.objectContaining({ rule: "drop-column", severity: "error", suppressed: true })]);
    expect(report.summary).toMatchObject({ error: 1, suppressed: 2 });
  });

  if (dialect === "sqlite") {
    test("exit 0 when the only error is suppressed; --dialect lints offline with unknown sizes; a bad revision exits 2", () => {
      const only = project.run("lint", "c3");
      expect(only.code).toBe(0);
      expect(only.stdout).toContain("0 errors");
      expect(only.stdout).not.toContain("drop-column");
      const offline = project.run("lint", "b2", "--dialect", "postgres");
      expect(offline.code).toBe(1);
      expect(offline.stdout).toContain("table sizes unknown");
      expect(offline.stdout).toMatch(/warning \[table-rewrite\] op\.alterColumn\("users", "name"\): ACCESS EXCLUSIVE on "users" \(rows unknown\)/);
      // Downgrade notes say so; a suppressed one is not shown.
      expect(offline.stdout).toMatch(/b2_narrow\.ts:\d+: info \[drop-table\] downgrade op\.dropTable\("tags"\): /);
      expect(offline.stdout).not.toMatch(/\[narrowing\] downgrade/);
      const bad = project.run("lint", "zzzz");
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    });

    test("a body that throws without a database is named with what it threw, not taken for one that reads data", () => {
      const file = project.write(
        "migrations/d4_flag.ts",
        revisionSource(
          "d4",
          "c3",
          "flag",
          `  await op.addColumn("users", { name: "flag", type: "integer", default: true as any });`,
          `  throw new Error("This revision cannot be undone.");`,
        ),
      );
      try {
        const linted = project.run("lint", "d4");
        expect(linted.stdout).toContain(`the upgrade throws when run without a database (op.addColumn("users", "flag"): the default of column "flag" is SQL text`);
        expect(linted.stdout).toContain("the downgrade throws when run without a database (This revision cannot be undone); ops after that point are not linted");
        expect(linted.stdout).not.toContain("reads the database or uses TypeORM");
      } finally {
        rmSync(file);
      }
    });
  }
});

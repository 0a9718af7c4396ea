/**
 * Issue #10 (3): `@Generated() @PrimaryColumn() id: string` asks for an
 * auto-increment on a string column, which no database builds. autogenerate
 * refuses it in one sentence (no revision written), and a hand-written
 * revision asking the same is refused in one sentence by `upgrade --sql`
 * and by `upgrade`, with nothing applied.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { tableNames } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const TICKET = `import { Column, Entity, Generated, PrimaryColumn } from "typeorm";

@Entity()
export class Ticket {
  @Generated()
  @PrimaryColumn()
  id!: string;

  @Column({ length: 40 })
  title!: string;
}
`;

describeEachDialect("an auto-increment asked of a string primary key", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/ticket.ts", TICKET);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("is refused by autogenerate in one sentence, and no revision is written", () => {
    const result = project.run("revision", "--autogenerate", "-m", "tickets");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^FAILED: [^\n]*ticket\.id[^\n]*\n$/);
    expect(result.stderr).toMatch(/integer/);
    expect(readdirSync(join(project.dir, "migrations")).filter((f) => f.endsWith(".ts"))).toEqual([]);
  });

  it("is refused by upgrade and upgrade --sql in one sentence when a revision asks for it", async () => {
    project.write(
      "migrations/aaaa00000001_tickets.ts",
      revisionSource(
        "aaaa00000001",
        null,
        "tickets",
        `  await op.createTable("ticket", { columns: [{ name: "id", type: "varchar", length: 36, nullable: false, autoIncrement: true }], primaryKey: { columns: ["id"] } });`,
        `  await op.dropTable("ticket");`,
      ),
    );
    for (const args of [["upgrade", "head", "--sql"], ["upgrade", "head"]]) {
      const result = project.run(...args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(/^FAILED: [^\n]*"id"[^\n]*\n$/);
    }
    expect(await tableNames(db)).not.toContain("ticket");
  });
});

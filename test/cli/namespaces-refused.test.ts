/**
 * Issue #10 (3, schemas): where retort does not manage tables outside the
 * connection's own database (MySQL/MariaDB `@Entity({ database })`, SQLite
 * `schema`/`database`), autogenerate refuses the entity in one sentence
 * naming it and the option (exit 2), and writes nothing.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { createProject, type TestProject } from "../support/project";

const entity = (option: string) => `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ ${option} })
export class Ledger {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 40 })
  title!: string;
}
`;

const CASES = {
  mysql: {
    option: `database: "accounting"`,
    stderr:
      'FAILED: Entity Ledger: it names database "accounting" (@Entity({ database: "accounting" })), but retort manages only the connection\'s own database on MySQL/MariaDB: move the entity into it, or give that database a config of its own.\n',
  },
  sqlite: {
    option: `schema: "accounting"`,
    stderr:
      'FAILED: Entity Ledger: it names schema "accounting" (@Entity({ schema: "accounting" })), but retort manages one SQLite database file, which has no other schema or attached database: remove the option.\n',
  },
} as const;

describeEachDialect(
  "an entity naming another database or schema where retort does not manage one",
  (dialect) => {
    let db: TestDatabase;
    let project: TestProject;
    const c = CASES[dialect as keyof typeof CASES];

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      project = createProject(db);
      project.write("entities/ledger.ts", entity(c.option));
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    it("is refused by autogenerate in one sentence naming the entity and the option", () => {
      const result = project.run("revision", "--autogenerate", "-m", "ledger");
      expect(result.stderr).toBe(c.stderr);
      expect(result.code).toBe(2);
      expect(readdirSync(join(project.dir, "migrations"))).toEqual([]);
    });
  },
  ["mysql", "sqlite"],
);

/**
 * PostgreSQL enum types whose names hold quotes: PostgreSQL prints a default
 * on such a column as `'a'::"it's_o'k_enum"`, and the quote inside the type
 * name must not be read as the start of a string literal.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { withDb } from "../support/inspect";
import { createProject, type TestProject } from "../support/project";

const ENUM = `it's_o'k_"q"_enum`;

const entity = (values: string[]) => `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity({ name: "tickets" })
export class Ticket {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "enum", enum: ${JSON.stringify(values)}, enumName: ${JSON.stringify(ENUM)}, default: "b" }) state: string;
  @Column({ type: "enum", enum: ${JSON.stringify(values)}, enumName: ${JSON.stringify(ENUM)}, array: true, default: "{a,b}" }) history: string[];
}
`;

describeEachDialect(
  "enum type names with quotes",
  () => {
    let db: TestDatabase;
    let project: TestProject;
    beforeAll(async () => {
      db = await createTestDatabase("postgres");
      project = createProject(db);
      project.write("entities/Ticket.ts", entity(["a", "b", "c"]));
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    test("autogenerate + upgrade create the type; check is clean and the default is the declared value", async () => {
      const gen = project.run("revision", "--autogenerate", "-m", "tickets");
      expect(gen.stderr).toBe("");
      expect(gen.code).toBe(0);
      expect(project.run("upgrade", "head").code).toBe(0);
      const types = await withDb(db, (q) =>
        q<{ typname: string; labels: string }>(
          `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
        ),
      );
      expect(types).toEqual([{ typname: ENUM, labels: "a,b,c" }]);
      const rows = await withDb(db, async (q) => {
        await q(`INSERT INTO tickets DEFAULT VALUES`);
        return q<{ state: string; history: string }>(`SELECT state, history::text AS history FROM tickets`);
      });
      expect(rows).toEqual([{ state: "b", history: "{a,b}" }]);

      const check = project.run("check");
      expect(check.stdout).toContain("No changes detected");
      expect(check.code).toBe(0);
      const files = readdirSync(join(project.dir, "migrations"));
      const again = project.run("revision", "--autogenerate", "-m", "nothing");
      expect(again.stdout.trim().split("\n").pop()).toBe("No changes detected");
      expect(readdirSync(join(project.dir, "migrations"))).toEqual(files);
    });

    test("a value added and a changed default converge too", async () => {
      project.write("entities/Ticket.ts", entity(["a", "b", "c", "d'e"]).replace('default: "b"', `default: "d'e"`));
      const before = readdirSync(join(project.dir, "migrations"));
      const gen = project.run("revision", "--autogenerate", "-m", "more");
      expect(gen.code).toBe(0);
      const added = readdirSync(join(project.dir, "migrations")).filter((f) => !before.includes(f));
      expect(readFileSync(join(project.dir, "migrations", added[0]), "utf8")).toContain("alterEnum");
      const up = project.run("upgrade", "head");
      expect(up.stderr).toBe("");
      expect(up.code).toBe(0);
      const [row] = await withDb(db, async (q) => {
        await q(`DELETE FROM tickets`);
        await q(`INSERT INTO tickets DEFAULT VALUES`);
        return q<{ state: string }>(`SELECT state FROM tickets`);
      });
      expect(row.state).toBe("d'e");
      const check = project.run("check");
      expect(check.stdout).toContain("No changes detected");
      expect(check.code).toBe(0);
    });
  },
  ["postgres"],
);

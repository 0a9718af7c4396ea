/**
 * Four processes run `upgrade head` at once against one database: the
 * migration lock makes each revision apply exactly once and every process
 * exits 0.
 */
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { versionRows, withDb } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const IDS = ["c0c0c0000001", "c0c0c0000002", "c0c0c0000003", "c0c0c0000004", "c0c0c0000005"];

describeEachDialect(
  "concurrent upgrade head",
  (dialect) => {
    let db: TestDatabase;
    let project: TestProject;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      project = createProject(db);
      project.write(
        `migrations/${IDS[0]}_log.ts`,
        revisionSource(
          IDS[0],
          null,
          "applied log",
          `  await op.createTable("applied", { columns: [{ name: "revision", type: "varchar", length: 32, nullable: false }] });
  await op.bulkInsert("applied", [{ revision: "${IDS[0]}" }]);`,
          `  await op.dropTable("applied");`,
        ),
      );
      IDS.slice(1).forEach((id, i) => {
        project.write(
          `migrations/${id}_step.ts`,
          revisionSource(
            id,
            IDS[i],
            `step ${i + 1}`,
            `  await op.addColumn("applied", { name: "c${i + 1}", type: "integer", nullable: true });
  await op.bulkInsert("applied", [{ revision: "${id}" }]);`,
            `  await op.dropColumn("applied", "c${i + 1}");`,
          ),
        );
      });
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    test("each revision applied once, all four processes exit 0", async () => {
      const results = await Promise.all([1, 2, 3, 4].map(() => project.runAsync("upgrade", "head")));
      for (const r of results) {
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
      }
      const ran = results.flatMap((r) => r.stdout.split("\n").filter((l) => l.startsWith("Running upgrade")));
      expect(ran).toHaveLength(IDS.length);
      const rows = await withDb(db, (q) => q<{ revision: string }>("SELECT revision FROM applied"));
      expect(rows.map((r) => r.revision).sort()).toEqual(IDS);
      expect(await versionRows(db)).toEqual([IDS[IDS.length - 1]]);
    });
  },
  ["postgres", "mysql"],
);

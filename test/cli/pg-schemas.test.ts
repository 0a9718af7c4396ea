/**
 * Issue #10 (3, schemas) through the real CLI on PostgreSQL: a project whose
 * DataSource sets `schema: "app"` and whose entity names `schema: "billing"`,
 * adopted with `init --from-typeorm` from TypeORM migrations whose table
 * lives in "app": the baseline is written and stamped, `check` is clean, and
 * the baseline builds both schemas' tables on a fresh database (retort's
 * version table staying in the default schema) and takes them down again.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { withDb } from "../support/inspect";
import { createProject, REPO, type TestProject } from "../support/project";

const HOOK = join(REPO, "src", "config", "ts-hook.js");

const ENTITIES = `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Author {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 60 })
  name!: string;
}

@Entity({ schema: "billing" })
export class Invoice {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "enum", enum: ["draft", "paid"], default: "draft" })
  state!: string;

  @ManyToOne(() => Author, { nullable: true, onDelete: "CASCADE" })
  author!: Author | null;
}
`;

// TypeORM's own schema builder builds the first migration, as a generated migration would.
const INIT = `import type { MigrationInterface, QueryRunner } from "typeorm";

export class Init1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.connection.driver.createSchemaBuilder().build();
    await queryRunner.query("INSERT INTO app.author (name) VALUES ('kept')");
  }
  async down(): Promise<void> {}
}
`;

const RUN_MIGRATIONS = `require(${JSON.stringify(HOOK)}).registerTypeScript(__dirname);
const dataSource = require("./ormconfig.ts").default;
dataSource.initialize().then(() => dataSource.runMigrations()).then(() => dataSource.destroy());
`;

/** Every table outside the system schemas, as `schema.table`. */
async function allTables(db: TestDatabase): Promise<string[]> {
  return withDb(db, async (query) => {
    const rows = await query<{ t: string }>(
      `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    return rows.map((r) => r.t);
  });
}

describeEachDialect(
  "tables in other PostgreSQL schemas, adopted from TypeORM migrations",
  () => {
    let db: TestDatabase;
    let fresh: TestDatabase;
    let project: TestProject;

    beforeAll(async () => {
      db = await createTestDatabase("postgres");
      fresh = await createTestDatabase("postgres");
      // TypeORM writes into the schemas but does not create them.
      await withDb(db, async (query) => {
        await query('CREATE SCHEMA "app"');
        await query('CREATE SCHEMA "billing"');
      });
      project = createProject(
        db,
        `import { DataSource } from "typeorm";
export default new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL,
  schema: "app",
  entities: [__dirname + "/entities/*.ts"],
  migrations: [__dirname + "/typeorm-migrations/*.ts"],
  migrationsTableName: "app_migrations",
});
`,
      );
      rmSync(join(project.dir, "migrations"), { recursive: true });
      project.write("entities/billing.ts", ENTITIES);
      project.write("run-migrations.js", RUN_MIGRATIONS);
      mkdirSync(join(project.dir, "typeorm-migrations"));
      project.write("typeorm-migrations/1700000000000-Init.ts", INIT);
      const r = spawnSync(process.execPath, ["run-migrations.js"], { cwd: project.dir, env: project.env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`TypeORM's migration:run failed: ${r.stderr}`);
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
      await fresh?.drop();
    });

    it("init --from-typeorm reads TypeORM's migrations table in the DataSource's schema, stamps, and checks clean", async () => {
      expect(await allTables(db)).toEqual(["app.app_migrations", "app.author", "billing.invoice"]);
      const result = project.run("init", "--from-typeorm", "--rev-id", "baseline0001");
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`TypeORM's 1 migration and its "app.app_migrations" table are history now`);
      expect(await allTables(db)).toEqual(["app.app_migrations", "app.author", "billing.invoice", "public.retort_version", "public.retort_version_history"]);
      const check = project.run("check");
      expect(check.stdout).toBe("No changes detected: the database matches the entities.\n");
      expect(check.code).toBe(0);
      expect(await withDb(db, (query) => query<{ name: string }>("SELECT name FROM app.author"))).toEqual([{ name: "kept" }]);
    }, 120_000);

    it("the baseline builds both schemas on a fresh database, checks clean, and downgrades to empty", async () => {
      project.env.DATABASE_URL = fresh.url;
      try {
        const up = project.run("upgrade", "head");
        expect(up.stderr).toBe("");
        expect(await allTables(fresh)).toEqual(["app.author", "billing.invoice", "public.retort_version", "public.retort_version_history"]);
        const types = await withDb(fresh, (query) =>
          query<{ t: string }>("SELECT n.nspname || '.' || t.typname AS t FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e'"),
        );
        expect(types).toEqual([{ t: "billing.invoice_state_enum" }]);
        expect(project.run("check").stdout).toBe("No changes detected: the database matches the entities.\n");
        expect(project.run("downgrade", "base").code).toBe(0);
        expect(await allTables(fresh)).toEqual(["public.retort_version", "public.retort_version_history"]);
      } finally {
        project.env.DATABASE_URL = db.url;
      }
    });

    it("--rename names a table in a schema as table:schema.old=schema.new; schema.old=schema.new is refused naming that form", async () => {
      await withDb(db, (query) => query("INSERT INTO billing.invoice (state) VALUES ('paid')"));
      project.write("entities/billing.ts", ENTITIES.replace('@Entity({ schema: "billing" })', '@Entity({ name: "bill", schema: "billing" })'));
      const column = project.run("revision", "--autogenerate", "-m", "bill", "--rename", "billing.invoice=billing.bill");
      expect(column.code).toBe(2);
      expect(column.stderr.trim()).toBe(
        'FAILED: --rename billing.invoice=billing.bill does not match a dropped and an added column: "billing" is a schema, not a table; ' +
          "a table in it is renamed with table:billing.invoice=billing.bill.",
      );
      const table = project.run("revision", "--autogenerate", "-m", "bill", "--rev-id", "bill0001", "--rename", "table:billing.invoice=billing.bill");
      expect(table.stderr).toBe("");
      expect(table.code).toBe(0);
      const written = readdirSync(join(project.dir, "migrations")).filter((f) => f.includes("bill0001"));
      expect(written).toHaveLength(1);
      expect(readFileSync(join(project.dir, "migrations", written[0]), "utf8")).toContain('await op.renameTable("billing.invoice", "billing.bill");');
      expect(project.run("upgrade", "head").code).toBe(0);
      expect(await withDb(db, (query) => query<{ state: string }>("SELECT state FROM billing.bill"))).toEqual([{ state: "paid" }]);
    }, 120_000);
  },
  ["postgres"],
);

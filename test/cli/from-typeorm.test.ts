/**
 * Issue #10 (4): `retort init --from-typeorm` adopts a database that
 * TypeORM's own migrations built (its migrations table named by the config's
 * migrationsTableName, its files by the config's `migrations` glob): it
 * refuses while a TypeORM migration is not applied, then writes one baseline
 * revision, stamps the database at it without running anything (rows and
 * TypeORM's table stay), checks clean, and the same baseline builds a fresh
 * database from empty.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { count, tableNames, versionRows } from "../support/inspect";
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

@Entity()
export class Note {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 100 })
  body!: string;

  @ManyToOne(() => Author, { nullable: true })
  author!: Author | null;
}
`;

// The first TypeORM migration builds the entities' schema with TypeORM's own schema builder, as a generated migration would.
const INIT = `import type { MigrationInterface, QueryRunner } from "typeorm";

export class Init1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.connection.driver.createSchemaBuilder().build();
  }
  async down(): Promise<void> {}
}
`;

const SEED = `import type { MigrationInterface, QueryRunner } from "typeorm";

export class Seed1700000000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.manager.insert("note", { body: "kept" });
  }
  async down(): Promise<void> {}
}
`;

const LATER = SEED.replaceAll("1700000000001", "1700000000002").replace('"kept"', '"later"');

const RUN_MIGRATIONS = `require(${JSON.stringify(HOOK)}).registerTypeScript(__dirname);
const dataSource = require("./ormconfig.ts").default;
dataSource.initialize().then(() => dataSource.runMigrations()).then(() => dataSource.destroy());
`;

function connectionOf(db: TestDatabase, dialect: string): Record<string, string> {
  return dialect === "sqlite" ? { type: "better-sqlite3", database: String(db.options.database) } : { type: String(db.options.type), url: db.url };
}

function revisionFiles(project: TestProject): string[] {
  return readdirSync(join(project.dir, "migrations")).filter((f) => f.endsWith(".ts"));
}

describeEachDialect("retort init --from-typeorm", (dialect) => {
  let db: TestDatabase;
  let fresh: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    fresh = await createTestDatabase(dialect);
    project = createProject(
      db,
      `import { DataSource } from "typeorm";
export default new DataSource({
  ...${JSON.stringify(connectionOf(db, dialect))},
  entities: [__dirname + "/entities/*.ts"],
  migrations: [__dirname + "/typeorm-migrations/*.ts"],
  migrationsTableName: "app_migrations",
  migrationsTransactionMode: "none",
} as never);
`,
    );
    // The project has no retort folder yet: init makes it.
    rmSync(join(project.dir, "migrations"), { recursive: true });
    project.write("entities/notes.ts", ENTITIES);
    project.write("run-migrations.js", RUN_MIGRATIONS);
    mkdirSync(join(project.dir, "typeorm-migrations"));
    project.write("typeorm-migrations/1700000000000-Init.ts", INIT);
    project.write("typeorm-migrations/1700000000001-Seed.ts", SEED);
    const r = spawnSync(process.execPath, ["run-migrations.js"], { cwd: project.dir, env: project.env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`TypeORM's migration:run failed: ${r.stderr}`);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
    await fresh?.drop();
  });

  it("refuses while a TypeORM migration is not applied, writing and stamping nothing", async () => {
    project.write("typeorm-migrations/1700000000002-Seed.ts", LATER);
    const result = project.run("init", "--from-typeorm");
    rmSync(join(project.dir, "typeorm-migrations", "1700000000002-Seed.ts"));
    expect(result.stderr).toBe(
      "FAILED: 1 TypeORM migration is not applied to this database yet (Seed1700000000002); run them with TypeORM's `migration:run` first, so the baseline describes the schema they build.\n",
    );
    expect(result.code).toBe(2);
    expect(await tableNames(db)).not.toContain("retort_version");
  });

  it("writes a baseline, stamps the database at it without running it, and checks clean", async () => {
    const before = await tableNames(db);
    expect(before).toEqual(["app_migrations", "author", "note"]);
    const result = project.run("init", "--from-typeorm", "--rev-id", "baseline0001");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const explanation = result.stdout.trim().split("\n").slice(-3);
    expect(explanation[0]).toMatch(/^Wrote migrations\/baseline0001_.*\.ts: it builds today's schema from empty/);
    expect(explanation[1]).toContain('Stamped this database at baseline0001 without running it; TypeORM\'s 2 migrations and its "app_migrations" table are history now');
    expect(explanation[2]).toMatch(/^From now on:/);

    expect(revisionFiles(project)).toHaveLength(1);
    expect(await versionRows(db)).toEqual(["baseline0001"]);
    expect(await tableNames(db)).toEqual([...before, "retort_version", "retort_version_history"].sort());
    expect(await count(db, "note")).toBe(1);
    expect(await count(db, "app_migrations")).toBe(2);

    const check = project.run("check");
    expect(check.stdout).toBe("No changes detected: the database matches the entities.\n");
    expect(check.code).toBe(0);

    const again = project.run("init", "--from-typeorm");
    expect(again.stderr).toBe("FAILED: This database is already managed by retort (at baseline0001); there is nothing to adopt.\n");
    expect(again.code).toBe(2);
  });

  it("builds a fresh database from the baseline, and takes it down again", async () => {
    project.env.DATABASE_URL = fresh.url;
    try {
      expect(project.run("upgrade", "head").code).toBe(0);
      expect(await tableNames(fresh)).toEqual(["author", "note", "retort_version", "retort_version_history"]);
      const check = project.run("check");
      expect(check.stdout).toBe("No changes detected: the database matches the entities.\n");
      expect(project.run("downgrade", "base").code).toBe(0);
      expect(await tableNames(fresh)).toEqual(["retort_version", "retort_version_history"]);
    } finally {
      project.env.DATABASE_URL = db.url;
    }
  });
});

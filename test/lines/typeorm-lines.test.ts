/**
 * Issue #10 (1) acceptance: retort installed from its packed tarball into a
 * project of each TypeORM line (0.3.x, 1.x) uses that project's TypeORM, on
 * each dialect: init, autogenerate, upgrade, check (clean), downgrade base;
 * then the same entities built by that TypeORM's own `synchronize()` are in
 * sync (TypeORM 0.3 writes a two-sided many-to-many's junction foreign keys
 * as NO ACTION, 1.x as CASCADE: read with any other TypeORM, check reports
 * drift). The projects are PostgreSQL-only installs: `npm ls` shows no SQLite
 * driver. See scripts/typeorm-lines.ts for the layout and what it costs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  installedPackageNames,
  installLines,
  LIBRARY_TABLES,
  REPO,
  retortIn,
  runCommand,
  runLibraryFlow,
  type LineProject,
  type Lines,
} from "../../scripts/typeorm-lines";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { tableNames } from "../support/inspect";

let lines: Lines;
const projectOf = (line: string): LineProject => lines.projects.find((p) => p.line === line)!;

beforeAll(async () => {
  lines = await installLines();
  const installs = lines.projects.map((p) => `typeorm ${p.typeormVersion} ${p.installSeconds} s`).join(", ");
  process.stderr.write(`typeorm lines: npm pack ${lines.timings.pack} s, drivers ${lines.timings.drivers} s, installs ${lines.timings.installs} s (${installs})\n`);
}, 15 * 60_000);

afterAll(() => {
  if (lines && !process.env.RETORT_KEEP_LINES) rmSync(lines.root, { recursive: true, force: true });
});

describe("installed from the packed tarball", () => {
  it("each project has its own TypeORM line, one copy of it, and no SQLite or MySQL driver (npm ls)", () => {
    expect(lines.projects.map((p) => p.typeormVersion.split(".")[0]).sort()).toEqual(["0", "1"]);
    expect(projectOf("0.3").typeormVersion).toMatch(/^0\.3\./);
    for (const project of lines.projects) {
      const names = installedPackageNames(project.dir);
      expect(names).toEqual(expect.arrayContaining(["typeorm-retort", "typeorm", "pg", "reflect-metadata"]));
      expect({ dir: project.dir, drivers: names.filter((n) => ["better-sqlite3", "sqlite3", "mysql2", "mysql"].includes(n)) }).toEqual({
        dir: project.dir,
        drivers: [],
      });
      expect(names.filter((n) => n === "typeorm")).toHaveLength(1);
      expect(existsSync(join(project.dir, "node_modules", "typeorm-retort", "src"))).toBe(false);
    }
  });

  it("a missing or unsupported driver is one sentence (exit 2)", async () => {
    const cases: Array<{ line: string; config: string; stderr: string }> = [
      {
        line: "0.3",
        config: `import { DataSource } from "typeorm";\nexport default new DataSource({ type: "sqlite", database: "app.db" });\n`,
        stderr: "FAILED: The database driver sqlite3 is not installed: run `npm install sqlite3` in your project.\n",
      },
      {
        line: "1",
        config: `import { DataSource } from "typeorm";\nexport default new DataSource({ type: "sqlite" as never, database: "app.db" });\n`,
        stderr: `FAILED: TypeORM ${projectOf("1").typeormVersion} has no "sqlite" driver (1.0 removed it with the sqlite3 package): use type "better-sqlite3" and run \`npm install better-sqlite3\`.\n`,
      },
      {
        line: "1",
        config: `import { DataSource } from "typeorm";\nexport default new DataSource({ type: "mssql", host: "localhost", database: "app" });\n`,
        stderr:
          "FAILED: The config's database needs the mssql package, and retort does not support that database; it works with PostgreSQL (pg), MySQL/MariaDB (mysql2) and SQLite (better-sqlite3, or sqlite3 on TypeORM 0.3).\n",
      },
      {
        line: "0.3",
        config: `export default { type: "sqljs" };\n`,
        stderr: `FAILED: Database type "sqljs" is not supported: sql.js keeps the database in memory and retort migrates a database file in place; use "better-sqlite3".\n`,
      },
    ];
    for (const [i, c] of cases.entries()) {
      const project = projectOf(c.line);
      const dir = join(project.dir, `driver-error-${i}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "ormconfig.ts"), c.config);
      const result = await retortIn(project, dir, "check");
      expect({ line: c.line, code: result.code, stderr: result.stderr }).toEqual({ line: c.line, code: 2, stderr: c.stderr });
    }
  });
});

describeEachDialect("retort from the tarball on TypeORM 0.3 and 1.x", (dialect) => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it("init, autogenerate, upgrade, check, downgrade base; in sync after the line's own synchronize()", async () => {
    const runs = await Promise.all(
      lines.projects.map(async (project) => {
        const db = await createTestDatabase(dialect);
        dbs.push(db);
        const connection = dialect === "sqlite" ? { type: "better-sqlite3", database: String(db.options.database) } : { type: String(db.options.type), url: db.url };
        return { project, ...(await runLibraryFlow(project, join(project.dir, dialect), connection, () => tableNames(db))) };
      }),
    );
    for (const { project, steps, tables } of runs) {
      for (const s of steps) expect({ line: project.line, step: s.step, code: s.code, output: s.output }).toMatchObject({ code: 0 });
      const dir = join(project.dir, dialect);
      expect(readFileSync(join(dir, "ormconfig.ts"), "utf8")).toMatch(/export const retort\b/);
      expect(readdirSync(join(dir, "migrations")).filter((f) => f.endsWith("_initial.ts"))).toHaveLength(1);
      const bookkeeping = ["retort_version", "retort_version_history"];
      expect(tables.upgraded).toEqual([...LIBRARY_TABLES, ...bookkeeping].sort());
      expect(tables.downgraded).toEqual(bookkeeping);
      expect(tables.synchronized).toEqual([...LIBRARY_TABLES, ...bookkeeping].sort());
      const last = steps[steps.length - 1];
      expect({ line: project.line, output: last.output }).toEqual({ line: project.line, output: "No changes detected: the database matches the entities.\n" });
    }
    // retort run from this checkout (whose own `typeorm` is 1.x) still reads
    // the 0.3 project's entities with the project's TypeORM.
    const fromCheckout = await runCommand(process.execPath, [join(REPO, "bin", "retort.js"), "check"], join(projectOf("0.3").dir, dialect), { NO_COLOR: "1" });
    expect({ code: fromCheckout.code, output: fromCheckout.stdout + fromCheckout.stderr }).toEqual({
      code: 0,
      output: "No changes detected: the database matches the entities.\n",
    });
  });
});

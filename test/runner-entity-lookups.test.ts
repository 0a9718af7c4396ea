/**
 * Warming TypeORM's package.json lookups before it loads an entity glob: the
 * same entities load, with one lookup per directory instead of one per file.
 */
import fsPromises from "node:fs/promises";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { staticDirectoryOf, warmEntityFileLookups } from "../src/runner/entity-lookups";
import { REPO } from "./support/project";

test("staticDirectoryOf keeps the glob's directories before the first wildcard", () => {
  expect(staticDirectoryOf("/app/entities/*.ts")).toBe("/app/entities");
  expect(staticDirectoryOf("/app/src/**/*.entity.{ts,js}")).toBe("/app/src");
  expect(staticDirectoryOf("/app/src/User.ts")).toBe("/app/src");
  expect(staticDirectoryOf("C:\\app\\entities\\*.ts")).toBe("C:/app/entities");
  expect(staticDirectoryOf("/*.ts")).toBe("/");
});

describe("warmEntityFileLookups", () => {
  let dir: string;
  const ENTITIES = 40;
  const glob = () => join(dir, "src", "modules", "entities", "*.js");

  beforeAll(() => {
    // Inside the repository, so the entity files resolve "typeorm" like a project's do.
    const base = join(REPO, ".tmp-projects");
    mkdirSync(base, { recursive: true });
    dir = mkdtempSync(join(base, "lookups-"));
    // Several directory levels below the nearest package.json, as in a real project.
    const entities = join(dir, "src", "modules", "entities");
    mkdirSync(entities, { recursive: true });
    for (let i = 0; i < ENTITIES; i++) {
      writeFileSync(
        join(entities, `thing${i}.js`),
        `const { EntitySchema } = require("typeorm");
module.exports = { Thing${i}: new EntitySchema({ name: "thing${i}", columns: { id: { type: Number, primary: true } } }) };
`,
      );
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Loads the glob with a fresh TypeORM (its lookup cache lives as long as the module) and counts stat calls. */
  async function load(warm: boolean): Promise<{ tables: string[]; stats: number }> {
    let result!: { tables: string[]; stats: number };
    await jest.isolateModulesAsync(async () => {
      const typeorm = await import("typeorm");
      const lookups = await import("../src/runner/entity-lookups");
      const options = { type: "better-sqlite3" as const, database: ":memory:", entities: [glob()] };
      if (warm) await lookups.warmEntityFileLookups(options);
      const spy = jest.spyOn(fsPromises, "stat");
      try {
        const dataSource = await new typeorm.DataSource(options).initialize();
        result = { tables: dataSource.entityMetadatas.map((m) => m.tableName).sort(), stats: spy.mock.calls.length };
        await dataSource.destroy();
      } finally {
        spy.mockRestore();
      }
    });
    return result;
  }

  test("TypeORM then loads the same entities without a package.json lookup per file", async () => {
    const cold = await load(false);
    const warmed = await load(true);
    expect(warmed.tables).toHaveLength(ENTITIES);
    expect(warmed.tables).toEqual(cold.tables);
    expect(cold.stats).toBeGreaterThanOrEqual(ENTITIES);
    expect(warmed.stats).toBe(0);
  });

  test("does nothing for options without globs", async () => {
    await expect(warmEntityFileLookups({ type: "better-sqlite3", database: ":memory:", entities: [] })).resolves.toBeUndefined();
    await expect(warmEntityFileLookups({ type: "better-sqlite3", database: ":memory:" })).resolves.toBeUndefined();
  });
});

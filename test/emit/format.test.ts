import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { closeFormatter, formatSource, renderRevisionSource, warmFormatter, type RevisionFileSpec } from "../../src/emit";
import { FormatSourceError } from "../../src/emit/errors";
import { formatRevision } from "../../src/emit/format";
import { renderRevision, revisionText } from "../../src/emit/revision";
import { opSamples, step, withTempDir } from "./support";

afterAll(closeFormatter);

const spec: RevisionFileSpec = {
  revision: "abc123",
  downRevision: null,
  message: "Add timezone",
  createdAt: new Date("2026-11-22T10:04:11Z"),
  upgrade: [step(opSamples.addColumn[0]), step(opSamples.createEnum[0])],
};

describe("formatSource", () => {
  it("uses prettier's defaults without a project config: double quotes, two spaces, 80 columns", async () => {
    await withTempDir(async (dir) => {
      const text = await formatSource(renderRevisionSource(spec), join(dir, "rev.ts"));
      expect(text).toContain('import type { MigrationContext } from "typeorm-retort";');
      expect(text).toContain('  await op.addColumn("users", {\n    name: "timezone",\n');
      expect(text).toContain(`  await op.createEnum("mood", ["sad", "it's ok", 'happy "!"']);`);
    });
  });

  it("honours the nearest .prettierrc above the target path (singleQuote, tabs, printWidth)", async () => {
    await withTempDir(async (dir) => {
      writeFileSync(join(dir, ".prettierrc"), JSON.stringify({ singleQuote: true, useTabs: true, printWidth: 100 }));
      mkdirSync(join(dir, "migrations"));
      const text = await formatSource(renderRevisionSource(spec), join(dir, "migrations", "rev.ts"));
      expect(text).toContain("import type { MigrationContext } from 'typeorm-retort';");
      expect(text).toContain("export const revision = 'abc123';");
      expect(text).toContain("\tawait op.addColumn('users', { name: 'timezone', type: 'varchar', length: 64, nullable: true });\n");
      // A string holding a single quote keeps double quotes (prettier picks the quote needing fewer escapes).
      expect(text).toContain(`\tawait op.createEnum('mood', ['sad', "it's ok", 'happy "!"']);`);
    });
  });

  it("honours a config in package.json and its per-file overrides", async () => {
    await withTempDir(async (dir) => {
      writeFileSync(
        join(dir, "package.json"),
        JSON.stringify({ name: "app", prettier: { semi: false, overrides: [{ files: "migrations/**", options: { singleQuote: true } }] } }),
      );
      mkdirSync(join(dir, "migrations"));
      const inMigrations = await formatSource(renderRevisionSource(spec), join(dir, "migrations", "rev.ts"));
      expect(inMigrations).toContain("export const revision = 'abc123'\n");
      const elsewhere = await formatSource(renderRevisionSource(spec), join(dir, "rev.ts"));
      expect(elsewhere).toContain('export const revision = "abc123"\n');
    });
  });

  it("reads the config again on every call, so an edited .prettierrc takes effect", async () => {
    await withTempDir(async (dir) => {
      const target = join(dir, "rev.ts");
      writeFileSync(join(dir, ".prettierrc"), JSON.stringify({ singleQuote: true }));
      expect(await formatSource(renderRevisionSource(spec), target)).toContain("export const revision = 'abc123';");
      writeFileSync(join(dir, ".prettierrc"), JSON.stringify({ singleQuote: false }));
      expect(await formatSource(renderRevisionSource(spec), target)).toContain('export const revision = "abc123";');
    });
  });

  it("formats a large revision (each statement shape once) to exactly the text of a whole-file format", async () => {
    const columns = Array.from({ length: 10 }, (_, c) => ({ name: `col_${c}`, type: "varchar", length: 255, nullable: c > 0 }));
    const tables = Array.from({ length: 260 }, (_, t) => ({ name: `table_${t}`, columns, primaryKey: { columns: ["col_0"] } }));
    const rendered = renderRevision({
      ...spec,
      notes: ["REVIEW large"],
      upgrade: tables.map((table) => step({ kind: "createTable", table })),
      downgrade: tables.map((table) => step({ kind: "dropTable", table: table.name, existing: table }, { destructive: true })),
    });
    const big = revisionText(rendered);
    expect(big.length).toBeGreaterThan(100_000);
    const [byShapes, whole] = await Promise.all([formatRevision(rendered, "/x/rev.ts", { strict: true }), formatSource(big, "/x/rev.ts")]);
    expect(byShapes).toBe(whole);
    expect(byShapes).toContain('  await op.createTable("table_259", {\n    columns: [\n');
    expect(byShapes).toContain("}\n\nexport async function downgrade({ op }: MigrationContext): Promise<void> {\n");
  });

  it("works after warmFormatter() started the thread, and after closeFormatter() stopped it", async () => {
    warmFormatter();
    expect(await formatSource("const  a=1", "/x/rev.ts")).toBe("const a = 1;\n");
    await closeFormatter();
    expect(await formatSource("let  b=2", "/x/rev.ts")).toBe("let b = 2;\n");
  });

  it("closeFormatter() stops the thread only after the requests in flight are answered, the warm-up's included", async () => {
    // Stopping the thread inside prettier's file reads can abort the whole process (Node 20): it must wait.
    warmFormatter("/x/y/z/rev.ts");
    const inFlight = formatSource("let  c=3", "/x/rev.ts");
    await closeFormatter();
    await expect(inFlight).resolves.toBe("let c = 3;\n");
  });

  it("wraps a broken project config in a FormatSourceError naming the file", async () => {
    await withTempDir(async (dir) => {
      writeFileSync(join(dir, ".prettierrc"), "{ not json");
      const target = join(dir, "rev.ts");
      await expect(formatSource(renderRevisionSource(spec), target)).rejects.toThrow(FormatSourceError);
      await expect(formatSource(renderRevisionSource(spec), target)).rejects.toMatchObject({ filePath: target });
    });
  });
});

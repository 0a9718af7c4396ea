import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { closeFormatter, writeRevisionFile, DEFAULT_FILE_TEMPLATE, type RevisionFileSpec } from "../../src/emit";
import { RevisionFileExistsError } from "../../src/emit/errors";
import { loadRevisionSource, recordOps, step, withTempDir } from "./support";

afterAll(closeFormatter);

const spec: RevisionFileSpec = {
  revision: "3f2a9c1b7d4e",
  downRevision: "8be61d0cc541",
  message: "Add user timezone",
  createdAt: new Date("2026-11-22T10:04:11Z"),
  upgrade: [step({ kind: "renameColumn", table: "users", from: "tz", to: "timezone" })],
  downgrade: [step({ kind: "renameColumn", table: "users", from: "timezone", to: "tz" })],
};

describe("writeRevisionFile", () => {
  it("writes the formatted file under the template's name (creating the directory) and returns its path", async () => {
    await withTempDir(async (dir) => {
      const migrations = join(dir, "migrations");
      const path = await writeRevisionFile(migrations, DEFAULT_FILE_TEMPLATE, spec);
      expect(path).toBe(join(migrations, "3f2a9c1b7d4e_add_user_timezone.ts"));
      const text = readFileSync(path, "utf8");
      expect(text).toContain('  await op.renameColumn("users", "tz", "timezone");\n');
      expect(await recordOps(loadRevisionSource(text, path), "downgrade")).toEqual([
        { kind: "renameColumn", table: "users", from: "timezone", to: "tz" },
      ]);
    });
  });

  it("formats with the prettier config of the project the file goes into", async () => {
    await withTempDir(async (dir) => {
      writeFileSync(join(dir, ".prettierrc"), JSON.stringify({ singleQuote: true }));
      const path = await writeRevisionFile(join(dir, "migrations"), "{rev}", spec);
      expect(readFileSync(path, "utf8")).toContain("export const revision = '3f2a9c1b7d4e';");
    });
  });

  it("refuses to overwrite an existing file and leaves it untouched", async () => {
    await withTempDir(async (dir) => {
      const existing = join(dir, "3f2a9c1b7d4e_add_user_timezone.ts");
      writeFileSync(existing, "// hand-written, keep me\n");
      const attempt = writeRevisionFile(dir, DEFAULT_FILE_TEMPLATE, spec);
      await expect(attempt).rejects.toThrow(RevisionFileExistsError);
      await expect(writeRevisionFile(dir, DEFAULT_FILE_TEMPLATE, spec)).rejects.toMatchObject({ path: existing });
      expect(readFileSync(existing, "utf8")).toBe("// hand-written, keep me\n");
    });
  });

  it("lets only one of two concurrent writers of the same revision win", async () => {
    await withTempDir(async (dir) => {
      const results = await Promise.allSettled([writeRevisionFile(dir, "{rev}", spec), writeRevisionFile(dir, "{rev}", spec)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(rejected?.reason).toBeInstanceOf(RevisionFileExistsError);
      expect(existsSync(join(dir, "3f2a9c1b7d4e.ts"))).toBe(true);
    });
  });
});

/**
 * Tampering: an applied revision edited or deleted afterwards is reported by
 * `current` and `history`, refused by `upgrade` and `check` (exit 2, file
 * named) until `repair`/`stamp` re-record it or `--ignore-checksums`; a
 * version table from before checksums keeps working; a version table holding
 * a revision and its own ancestor is refused with the `stamp` that fixes it.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, representativeDialects, type TestDatabase } from "../support/databases";
import { tableNames, versionRows, withDb } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const A = "ccaa00000001";
const B = "ccbb00000002";
const C = "cccc00000003";

const createA = `  await op.createTable("items", { columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { columns: ["id"] } });`;

function writeA(project: TestProject, body = createA): void {
  project.write(`migrations/${A}_items.ts`, revisionSource(A, null, "create items", body, `  await op.dropTable("items");`));
}

function writeB(project: TestProject): void {
  project.write(
    `migrations/${B}_notes.ts`,
    revisionSource(B, A, "create notes", `  await op.createTable("notes", { columns: [{ name: "id", type: "integer", nullable: false }] });`, `  await op.dropTable("notes");`),
  );
}

function writeC(project: TestProject): void {
  project.write(
    `migrations/${C}_tags.ts`,
    revisionSource(C, B, "create tags", `  await op.createTable("tags", { columns: [{ name: "id", type: "integer", nullable: false }] });`, `  await op.dropTable("tags");`),
  );
}

async function checksums(db: TestDatabase): Promise<Record<string, string | null>> {
  return withDb(db, async (q) => {
    const rows = await q<{ revision: string; checksum: string | null; state: string }>(
      "SELECT revision, checksum, state FROM retort_version_history",
    );
    return Object.fromEntries(rows.map((r) => [r.revision, r.state === "applied" ? r.checksum : `(${r.state})`]));
  });
}

describeEachDialect("checksums of applied revisions", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeEach(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
  });
  afterEach(async () => {
    project?.remove();
    await db?.drop();
  });

  test("an edited applied revision is reported, refused, and accepted again by repair", async () => {
    writeA(project);
    writeB(project);
    expect(project.run("upgrade", "head").code).toBe(0);
    const recorded = await checksums(db);
    expect(Object.keys(recorded).sort()).toEqual([A, B]);
    expect(recorded[A]).toMatch(/^[0-9a-f]{64}$/);

    // Comments and layout are not part of the checksum.
    writeA(project, `  // a reviewer's note\n  await op.createTable('items', {\n    columns: [{ name: 'id', type: 'integer', nullable: false },],\n    primaryKey: { columns: ['id'] } })`);
    expect(project.run("current").stdout).not.toContain("CHANGED");

    writeA(project, createA.replace(`nullable: false }]`, `nullable: false }, { name: "added_later", type: "integer", nullable: true }]`));
    writeC(project);
    const current = project.run("current");
    expect(current.code).toBe(0);
    expect(current.stdout).toContain(`CHANGED: applied revision ${A}`);
    expect(current.stdout).toContain(`${A}_items.ts`);
    expect(JSON.parse(project.run("current", "--json").stdout).changed.map((c: { revision: string }) => c.revision)).toEqual([A]);
    expect(project.run("history", "-i").stdout).toContain(`create items [edited after it was applied]`);

    const up = project.run("upgrade", "head");
    expect(up.code).toBe(2);
    expect(up.stderr).toContain(`${A}_items.ts`);
    expect(up.stderr.trim().split("\n")).toHaveLength(1);
    expect(await versionRows(db)).toEqual([B]);
    expect(await tableNames(db)).not.toContain("tags");

    const check = project.run("check");
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(`${A}_items.ts`);

    // The recorded checksum is untouched by the refused commands.
    expect(await checksums(db)).toEqual(recorded);

    expect(project.run("repair").stdout).toContain(`re-recorded the checksum of ${A}`);
    const repaired = await checksums(db);
    expect(repaired[A]).not.toEqual(recorded[A]);
    expect(repaired[B]).toEqual(recorded[B]);
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(await versionRows(db)).toEqual([C]);
    expect(await tableNames(db)).toContain("tags");
  });

  test("--ignore-checksums runs anyway; stamp re-records the checksum", async () => {
    writeA(project);
    writeB(project);
    expect(project.run("upgrade", A).code).toBe(0);
    const before = await checksums(db);
    writeA(project, `${createA}\n  await op.createTable("extra", { columns: [{ name: "id", type: "integer", nullable: false }] });`);
    expect(project.run("upgrade", "head").code).toBe(2);
    const forced = project.run("upgrade", "head", "--ignore-checksums");
    expect(forced.code).toBe(0);
    expect(await versionRows(db)).toEqual([B]);
    expect((await checksums(db))[A]).toEqual(before[A]);
    expect(project.run("stamp", "head").code).toBe(0);
    expect((await checksums(db))[A]).not.toEqual(before[A]);
    expect(project.run("check").code).not.toBe(2);
  });

  test("an applied revision whose file was deleted is reported as missing", async () => {
    writeA(project);
    writeB(project);
    expect(project.run("upgrade", "head").code).toBe(0);
    rmSync(join(project.dir, "migrations", `${B}_notes.ts`));
    const current = project.run("current");
    expect(current.stdout).toContain(`MISSING: applied revision ${B} has no file`);
    const check = project.run("check");
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(`applied revision ${B} has no file`);
    expect(project.run("stamp", "--purge", A).code).toBe(0);
    expect(await versionRows(db)).toEqual([A]);
    expect(Object.keys(await checksums(db))).toEqual([A]);
  });

  test("a version table from before checksums keeps working and is recorded on first use", async () => {
    writeA(project);
    writeB(project);
    await withDb(db, async (q) => {
      await q("CREATE TABLE retort_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT retort_version_pkc PRIMARY KEY (version_num))");
      await q(`INSERT INTO retort_version (version_num) VALUES ('${A}')`);
      await q(`CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY)`);
    });
    const current = project.run("current");
    expect(current.code).toBe(0);
    expect(current.stdout).toContain(A);
    expect(current.stdout).not.toMatch(/CHANGED|MISSING/);
    expect(project.run("upgrade", "head").code).toBe(0);
    const recorded = await checksums(db);
    expect(Object.keys(recorded).sort()).toEqual([A, B]);
    expect(recorded[A]).toMatch(/^[0-9a-f]{64}$/);
    expect(await versionRows(db)).toEqual([B]);
  });

  test("a version table holding a revision and its own ancestor is refused with the stamp that fixes it", async () => {
    writeA(project);
    writeB(project);
    writeC(project);
    expect(project.run("upgrade", B).code).toBe(0);
    await withDb(db, (q) => q(`INSERT INTO retort_version (version_num) VALUES ('${A}')`));
    for (const args of [["current"], ["upgrade", "head"], ["history", "-i"], ["check"]]) {
      const r = project.run(...args);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`both ${B} and its ancestor ${A}`);
      expect(lines[0]).toContain(`retort stamp ${B}`);
      expect(lines[0]).not.toContain("Another process");
    }
    expect(await tableNames(db)).not.toContain("tags");
    expect(project.run("stamp", B).code).toBe(0);
    expect(await versionRows(db)).toEqual([B]);
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(await versionRows(db)).toEqual([C]);
  });
}, representativeDialects("sqlite", "mysql"));

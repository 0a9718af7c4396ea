/**
 * Names longer than the server keeps. PostgreSQL cuts a name to 63 bytes (on
 * a character boundary), so the models are compared under the stored name and
 * autogenerate says so; MySQL refuses more than 64 characters, so autogenerate
 * refuses first, in one sentence; SQLite keeps any length.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { introspect, withDb } from "../support/inspect";
import { createProject, type TestProject } from "../support/project";

const TABLE = `ledger_entries_${"x".repeat(60)}`; // 75 bytes
const COLUMN = "é".repeat(40); // 80 bytes; 63 would split the 32nd character
const INDEX = `IDX_${"i".repeat(70)}`;
const UNIQUE = `UQ_${"u".repeat(70)}`;
const CHECK = `CHK_${"c".repeat(70)}`;
const FK = `FK_${"f".repeat(70)}`;
const ENUM = `status_enum_${"e".repeat(60)}`;
const pg = (name: string) => {
  let out = "";
  for (const ch of name) if (Buffer.byteLength(out + ch) <= 63) out += ch;
  return out;
};

const entities = `import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
@Entity({ name: "owners" })
export class Owner {
  @PrimaryGeneratedColumn() id: number;
}
@Entity({ name: ${JSON.stringify(TABLE)} })
@Index(${JSON.stringify(INDEX)}, ["amount"])
@Unique(${JSON.stringify(UNIQUE)}, ["code"])
@Check(${JSON.stringify(CHECK)}, '"amount" > 0')
export class Entry {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "integer" }) amount: number;
  @Column({ type: "varchar", length: 20 }) code: string;
  @Column({ name: ${JSON.stringify(COLUMN)}, type: "varchar", length: 20, default: "x" }) accent: string;
  @Column({ type: "simple-enum", enum: ["open", "closed"], enumName: ${JSON.stringify(ENUM)}, default: "open" }) status: string;
  @ManyToOne(() => Owner, { nullable: true }) @JoinColumn({ name: "owner_id", foreignKeyConstraintName: ${JSON.stringify(FK)} }) owner: Owner | null;
}
`;

function newFile(project: TestProject, before: string[]): string {
  const added = readdirSync(join(project.dir, "migrations")).filter((f) => !before.includes(f));
  expect(added).toHaveLength(1);
  return readFileSync(join(project.dir, "migrations", added[0]), "utf8");
}

describeEachDialect(
  "names longer than the server keeps",
  (dialect) => {
    let db: TestDatabase;
    let project: TestProject;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      project = createProject(db);
      project.write("entities/Entry.ts", dialect === "postgres" ? entities.replace('"simple-enum"', '"enum"') : entities);
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    test("autogenerate + upgrade create the tables under the names the server keeps; check is clean, autogenerate writes nothing", async () => {
      const gen = project.run("revision", "--autogenerate", "-m", "entries");
      expect(gen.stderr).toBe("");
      expect(gen.code).toBe(0);
      const source = newFile(project, []);
      if (dialect === "postgres") {
        expect(gen.stdout).toContain(`REVIEW table "${TABLE}" (entity Entry) is stored as "${pg(TABLE)}": PostgreSQL keeps the first 63 bytes of a name`);
        expect(gen.stdout).toContain(`column "${TABLE}.${COLUMN}" (entity Entry) is stored as "${pg(COLUMN)}"`);
        expect(source).toContain(`// REVIEW: table "${TABLE}" (entity Entry) is stored as "${pg(TABLE)}"`);
      } else {
        expect(gen.stdout).not.toContain("is stored as");
      }
      const up = project.run("upgrade", "head");
      expect(up.stderr).toBe("");
      expect(up.code).toBe(0);

      const stored = dialect === "postgres" ? pg : (name: string) => name;
      const schema = await introspect(db);
      const table = schema.tables.find((t) => t.name === stored(TABLE))!;
      expect(table).toBeDefined();
      expect(table.columns.map((c) => c.name)).toContain(stored(COLUMN));
      expect(table.checks?.map((c) => c.name)).toContain(stored(CHECK));
      expect(table.foreignKeys?.map((f) => f.name)).toEqual(dialect === "sqlite" ? [expect.any(String)] : [stored(FK)]);
      if (dialect === "postgres") {
        const names = await withDb(db, (q) =>
          q<{ name: string }>(`SELECT conname AS name FROM pg_constraint UNION SELECT relname FROM pg_class UNION SELECT typname FROM pg_type UNION SELECT attname FROM pg_attribute`),
        );
        const all = new Set(names.map((n) => n.name));
        for (const name of [TABLE, COLUMN, INDEX, UNIQUE, CHECK, FK, ENUM]) expect(all.has(pg(name))).toBe(true);
        expect(Buffer.byteLength(pg(COLUMN))).toBe(62);
      } else {
        expect([...(table.indexes ?? []).map((i) => i.name), ...(table.uniques ?? []).map((u) => u.name)]).toEqual(expect.arrayContaining([INDEX, UNIQUE]));
      }

      const check = project.run("check");
      expect(check.stdout).toContain("No changes detected");
      expect(check.code).toBe(0);
      const files = readdirSync(join(project.dir, "migrations"));
      const again = project.run("revision", "--autogenerate", "-m", "nothing");
      expect(again.code).toBe(0);
      expect(again.stdout.trim().split("\n").pop()).toBe("No changes detected");
      expect(readdirSync(join(project.dir, "migrations"))).toEqual(files);
    });

    test("--rename takes the names as the entities spell them", async () => {
      const renamed = `code_${"k".repeat(70)}`;
      const stored = dialect === "postgres" ? pg : (name: string) => name;
      await withDb(db, (q) => q(`INSERT INTO "${stored(TABLE)}" (amount, code) VALUES (5, 'keep')`));
      project.write("entities/Entry.ts", readFileSync(join(project.dir, "entities/Entry.ts"), "utf8").replace("code: string", `code_: string`).replace('length: 20 }) code_', `length: 20, name: ${JSON.stringify(renamed)} }) code_`).replace('["code"]', '["code_"]'));
      const before = readdirSync(join(project.dir, "migrations"));
      const gen = project.run("revision", "--autogenerate", "-m", "rename", "--rename", `${TABLE}.code=${TABLE}.${renamed}`);
      expect(gen.stderr).toBe("");
      expect(gen.code).toBe(0);
      const source = newFile(project, before).replace(/\s+/g, "");
      expect(source).toContain(`awaitop.renameColumn(${JSON.stringify(stored(TABLE))},"code",${JSON.stringify(stored(renamed))},);`);
      expect(source).not.toContain("dropColumn");
      expect(project.run("upgrade", "head").code).toBe(0);
      const rows = await withDb(db, (q) => q<Record<string, string>>(`SELECT "${stored(renamed)}" AS v FROM "${stored(TABLE)}"`));
      expect(rows).toEqual([{ v: "keep" }]);
      expect(project.run("check").code).toBe(0);
    });

    const onPostgres = dialect === "postgres" ? test : test.skip;
    onPostgres("two names that would be stored alike are refused in one sentence, before writing any file", () => {
      // TypeORM names the enum type `<table>_status_enum`: its first 63 bytes are the table's.
      project.write("entities/Entry.ts", entities.replace('"simple-enum"', '"enum"').replace(`enumName: ${JSON.stringify(ENUM)}, `, ""));
      const before = readdirSync(join(project.dir, "migrations"));
      const gen = project.run("revision", "--autogenerate", "-m", "clash");
      expect({ code: gen.code, stderr: gen.stderr.trim() }).toEqual({
        code: 2,
        stderr: `FAILED: PostgreSQL keeps only the first 63 bytes of a name, so table "${TABLE}" and enum type "${TABLE}_status_enum" of "${TABLE}.status" would both be stored as "${pg(TABLE)}"; give one of them a shorter name in the entity.`,
      });
      expect(readdirSync(join(project.dir, "migrations"))).toEqual(before);
    });
  },
  ["postgres", "sqlite"],
);

describeEachDialect(
  "names longer than MySQL allows",
  () => {
    let db: TestDatabase;
    let project: TestProject;
    const entity = (column: string) => `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity({ name: "entries" })
export class Entry {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: ${JSON.stringify(column)}, type: "int", default: 0 }) amount: number;
}
`;
    beforeAll(async () => {
      db = await createTestDatabase("mysql");
      project = createProject(db);
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    test("64 characters (multibyte ones included) are kept: upgrade works and check is clean", async () => {
      const column = `${"é".repeat(32)}${"a".repeat(32)}`;
      project.write("entities/Entry.ts", entity(column));
      expect(project.run("revision", "--autogenerate", "-m", "entries").code).toBe(0);
      const up = project.run("upgrade", "head");
      expect(up.stderr).toBe("");
      expect(up.code).toBe(0);
      expect((await introspect(db)).tables.find((t) => t.name === "entries")!.columns.map((c) => c.name)).toContain(column);
      expect(project.run("check").code).toBe(0);
    });

    test("a 65-character name: autogenerate and check exit 2 with one sentence, before writing any file", async () => {
      const column = `amount_${"z".repeat(58)}`;
      project.write("entities/Entry.ts", entity(column));
      const before = readdirSync(join(project.dir, "migrations"));
      const message = `FAILED: MySQL allows names of at most 64 characters, and column "entries.${column}" (entity Entry) has 65; give it a shorter name in the entity.`;
      const gen = project.run("revision", "--autogenerate", "-m", "too long");
      expect({ code: gen.code, stderr: gen.stderr.trim() }).toEqual({ code: 2, stderr: message });
      expect(readdirSync(join(project.dir, "migrations"))).toEqual(before);
      const check = project.run("check");
      expect({ code: check.code, stderr: check.stderr.trim() }).toEqual({ code: 2, stderr: message });
    });
  },
  ["mysql"],
);

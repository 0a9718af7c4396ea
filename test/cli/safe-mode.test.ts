/**
 * Issue 12 §4, safe mode (`revision --autogenerate --safe`) and the
 * per-statement lock timeout with retries, through the real CLI.
 *
 * PostgreSQL: the index added to an existing table is built CONCURRENTLY by
 * a non-transactional revision; while a write transaction is open the build
 * waits for it (the manual, CREATE INDEX "Building Indexes Concurrently": it
 * "must wait for all existing transactions that could potentially modify or
 * use the index to terminate") while other sessions read and write the table.
 * Foreign keys and checks are added NOT VALID then validated, NOT NULL goes
 * through a validated CHECK, and with --statement-lock-timeout a statement
 * blocked by a held lock times out (55P03), is retried, and succeeds once the
 * lock is gone. A unique constraint is built CONCURRENTLY and attached with
 * ADD CONSTRAINT ... USING INDEX (ALTER TABLE manual,
 * "table_constraint_using_index"). MySQL/MariaDB: the online form is
 * asserted, so a change the server can only make by copying the table is
 * refused; drops and renames carry their form too; with
 * --statement-lock-timeout an ALTER queued behind a transaction that read the
 * table (a metadata lock, bounded by lock_wait_timeout: ER_LOCK_WAIT_TIMEOUT)
 * gives up and is retried, and once the retries are spent the command fails
 * with one sentence and nothing applied. SQLite: nothing changes.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { Client } from "pg";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { introspect, versionRows, withDb } from "../support/inspect";
import { BIN, createProject, type TestProject } from "../support/project";

// An added column (ACCESS EXCLUSIVE on PostgreSQL, however short) would queue behind the held transaction: PostgreSQL's revision adds the index alone.
const entities = (v: 1 | 2 | 3, addColumn = false) => `import { Check, Column, Entity, Index, ManyToOne, JoinColumn, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Owner {
  @PrimaryGeneratedColumn()
  id!: number;
}

@Entity()
${v === 3 ? '@Check("CHK_item_qty", \'"qty" >= 0\')\n' : ""}export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  ${v >= 2 ? '@Index("IDX_item_sku")\n  ' : ""}@Column({ length: 40 })
  sku!: string;

  @Column({ type: "varchar", length: 80, nullable: ${v === 3 ? "false" : "true"} })
  note!: string | null;

  @Column({ default: 0 })
  qty!: number;
${addColumn ? "\n  @Column({ default: 0 })\n  tag!: number;\n" : ""}
  @Column({ type: "int", nullable: true })
  ownerId!: number | null;
${v === 3 ? '\n  @ManyToOne(() => Owner)\n  @JoinColumn({ name: "ownerId", foreignKeyConstraintName: "FK_item_owner" })\n  owner!: Owner;\n' : ""}}
`;

function newest(project: TestProject, before: string[]): string {
  const file = readdirSync(join(project.dir, "migrations")).find((f) => f.endsWith(".ts") && !before.includes(f))!;
  return readFileSync(join(project.dir, "migrations", file), "utf8");
}

/** Autogenerates with --safe; returns the command's output and the file. */
function generate(project: TestProject, message: string, ...extra: string[]): { stdout: string; source: string; down: string; file: string } {
  const before = readdirSync(join(project.dir, "migrations"));
  const result = project.run("revision", "--autogenerate", "--safe", "-m", message, ...extra);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const source = newest(project, before);
  const file = readdirSync(join(project.dir, "migrations")).find((f) => f.endsWith(".ts") && !before.includes(f))!;
  return { stdout: result.stdout, source, file, down: source.match(/export const downRevision = "(\w+)"/)![1] };
}

/** The CLI as a child process whose stderr the test can wait on line by line. */
function startCli(project: TestProject, ...args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: project.dir, env: project.env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: Array<() => void> = [];
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => {
    stderr += d;
    waiters.splice(0).forEach((w) => w());
  });
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return {
    done,
    pid: child.pid,
    async stderrMatches(pattern: RegExp): Promise<void> {
      while (!pattern.test(stderr)) {
        if (child.exitCode !== null) throw new Error(`the command ended before printing ${pattern}: ${stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

async function session(db: TestDatabase): Promise<Client> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  return client;
}

async function until(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await new Promise((r) => setTimeout(r, 50));
}

describeEachDialect("safe mode and the statement lock timeout", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/item.ts", entities(1));
    expect(project.run("revision", "--autogenerate", "-m", "items").code).toBe(0);
    expect(project.run("upgrade", "head").code).toBe(0);
    await withDb(db, async (query) => {
      await query(`INSERT INTO owner (id) VALUES (1)`);
      await query(`INSERT INTO item (sku, note, ${dialect === "mysql" ? "ownerId" : '"ownerId"'}) VALUES ('a-1', 'x', 1), ('a-2', 'y', NULL)`);
    });
    project.write("entities/item.ts", entities(2, dialect !== "postgres"));
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  if (dialect === "postgres") {
    it("builds the index CONCURRENTLY: it waits for an open write transaction while other sessions read and write", async () => {
      const { stdout, source, down } = generate(project, "sku index");
      expect(stdout).toContain("safe mode: 1 op(s) use their online form");
      expect(source).toMatch(/export const transactional = false;/);
      expect(source).toMatch(/await op\.createIndex\(\s*"item",\s*\{[^}]*"IDX_item_sku"[^}]*\},\s*\{ online: true \},?\s*\)/);
      expect(project.run("upgrade", `${down}:head`, "--sql").stdout).toContain('CREATE INDEX CONCURRENTLY "IDX_item_sku" ON "item" ("sku");');

      const writer = await session(db);
      const other = await session(db);
      try {
        await writer.query("BEGIN");
        await writer.query("INSERT INTO item (sku) VALUES ('held')");
        const upgrade = startCli(project, "upgrade", "head");
        // The build is waiting for the writer's transaction ...
        await until(async () => {
          const { rows } = await other.query(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'CREATE INDEX CONCURRENTLY%'",
          );
          return rows.length > 0;
        });
        // ... and meanwhile another session reads and writes the table (a statement_timeout turns a block into a failure).
        await other.query("SET statement_timeout = '20s'");
        await other.query("INSERT INTO item (sku) VALUES ('meanwhile')");
        await other.query("UPDATE item SET note = 'z' WHERE sku = 'a-1'");
        const { rows } = await other.query("SELECT count(*)::int AS n FROM item");
        expect(rows[0].n).toBe(3);
        await writer.query("COMMIT");
        const result = await upgrade.done;
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        const valid = await other.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = '"IDX_item_sku"'::regclass`);
        expect(valid.rows).toEqual([{ indisvalid: true }]);
      } finally {
        await writer.end();
        await other.end();
      }
    });

    it("adds the foreign key and check NOT VALID then VALIDATE, NOT NULL through a CHECK, and retries a statement whose lock wait ran out", async () => {
      await withDb(db, (query) => query(`UPDATE item SET note = 'filled' WHERE note IS NULL`));
      project.write("entities/item.ts", entities(3));
      const { source, down } = generate(project, "owner key");
      expect(source).toMatch(/export const transactional = false;/);
      expect(source).toMatch(/op\.createForeignKey\([\s\S]*?\{ online: true \},?\s*\)/);
      expect(source).toMatch(/op\.createCheck\([\s\S]*?\{ online: true \},?\s*\)/);
      const sql = project.run("upgrade", `${down}:head`, "--sql").stdout;
      expect(sql).toContain('ALTER TABLE "item" ADD CONSTRAINT "FK_item_owner" FOREIGN KEY ("ownerId") REFERENCES "owner" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION NOT VALID;');
      expect(sql).toContain('ALTER TABLE "item" VALIDATE CONSTRAINT "FK_item_owner";');
      expect(sql).toContain('ALTER TABLE "item" ADD CONSTRAINT "CHK_item_qty" CHECK (qty >= 0) NOT VALID;');
      expect(sql).toContain('ALTER TABLE "item" ADD CONSTRAINT "item_note_not_null" CHECK ("note" IS NOT NULL) NOT VALID;');
      expect(sql).toContain('ALTER TABLE "item" ALTER COLUMN "note" SET NOT NULL;');
      expect(sql).toContain('ALTER TABLE "item" DROP CONSTRAINT "item_note_not_null";');

      const blocker = await session(db);
      try {
        await blocker.query("BEGIN");
        // An open write transaction holds ROW EXCLUSIVE on item, which ADD CONSTRAINT's lock must wait for.
        await blocker.query("UPDATE item SET qty = qty + 1");
        const upgrade = startCli(project, "upgrade", "head", "--statement-lock-timeout", "200", "--lock-retries", "8");
        await upgrade.stderrMatches(/lock_timeout \(SQLSTATE 55P03\): no lock within 200 ms for .*; retry 1 of 8/);
        await blocker.query("COMMIT");
        const result = await upgrade.done;
        expect(result.code).toBe(0);
      } finally {
        await blocker.end();
      }
      const constraints = await withDb(db, (query) =>
        query<{ conname: string; convalidated: boolean }>(
          `SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'item'::regclass AND contype IN ('f', 'c') ORDER BY conname`,
        ),
      );
      expect(constraints).toEqual([
        { conname: "CHK_item_qty", convalidated: true },
        { conname: "FK_item_owner", convalidated: true },
      ]);
      const [note] = await withDb(db, (query) => query<{ attnotnull: boolean }>(`SELECT attnotnull FROM pg_attribute WHERE attrelid = 'item'::regclass AND attname = 'note'`));
      expect(note.attnotnull).toBe(true);
      expect(project.run("check").code).toBe(0);
      expect(project.run("downgrade", "-1").code).toBe(0);
    });

    it("adds a unique constraint by building its index CONCURRENTLY, then attaching it USING INDEX; the downgrade drops it plainly", async () => {
      expect(project.run("upgrade", "head").code).toBe(0);
      project.write("entities/item.ts", entities(3).replace("export class Item", '@Unique("UQ_item_sku", ["sku"])\nexport class Item').replace("import { Check,", "import { Check, Unique,"));
      const { source, down } = generate(project, "unique sku");
      expect(source).toMatch(/export const transactional = false;/);
      expect(source).toMatch(/op\.createUnique\([\s\S]*?"UQ_item_sku"[\s\S]*?\{ online: true \},?\s*\)/);
      // The downgrade stays plain: DROP CONSTRAINT takes the index with it.
      expect(source).toMatch(/op\.dropUnique\(\s*"item",\s*"UQ_item_sku",\s*\{[^}]*\},?\s*\)/);
      const sql = project.run("upgrade", `${down}:head`, "--sql").stdout;
      expect(sql).toContain('CREATE UNIQUE INDEX CONCURRENTLY "UQ_item_sku" ON "item" ("sku");');
      expect(sql).toContain('ALTER TABLE "item" ADD CONSTRAINT "UQ_item_sku" UNIQUE USING INDEX "UQ_item_sku";');
      const upgraded = project.run("upgrade", "head");
      expect(upgraded.stderr).toBe("");
      expect(upgraded.code).toBe(0);
      const constraint = () =>
        withDb(db, (query) =>
          query<{ contype: string; index: string }>(
            `SELECT contype, conindid::regclass::text AS index FROM pg_constraint WHERE conrelid = 'item'::regclass AND conname = 'UQ_item_sku'`,
          ),
        );
      expect(await constraint()).toEqual([{ contype: "u", index: '"UQ_item_sku"' }]);
      // The entities and the migrated schema agree: the constraint is the one an ADD UNIQUE would have made.
      expect(project.run("check").code).toBe(0);
      expect(project.run("downgrade", "-1").code).toBe(0);
      expect(await constraint()).toEqual([]);
    });
  }

  if (dialect === "mysql") {
    it("asserts the online algorithm, and a change that would copy the table is refused by the server", async () => {
      const { source, down } = generate(project, "sku index");
      expect(source).toMatch(/op\.addColumn\([\s\S]*?\{ online: true \},?\s*\)/);
      expect(source).toMatch(/op\.createIndex\([\s\S]*?\{ online: true \},?\s*\)/);
      const sql = project.run("upgrade", `${down}:head`, "--sql").stdout;
      // Offline the server is unknown: the form every supported version has.
      expect(sql).toContain("CREATE INDEX `IDX_item_sku` ON `item` (`sku`) ALGORITHM=INPLACE LOCK=NONE;");
      expect(sql).toMatch(/ALTER TABLE `item` ADD COLUMN `tag` int NOT NULL DEFAULT 0, ALGORITHM=INPLACE, LOCK=NONE;/);
      const upgraded = project.run("upgrade", "head");
      expect(upgraded.stderr).toBe("");
      expect(upgraded.code).toBe(0);

      // utf8mb4 varchar(40) -> varchar(100) grows the length prefix past 255 bytes: only a table copy can do it.
      project.write("entities/item.ts", entities(2, true).replace("length: 40", "length: 100"));
      const widened = generate(project, "longer sku");
      expect(widened.source).toMatch(/op\.alterColumn\([\s\S]*?online: true/);
      const refused = project.run("upgrade", "head");
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/ALGORITHM=INPLACE is not supported/);
      const [column] = await withDb(db, (query) =>
        query<{ n: number }>(`SELECT CHARACTER_MAXIMUM_LENGTH AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'item' AND COLUMN_NAME = 'sku'`),
      );
      expect(Number(column.n)).toBe(40);
      rmSync(join(project.dir, "migrations", widened.file));
    });

    it("drops a column and an index and renames a column in their online forms; a metadata lock wait times out, is retried, and gives up with one sentence", async () => {
      // v2 (tag added) without the sku index, without qty, with note renamed to remark.
      const next = entities(2, true)
        .replace('@Index("IDX_item_sku")\n  ', "")
        .replace("  @Column({ default: 0 })\n  qty!: number;\n", "")
        .replace("note!: string | null;", "remark!: string | null;");
      project.write("entities/item.ts", next);
      const { source, down } = generate(project, "drop and rename", "--rename", "item.note=item.remark");
      for (const call of ["dropIndex", "dropColumn", "renameColumn"]) expect(source).toMatch(new RegExp(`op\\.${call}\\([^;]*\\{ online: true \\},?\\s*\\)`));
      // Offline the server is unknown: the form every supported version has.
      const sql = project.run("upgrade", `${down}:head`, "--sql").stdout;
      expect(sql).toContain("ALTER TABLE `item` DROP INDEX `IDX_item_sku`, ALGORITHM=INPLACE, LOCK=NONE;");
      expect(sql).toContain("ALTER TABLE `item` DROP COLUMN `qty`, ALGORITHM=INPLACE, LOCK=NONE;");
      expect(sql).toContain("ALTER TABLE `item` RENAME COLUMN `note` TO `remark`, ALGORITHM=INPLACE, LOCK=NONE;");

      const before = await versionRows(db);
      const holder = await createConnection(db.url);
      try {
        // An open transaction that read the table holds a shared metadata lock: every ALTER of item waits for it.
        await holder.query("BEGIN");
        await holder.query("SELECT COUNT(*) FROM item");
        const spent = await project.runAsync("upgrade", "head", "--statement-lock-timeout", "1000", "--lock-retries", "1");
        expect(spent.code).not.toBe(0);
        const lines = spent.stderr.trim().split("\n");
        expect(lines[0]).toMatch(/^lock_wait_timeout \(ER_LOCK_WAIT_TIMEOUT\): no lock within 1000 ms for .*; retry 1 of 1 in 500 ms$/);
        expect(lines.slice(1)).toEqual([expect.stringMatching(/lock_wait_timeout \(ER_LOCK_WAIT_TIMEOUT\): no lock within 1000 ms after 2 tries .*raise --statement-lock-timeout \/ --lock-retries/)]);
        expect(spent.stderr).not.toMatch(/^\s+at /m);
        // Nothing applied: same version, the index and both columns still there.
        expect(await versionRows(db)).toEqual(before);
        const kept = (await introspect(db, (t) => t === "item")).tables[0];
        expect(kept.columns.map((c) => c.name)).toEqual(expect.arrayContaining(["qty", "note"]));
        expect(kept.indexes?.map((i) => i.name)).toContain("IDX_item_sku");

        const upgrade = startCli(project, "upgrade", "head", "--statement-lock-timeout", "1000", "--lock-retries", "8");
        await upgrade.stderrMatches(/lock_wait_timeout \(ER_LOCK_WAIT_TIMEOUT\): no lock within 1000 ms for .*; retry 1 of 8/);
        await holder.query("COMMIT");
        const result = await upgrade.done;
        expect(result.code).toBe(0);
      } finally {
        await holder.end();
      }
      const item = (await introspect(db, (t) => t === "item")).tables[0];
      expect(item.columns.map((c) => c.name)).not.toEqual(expect.arrayContaining(["qty"]));
      expect(item.columns.map((c) => c.name)).not.toContain("note");
      expect(item.indexes?.map((i) => i.name) ?? []).not.toContain("IDX_item_sku");
      const rows = await withDb(db, (query) => query<{ sku: string; remark: string | null }>("SELECT sku, remark FROM item ORDER BY id"));
      expect(rows).toEqual([
        { sku: "a-1", remark: "x" },
        { sku: "a-2", remark: "y" },
      ]);
      expect(project.run("check").code).toBe(0);
    });
  }

  if (dialect === "sqlite") {
    it("changes nothing, and says so", () => {
      const { stdout, source } = generate(project, "sku index");
      expect(source).not.toContain("online: true");
      expect(source).not.toContain("transactional");
      expect(stdout).toContain("REVIEW safe mode: no online form on sqlite for: added index 'IDX_item_sku' on '(sku)'");
      expect(project.run("upgrade", "head").code).toBe(0);
    });
  }
});

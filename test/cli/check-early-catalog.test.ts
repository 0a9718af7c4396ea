/**
 * `check` and `revision --autogenerate` start reading the catalog before the
 * entities load, for the namespaces the DataSource's options name, and choose
 * the managed tables once the model is known. Through the real CLI: a model
 * that needs a schema the early read did not cover is still compared with
 * that schema's tables (the early read is set aside and the catalog read
 * again), and the config's include/exclude, TypeORM's bookkeeping tables and
 * triggers on unmanaged tables come out as the model's filter says.
 */
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { getDialect } from "../../src/dialects";
import { connectWith } from "../../src/runner/connection";
import { withDb } from "../support/inspect";
import { createProject, type TestProject } from "../support/project";

const AUTHOR = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Author {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 60 })
  name!: string;
}
`;

const invoice = (extra = "") => `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Author } from "./author";

@Entity({ schema: "billing" })
export class Invoice {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "enum", enum: ["draft", "paid"], default: "draft" })
  state!: string;

  @ManyToOne(() => Author, { nullable: true })
  author!: Author | null;
${extra}}
`;

interface JsonCheck {
  inSync: boolean;
  changes: Array<{ detected: string; op: { kind: string; table?: string } }>;
  findings: Array<{ kind: string; message: string }>;
}

function checkJson(project: TestProject): { code: number; result: JsonCheck } {
  const r = project.run("check", "--json");
  if (r.stderr !== "") throw new Error(`check --json wrote to stderr: ${r.stderr}`);
  return { code: r.code, result: JSON.parse(r.stdout) as JsonCheck };
}

describeEachDialect(
  "the early catalog read and a schema only the entities name",
  () => {
    let db: TestDatabase;
    let project: TestProject;

    beforeAll(async () => {
      db = await createTestDatabase("postgres");
      await withDb(db, (query) => query('CREATE SCHEMA "app"'));
      project = createProject(
        db,
        `import { DataSource } from "typeorm";
export default new DataSource({ type: "postgres", url: process.env.DATABASE_URL, schema: "app", entities: [__dirname + "/entities/*.ts"] });
`,
      );
      project.write("entities/author.ts", AUTHOR);
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    it("with every table in the DataSource's schema (what the early read covers), check sees them", () => {
      expect(project.run("revision", "--autogenerate", "-m", "authors", "--rev-id", "authors0001").code).toBe(0);
      expect(project.run("upgrade", "head").code).toBe(0);
      const clean = project.run("check");
      expect(clean.stdout).toBe("No changes detected: the database matches the entities.\n");
      expect(clean.code).toBe(0);
      project.write("entities/author.ts", AUTHOR.replace("{ length: 60 }", "{ length: 80 }"));
      const drift = checkJson(project);
      expect(drift.code).toBe(1);
      expect(drift.result.changes.map((c) => c.op.kind)).toEqual(["alterColumn"]);
      expect(drift.result.changes[0].detected).toContain("app.author.name");
      project.write("entities/author.ts", AUTHOR);
    }, 120_000);

    it("an entity in another schema: check compares that schema's tables, not an empty schema", () => {
      project.write("entities/invoice.ts", invoice());
      const created = project.run("revision", "--autogenerate", "-m", "invoices", "--rev-id", "invoices0001");
      expect(created.stderr).toBe("");
      expect(created.code).toBe(0);
      expect(project.run("upgrade", "head").code).toBe(0);
      // Read from the early read alone (the DataSource's "app"), billing.invoice would be planned as a new table.
      const clean = project.run("check");
      expect(clean.stdout).toBe("No changes detected: the database matches the entities.\n");
      expect(clean.code).toBe(0);
      project.write("entities/invoice.ts", invoice(`\n  @Column({ type: "varchar", length: 200, nullable: true })\n  note!: string | null;\n`));
      const drift = checkJson(project);
      expect(drift.code).toBe(1);
      expect(drift.result.changes.map((c) => [c.op.kind, c.op.table])).toEqual([["addColumn", "billing.invoice"]]);
      const generated = project.run("revision", "--autogenerate", "-m", "note", "--rev-id", "note0001");
      expect(generated.code).toBe(0);
      expect(generated.stdout).not.toMatch(/create table/i);
    }, 120_000);

    it("a read widened by the schemas it lacks gives what one read of all of them gives", async () => {
      await withDb(db, async (query) => {
        await query("CREATE FUNCTION public.retort_test_noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$");
        await query("CREATE TRIGGER touch BEFORE INSERT ON app.author FOR EACH ROW EXECUTE FUNCTION public.retort_test_noop()");
        await query("CREATE TRIGGER touch BEFORE INSERT ON billing.invoice FOR EACH ROW EXECUTE FUNCTION public.retort_test_noop()");
        await query("CREATE VIEW billing.paid AS SELECT id FROM billing.invoice WHERE state = 'paid'");
        await query("CREATE VIEW app.names AS SELECT name FROM app.author");
        await query("CREATE TABLE billing.ledger (id integer PRIMARY KEY, author_id integer REFERENCES app.author (id))");
      });
      const connection = await connectWith(db.options);
      try {
        const dialect = getDialect("postgres");
        const early = await dialect.snapshotCatalog!(connection.db, { namespaces: ["app"] });
        const widened = await early.widen!(["app", "billing"]);
        expect(widened.namespaces).toEqual(["app", "billing"]);
        for (const include of [() => true, (name: string) => !name.startsWith("retort_"), (name: string) => name !== "billing.invoice" && name !== "app.author"]) {
          const once = await dialect.introspect(connection.db, { includeTable: include, namespaces: ["app", "billing"] });
          expect(once.tables.some((t) => t.name === "billing.ledger")).toBe(include("billing.ledger"));
          expect(widened.schema(include)).toEqual(once);
        }
      } finally {
        await connection.close();
      }
    }, 120_000);
  },
  ["postgres"],
);

const SHOP = `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "products" })
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "integer" })
  price!: number;
}

@Entity({ name: "orders" })
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToOne(() => Product, { nullable: true })
  product!: Product | null;
}
`;

/** A trigger on `table` that does nothing, in the dialect's SQL. */
function triggerSql(dialect: string, name: string, table: string): string[] {
  if (dialect === "mysql") return [`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW SET @retort_test = 1`];
  return [
    `CREATE OR REPLACE FUNCTION retort_test_noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
    `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION retort_test_noop()`,
  ];
}

describeEachDialect(
  "the early catalog read and the tables the config manages",
  (dialect) => {
    let db: TestDatabase;
    let project: TestProject;

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      project = createProject(db);
      project.write(
        "ormconfig.ts",
        `import { DataSource } from "typeorm";
export default new DataSource({ type: ${JSON.stringify(dialect === "mysql" ? "mysql" : "postgres")}, url: process.env.DATABASE_URL, entities: [__dirname + "/entities/*.ts"] });
export const retort = { exclude: [/^legacy_/] };
`,
      );
      project.write("entities/shop.ts", SHOP);
      expect(project.run("revision", "--autogenerate", "-m", "shop").code).toBe(0);
      expect(project.run("upgrade", "head").code).toBe(0);
      await withDb(db, async (query) => {
        // Unmanaged: excluded by the config, and TypeORM's migrations table (no entity declares it).
        await query("CREATE TABLE legacy_stuff (id INTEGER PRIMARY KEY, product_id INTEGER REFERENCES products (id))");
        await query("CREATE TABLE migrations (id INTEGER PRIMARY KEY, name VARCHAR(255) NOT NULL)");
        for (const sql of triggerSql(dialect, "legacy_stuff_touch", "legacy_stuff")) await query(sql);
        for (const sql of triggerSql(dialect, "orders_touch", "orders")) await query(sql);
      });
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    it("check leaves excluded and bookkeeping tables and their triggers out, and reports the managed table's trigger", () => {
      const { code, result } = checkJson(project);
      expect(result.changes).toEqual([]);
      expect(result.findings.map((f) => [f.kind, f.message])).toEqual([
        ["unmodelled", 'The database has trigger "orders_touch" on "orders", which the models do not describe; it is left alone'],
      ]);
      expect(code).toBe(0);
      const text = project.run("check");
      expect(text.stdout).toBe(
        'REVIEW The database has trigger "orders_touch" on "orders", which the models do not describe; it is left alone\n' +
          "No changes detected: the database matches the entities.\n",
      );
    }, 120_000);

    it("an entity that declares a bookkeeping table's name makes it managed again", () => {
      project.write(
        "entities/migrations.ts",
        `import { Column, Entity, PrimaryColumn } from "typeorm";

@Entity({ name: "migrations" })
export class Migration {
  @PrimaryColumn({ type: "integer" })
  id!: number;

  @Column({ type: "varchar", length: 255 })
  name!: string;

  @Column({ type: "integer", nullable: true })
  timestamp!: number | null;
}
`,
      );
      const { code, result } = checkJson(project);
      expect(result.changes.map((c) => [c.op.kind, c.op.table])).toEqual([["addColumn", "migrations"]]);
      expect(code).toBe(1);
    }, 120_000);
  },
  ["postgres", "mysql"],
);

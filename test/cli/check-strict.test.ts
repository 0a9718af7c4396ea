/**
 * `retort check` must not pass wrongly (issue 12 §1): unmerged heads are an
 * error, a check constraint whose rule changed under the same name is drift
 * (and autogenerate drops and re-creates it, the downgrade mirroring it), and
 * every change in `--json` carries its reasons.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, representativeDialects, type TestDatabase } from "../support/databases";
import { introspect } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const entities = (priceRule: string, onDelete: string, extraCheck = "") => `import { Check, Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
@Entity({ name: "products" })
@Check("CHK_products_price", ${JSON.stringify(priceRule)})${extraCheck}
export class Product {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "integer" }) price: number;
}
@Entity({ name: "orders" })
export class Order {
  @PrimaryGeneratedColumn() id: number;
  @ManyToOne(() => Product, { nullable: true, onDelete: ${JSON.stringify(onDelete)} }) product: Product | null;
}
`;

interface JsonCheck {
  inSync: boolean;
  changes: Array<{ detected: string; op: { kind: string }; reasons: string[] }>;
  findings: unknown[];
}

describeEachDialect("check cannot pass wrongly", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/shop.ts", entities("price >= 0", "CASCADE"));
    expect(project.run("revision", "--autogenerate", "-m", "shop").code).toBe(0);
    expect(project.run("upgrade", "head").code).toBe(0);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  const priceRule = async () => (await introspect(db)).tables.find((t) => t.name === "products")!.checks!.find((c) => c.name === "CHK_products_price")!.expression;

  test("in sync after the first revision", () => {
    const check = project.run("check");
    expect(check.stdout).toContain("No changes detected");
    expect(check.code).toBe(0);
  });

  test("a check whose rule changed under the same name is drift; autogenerate drops and re-creates it, the downgrade restores it", async () => {
    project.write("entities/shop.ts", entities("price >= 0 AND price < 1000", "CASCADE"));
    const check = project.run("check");
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("Detected changed check constraint 'CHK_products_price' on 'products'");
    expect(check.stdout).not.toContain("REVIEW");

    const json = project.run("check", "--json");
    expect(json.code).toBe(1);
    const data = JSON.parse(json.stdout) as JsonCheck;
    expect(data.inSync).toBe(false);
    expect(data.changes.map((c) => c.op.kind)).toEqual(["dropCheck", "createCheck"]);
    expect(data.changes[0].reasons[0]).toMatch(/^expression: .*price.* -> .*1000/);

    expect(project.run("revision", "--autogenerate", "-m", "ceiling").code).toBe(0);
    const file = readdirSync(join(project.dir, "migrations")).find((f) => f.endsWith("_ceiling.ts"))!;
    const source = readFileSync(join(project.dir, "migrations", file), "utf8");
    expect(source).toMatch(/op\.dropCheck\([^)]*CHK_products_price/);
    expect(source).toMatch(/op\.createCheck\([\s\S]*1000/);

    expect(project.run("upgrade", "head").code).toBe(0);
    expect(await priceRule()).toContain("1000");
    const clean = project.run("check");
    expect(clean.stdout).toContain("No changes detected");
    expect(clean.code).toBe(0);

    expect(project.run("downgrade", "-1").code).toBe(0);
    expect(await priceRule()).not.toContain("1000");
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(await priceRule()).toContain("1000");
  });

  test("a changed foreign key lists what changed as its reasons in --json", () => {
    project.write("entities/shop.ts", entities("price >= 0 AND price < 1000", "SET NULL"));
    const json = project.run("check", "--json");
    expect(json.code).toBe(1);
    const data = JSON.parse(json.stdout) as JsonCheck;
    expect(data.changes.map((c) => c.op.kind)).toEqual(["dropForeignKey", "createForeignKey"]);
    for (const change of data.changes) expect(change.reasons).toContain("onDelete: CASCADE -> SET NULL");
    project.write("entities/shop.ts", entities("price >= 0 AND price < 1000", "CASCADE"));
    expect(project.run("check").code).toBe(0);
  });

  test("a rule the database rewrote beyond the normalizer is said once and does not fail", async () => {
    // PostgreSQL stores BETWEEN as two comparisons; the others keep it as written.
    project.write("entities/shop.ts", entities("price >= 0 AND price < 1000", "CASCADE", `\n@Check("CHK_products_band", "price BETWEEN 0 AND 5000")`));
    expect(project.run("revision", "--autogenerate", "-m", "band").code).toBe(0);
    expect(project.run("upgrade", "head").code).toBe(0);
    const check = project.run("check");
    expect(check.stdout).toContain("No changes detected");
    expect(check.code).toBe(0);
    const said = check.stdout.split("\n").filter((line) => line.startsWith("REVIEW") && line.includes("CHK_products_band"));
    expect(said.length).toBe(dialect === "postgres" ? 1 : 0);
    const json = JSON.parse(project.run("check", "--json").stdout) as JsonCheck;
    expect(json.inSync).toBe(true);
    expect(json.changes).toEqual([]);
    expect(json.findings.length).toBe(said.length);
  });
});

// Which heads `check` accepts is revision-graph logic, the same on every database: SQLite and one
// server in `npm test`, all three in `npm run test:full`.
describeEachDialect(
  "check and the revision graph",
  (dialect) => {
    let db: TestDatabase;
    let project: TestProject;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      project = createProject(db);
      project.write("entities/shop.ts", entities("price >= 0", "CASCADE"));
      expect(project.run("revision", "--autogenerate", "-m", "shop").code).toBe(0);
      expect(project.run("upgrade", "head").code).toBe(0);
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    test("two unmerged heads: exit 2 naming both heads and `retort merge`, with and without --json", () => {
      const head = readdirSync(join(project.dir, "migrations"))[0].split("_")[0]; // the one revision, from beforeAll
      project.write("migrations/aaaa00000001_left.ts", revisionSource("aaaa00000001", head, "left", "", ""));
      project.write("migrations/bbbb00000002_right.ts", revisionSource("bbbb00000002", head, "right", "", ""));
      expect(project.run("upgrade", "heads").code).toBe(0);
      for (const args of [["check"], ["check", "--json"]]) {
        const check = project.run(...args);
        expect(check.code).toBe(2);
        expect(check.stdout).toBe("");
        expect(check.stderr).toMatch(/^FAILED: .*unmerged heads.*aaaa00000001.*bbbb00000002.*retort merge heads/);
        expect(check.stderr).not.toContain("    at ");
      }
      expect(project.run("merge", "-m", "join", "--rev-id", "cccc00000003", "heads").code).toBe(0);
      expect(project.run("upgrade", "head").code).toBe(0);
      expect(project.run("check").code).toBe(0);
    });

    test("branches labelled on each side are deliberate: check compares them both", () => {
      const head = "cccc00000003"; // the merge of the test above
      project.write("migrations/dddd00000004_audit.ts", revisionSource("dddd00000004", head, "audit", "", "", `export const branchLabels = ["audit"];`));
      project.write("migrations/eeee00000005_billing.ts", revisionSource("eeee00000005", head, "billing", "", "", `export const branchLabels = ["billing"];`));
      const up = project.run("upgrade", "heads");
      expect(up.stderr).toBe("");
      expect(up.code).toBe(0);
      const check = project.run("check");
      expect(check.stderr).toBe("");
      expect(check.code).toBe(0);
    });
  },
  representativeDialects("sqlite", "postgres"),
);

/**
 * Issue #10 (3), views through the real CLI: `check` reports a view added,
 * changed and removed, each with reasons in `--json`, is clean after `upgrade
 * head`, and never proposes dropping a view no entity ever declared. (The
 * per-dialect DDL, ordering and round trips are autogen fixtures view-*.)
 */
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { withDb } from "../support/inspect";
import { createProject, type TestProject } from "../support/project";

const ORDER = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity("orders")
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column()
  total!: number;
}
`;

const view = (name: string, sql: string) => `import { ViewColumn, ViewEntity } from "typeorm";

@ViewEntity({ name: ${JSON.stringify(name)}, expression: ${JSON.stringify(sql)} })
export class V {
  @ViewColumn()
  id!: number;
}
`;

interface CheckJson {
  inSync: boolean;
  changes: Array<{ detected: string; op: { kind: string; name?: string; view?: { name: string } }; reasons: string[] }>;
}

describe("views through the CLI [sqlite]", () => {
  let db: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    project = createProject(db);
    project.write("entities/order.ts", ORDER);
    project.write("entities/big.ts", view("big_orders", "SELECT id FROM orders WHERE total > 1000"));
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  const check = (): { code: number; json: CheckJson } => {
    const result = project.run("check", "--json");
    return { code: result.code, json: JSON.parse(result.stdout) as CheckJson };
  };
  const summary = (json: CheckJson) => json.changes.map((c) => `${c.op.kind} ${c.op.name ?? c.op.view?.name}`);

  it("creates the view, then check is clean and leaves a hand-made view alone", async () => {
    const generated = project.run("revision", "--autogenerate", "-m", "orders");
    expect(generated.stdout).toContain("Detected added view 'big_orders'");
    expect(project.run("upgrade", "head").code).toBe(0);
    await withDb(db, (query) => query(`CREATE VIEW "by_hand" AS SELECT total FROM orders`));
    const clean = project.run("check");
    expect(clean.stdout).toContain("No changes detected");
    expect(clean.stdout).toContain('view "by_hand"');
    expect(clean.code).toBe(0);
  });

  it("reports a changed, an added and a removed view with reasons", () => {
    project.write("entities/big.ts", view("big_orders", "SELECT id FROM orders WHERE total > 10"));
    project.write("entities/small.ts", view("small_orders", "SELECT id FROM orders WHERE total < 10"));
    const changed = check();
    expect(changed.code).toBe(1);
    expect(summary(changed.json)).toEqual(["dropView big_orders", "createView big_orders", "createView small_orders"]);
    expect(changed.json.changes[0].reasons).toEqual([
      "definition: SELECT id FROM orders WHERE total > 1000 -> SELECT id FROM orders WHERE total > 10",
    ]);
    for (const change of changed.json.changes) expect(change.reasons.join("").trim()).not.toBe("");

    project.write("entities/big.ts", "export {};\n");
    project.write("entities/small.ts", "export {};\n");
    const removed = check();
    expect(removed.code).toBe(1);
    expect(summary(removed.json)).toEqual(["dropView big_orders"]);
    expect(removed.json.changes[0].reasons).toEqual(["in the database, not in the models"]);
  });
});

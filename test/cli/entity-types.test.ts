/**
 * Entities whose column types come from other files (an enum, a type alias,
 * through a barrel and a tsconfig path alias) load with the metadata the
 * user's tsc build gives them; a broken entity is named as such.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createProject, type TestProject } from "../support/project";

const KINDS = `export enum Status { Draft = "draft", Live = "live" }
export enum Priority { Low, High }
export type Label = string;
`;

const TICKET = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Label, Priority, Status } from "@domain/index";
@Entity("tickets")
export class Ticket {
  @PrimaryGeneratedColumn() id: number;
  @Column() status: Status;
  @Column() priority: Priority;
  @Column() label: Label;
}
`;

describe("entities with column types imported from other files (SQLite)", () => {
  let project: TestProject;

  beforeEach(() => {
    project = createProject(undefined);
    mkdirSync(join(project.dir, "domain"));
    project.write("domain/kinds.ts", KINDS);
    project.write("domain/index.ts", `export * from "./kinds";\n`);
    project.write(
      "tsconfig.json",
      JSON.stringify({
        compilerOptions: { target: "es2021", module: "commonjs", moduleResolution: "node", experimentalDecorators: true, emitDecoratorMetadata: true, baseUrl: ".", paths: { "@domain/*": ["domain/*"] } },
      }),
    );
    project.env.RETORT_NO_CACHE = "1";
  });

  afterEach(() => project.remove());

  test("autogenerate types an imported enum or alias column as tsc's metadata says (string enum and alias: varchar, numeric enum: integer)", () => {
    project.write("entities/Ticket.ts", TICKET);
    const r = project.run("revision", "--autogenerate", "-m", "tickets");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [file] = readdirSync(join(project.dir, "migrations")).filter((f) => f.endsWith(".ts"));
    const text = readFileSync(join(project.dir, "migrations", file), "utf8");
    // Written in the portable vocabulary: String is varchar, Integer is integer on every dialect.
    expect(text).toMatch(/name: "status", type: "String"/);
    expect(text).toMatch(/name: "priority", type: "Integer"/);
    expect(text).toMatch(/name: "label", type: "String"/);
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(project.run("check").code).toBe(0);
  });

  test("an entity that throws while loading is named, not reported as a connection failure", () => {
    project.write("entities/Ticket.ts", `${TICKET}\nthrow new Error("boom in ticket");\n`);
    const r = project.run("check");
    expect(r.code).toBe(2);
    const throwLine = `${TICKET}\nthrow`.split("\n").length;
    expect(r.stderr).toBe(`FAILED: Could not load entity file ${join("entities", "Ticket.ts")}:${throwLine}: boom in ticket.\n`);
  });

  test("an entity that does not compile is named with its line", () => {
    project.write("entities/Ticket.ts", `${TICKET}\nexport const broken = ;\n`);
    const r = project.run("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`FAILED: Could not compile ${join("entities", "Ticket.ts")}:11:23: Expression expected.\n`);
  });

  test("metadata TypeORM cannot build names the entity file", () => {
    // No design:type TypeORM can map (an object type) and no explicit type.
    project.write("entities/Ticket.ts", TICKET.replace("@Column() label: Label;", "@Column() label: { a: number };"));
    const r = project.run("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^FAILED: Could not build the entity metadata \(entities\/Ticket\.ts:\d+\): Data type "Object" in "Ticket\.label" is not supported/);
    expect(r.stderr).not.toContain("Cannot connect");
  });

  test("an entities glob that matches no file is reported on autogenerate and check", () => {
    project.write("ormconfig.ts", `import { DataSource } from "typeorm";
export default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [__dirname + "/entity/*.ts"] });
`);
    const auto = project.run("revision", "--autogenerate", "-m", "nothing");
    expect(auto.stderr).toBe(`WARNING: the entities glob ${join(project.dir, "entity", "*.ts")} in ormconfig.ts matches no file.\n`);
    expect(auto.stdout).toContain("No changes detected");
    const check = project.run("check");
    expect(check.stderr).toContain("matches no file");
    expect(check.code).toBe(0);
  });
});

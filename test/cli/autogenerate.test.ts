/**
 * `revision --autogenerate` and `check` through the real executable: exit
 * codes, output, pending revisions, managed tables, renames (flag, terminal
 * prompt, REVIEW fallback), --verbose, --json, and a generated file that
 * type-checks.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, representativeDialects, type TestDatabase } from "../support/databases";
import { introspect, withDb } from "../support/inspect";
import { BIN, createProject, REPO, revisionSource, type TestProject } from "../support/project";

const userEntity = (columns: string) => `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity({ name: "users" })
export class User {
  @PrimaryGeneratedColumn() id: number;
${columns}
}
`;

function revisionFiles(project: TestProject): string[] {
  return readdirSync(join(project.dir, "migrations")).sort();
}

function newestRevision(project: TestProject, before: string[]): string {
  const added = revisionFiles(project).filter((f) => !before.includes(f));
  expect(added).toHaveLength(1);
  return readFileSync(join(project.dir, "migrations", added[0]), "utf8");
}

describeEachDialect("autogenerate and check through the CLI", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/User.ts", userEntity(`  @Column({ type: "varchar", length: 32 }) name: string;\n  @Column({ type: "varchar", length: 40, nullable: true }) tz: string | null;`));
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  test("check on an empty database: exit 1 and the list of differences", () => {
    const r = project.run("check");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Detected added table 'users'");
  });

  test("autogenerate writes the revision; after upgrade, check is clean and autogenerate writes nothing", async () => {
    const before = revisionFiles(project);
    const r = project.run("revision", "--autogenerate", "-m", "create users");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Detected added table 'users'");
    expect(r.stdout).toMatch(/Generating migrations\/[0-9a-f]{12}_create_users\.ts \.\.\. done/);
    expect(newestRevision(project, before)).toContain('await op.createTable("users"');
    expect(project.run("upgrade", "head").code).toBe(0);
    expect((await introspect(db)).tables.map((t) => t.name)).toContain("users");

    const check = project.run("check");
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("No changes detected");
    const files = revisionFiles(project);
    const again = project.run("revision", "--autogenerate", "-m", "nothing");
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split("\n").pop()).toBe("No changes detected");
    expect(revisionFiles(project)).toEqual(files);
  });

  test("pending revisions are reported as such, never as drift, and autogenerate refuses", () => {
    project.write("migrations/9999aaaa0001_pending.ts", revisionSource("9999aaaa0001", readHead(project), "pending", "", ""));
    const check = project.run("check");
    expect(check.code).toBe(2);
    expect(check.stderr.trim()).toBe("FAILED: Target database is not up to date: 1 revision pending — run `retort upgrade head` first.");
    const files = revisionFiles(project);
    const gen = project.run("revision", "--autogenerate", "-m", "on top of nothing");
    expect(gen.code).toBe(2);
    expect(revisionFiles(project)).toEqual(files);
    expect(project.run("upgrade", "head").code).toBe(0);
  });

  test("--verbose says why; check --json gives the ops as data", () => {
    project.write("entities/User.ts", userEntity(`  @Column({ type: "varchar", length: 64 }) name: string;\n  @Column({ type: "varchar", length: 40, nullable: true }) tz: string | null;`));
    const verbose = project.run("check", "--verbose");
    expect(verbose.code).toBe(1);
    expect(verbose.stdout).toMatch(/on 'users\.name'/);
    expect(verbose.stdout).toContain("because length: 32 -> 64");
    const json = JSON.parse(project.run("check", "--json").stdout);
    expect(json.inSync).toBe(false);
    expect(json.changes).toHaveLength(1);
    expect(json.changes[0].op).toMatchObject({ kind: "alterColumn", table: "users", column: "name", changes: { length: 64 } });
    const before = revisionFiles(project);
    expect(project.run("revision", "--autogenerate", "-m", "widen name").code).toBe(0);
    expect(newestRevision(project, before)).toContain('await op.alterColumn(');
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(project.run("check").code).toBe(0);
  });

  test("a rename is never guessed: without --rename the file has drop + add and a REVIEW with the rename line", async () => {
    await withDb(db, (q) => q(`INSERT INTO users (name, tz) VALUES ('ada', 'Europe/London')`));
    project.write("entities/User.ts", userEntity(`  @Column({ type: "varchar", length: 64 }) name: string;\n  @Column({ type: "varchar", length: 40, nullable: true }) timezone: string | null;`));
    const before = revisionFiles(project);
    const r = project.run("revision", "--autogenerate", "-m", "tz guess");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/REVIEW .*rename/i);
    const source = newestRevision(project, before);
    expect(source).toContain('await op.addColumn("users"');
    expect(source).toContain('await op.dropColumn("users", "tz");');
    // The rename explanation is written once, above the addColumn.
    expect(source.split("await op.renameColumn").length - 1).toBe(1);
    expect(source).toContain('await op.renameColumn("users", "tz", "timezone");');
    // Not applied: replace it with the declared rename.
    const added = revisionFiles(project).filter((f) => !before.includes(f))[0];
    require("node:fs").rmSync(join(project.dir, "migrations", added));
  });

  test("a --rename that matches no dropped and added column or table exits 2 naming it and writes nothing", async () => {
    const before = revisionFiles(project);
    const refused: Array<[string[], string]> = [
      [["--rename", "users.tzz=users.timezone"], 'FAILED: --rename users.tzz=users.timezone does not match a dropped and an added column: the database has no column "users.tzz".'],
      [["--rename", "users.tz=users.time_zone"], 'FAILED: --rename users.tz=users.time_zone does not match a dropped and an added column: the entities have no column "users.time_zone".'],
      [["--rename", "user.tz=user.timezone"], 'FAILED: --rename user.tz=user.timezone does not match a dropped and an added column: the entities have no table "user".'],
      [["--rename", "usr=users"], 'FAILED: --rename usr=users does not match a dropped and an added table: the database has no table "usr".'],
      [["--rename", "users.tz=users.timezone", "--rename", "users.tz=users.name"], 'FAILED: --rename "users.tz=users.name" names the old column "users.tz" a second time; give each name once.'],
      [["--rename", ""], 'FAILED: --rename "" is not of the form table.old=table.new, old_table=new_table, table:schema.old=schema.new or enum:old=new.'],
      [["--rename"], 'FAILED: --rename "" is not of the form table.old=table.new, old_table=new_table, table:schema.old=schema.new or enum:old=new.'],
      [["--rename", "users.tz=timezone"], 'FAILED: --rename "users.tz=timezone" must name the same table on both sides (table.old=table.new or schema.table.old=schema.table.new).'],
      [["--rename", "users.=users.timezone"], 'FAILED: --rename "users.=users.timezone" has an empty name; write table.old=table.new, old_table=new_table, table:schema.old=schema.new or enum:old=new.'],
    ];
    for (const [flags, message] of refused) {
      const r = project.run("revision", "--autogenerate", "-m", "typo", ...flags);
      expect({ flags, code: r.code, stderr: r.stderr.trim() }).toEqual({ flags, code: 2, stderr: message });
    }
    expect(revisionFiles(project)).toEqual(before);
    const columns = (await introspect(db)).tables.find((t) => t.name === "users")!.columns.map((c) => c.name);
    expect(columns).toContain("tz");
    expect(columns).not.toContain("timezone");
  });

  test("--rename turns the candidate into renameColumn and keeps the data", async () => {
    const before = revisionFiles(project);
    const r = project.run("revision", "--autogenerate", "-m", "rename tz", "--rename", "users.tz=users.timezone");
    expect(r.code).toBe(0);
    const source = newestRevision(project, before);
    expect(source).toContain('await op.renameColumn("users", "tz", "timezone");');
    expect(source).not.toContain("dropColumn");
    expect(project.run("upgrade", "head").code).toBe(0);
    const rows = await withDb(db, (q) => q<{ timezone: string }>("SELECT timezone FROM users"));
    expect(rows.map((row) => row.timezone)).toEqual(["Europe/London"]);
    expect(project.run("check").code).toBe(0);
  });

  test("tables outside include/exclude are never proposed for dropping", async () => {
    await withDb(db, (q) => q("CREATE TABLE legacy_stuff (id INTEGER PRIMARY KEY)"));
    const unmanaged = project.run("check");
    expect(unmanaged.code).toBe(1);
    expect(unmanaged.stdout).toContain("legacy_stuff");
    const config = readFileSync(join(project.dir, "ormconfig.ts"), "utf8");
    writeFileSync(join(project.dir, "ormconfig.ts"), `${config}\nexport const retort = { exclude: [/^legacy_/] };\n`);
    const managed = project.run("check");
    expect(managed.stdout).not.toContain("legacy_stuff");
    expect(managed.code).toBe(0);
  });
}, representativeDialects("sqlite", "postgres"));

function readHead(project: TestProject): string {
  const r = project.run("heads", "--json");
  return (JSON.parse(r.stdout) as Array<{ revision: string }>)[0].revision;
}

describe("autogenerate on a terminal asks about renames", () => {
  test("answering y at the prompt emits renameColumn", () => {
    const project = createProject(undefined);
    try {
      project.write("entities/User.ts", userEntity(`  @Column({ type: "varchar", length: 40, nullable: true }) tz: string | null;`));
      expect(project.run("revision", "--autogenerate", "-m", "init").code).toBe(0);
      expect(project.run("upgrade", "head").code).toBe(0);
      project.write("entities/User.ts", userEntity(`  @Column({ type: "varchar", length: 40, nullable: true }) timezone: string | null;`));
      const before = revisionFiles(project);
      // `script` gives the CLI a pseudo-terminal; the answer arrives once the question is up.
      const command = `(sleep 4; printf 'y\\r'; sleep 4) | script -qec "${process.execPath} ${BIN} revision --autogenerate -m renamed" /dev/null`;
      const r = spawnSync("bash", ["-c", command], { cwd: project.dir, env: project.env, encoding: "utf8", timeout: 60000 });
      expect(r.stdout).toContain("Did you rename users.tz to users.timezone?");
      const source = newestRevision(project, before);
      expect(source).toContain('await op.renameColumn("users", "tz", "timezone");');
    } finally {
      project.remove();
    }
  });
});

describe("a generated revision type-checks", () => {
  test("tsc --noEmit accepts the example app's autogenerated revision", () => {
    const project = createProject(undefined);
    try {
      for (const f of readdirSync(join(REPO, "entities"))) project.write(`entities/${f}`, readFileSync(join(REPO, "entities", f), "utf8"));
      expect(project.run("revision", "--autogenerate", "-m", "ledger").code).toBe(0);
      project.write(
        "tsconfig.json",
        JSON.stringify({ extends: "../../tsconfig.json", compilerOptions: { noEmit: true, rootDir: "../.." }, include: ["migrations/*.ts"] }),
      );
      const tsc = spawnSync(process.execPath, [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", join(project.dir, "tsconfig.json")], {
        encoding: "utf8",
      });
      expect(tsc.stdout + tsc.stderr).toBe("");
      expect(tsc.status).toBe(0);
    } finally {
      project.remove();
    }
  });
});

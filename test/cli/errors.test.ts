/**
 * Bad input: each case exits 2 with one clear sentence on stderr and no stack
 * trace, and never prints a password.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_REVISION_ID_LENGTH } from "../../src/revisions/ids";
import { BIN, createProject, revisionSource, type TestProject } from "../support/project";

function expectOneSentence(r: { code: number; stderr: string; stdout: string }, ...fragments: string[]): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^FAILED: .+\.$/);
  expect(lines[0]).not.toMatch(/\n\s+at /);
  for (const f of fragments) expect(lines[0]).toContain(f);
}

describe("bad input gives exit 2 and one sentence", () => {
  let project: TestProject;
  beforeEach(() => {
    project = createProject(undefined);
  });
  afterEach(() => project.remove());

  test("malformed DATABASE_URL", () => {
    project.env.DATABASE_URL = "postgresql://user:s3cret@:5432";
    const r = project.run("current");
    expectOneSentence(r, "DATABASE_URL", "sqlite:///");
    expect(r.stderr + r.stdout).not.toContain("s3cret");
  });

  test("unknown URL scheme names the accepted forms", () => {
    project.env.DATABASE_URL = "oracle://scott:tiger@db/orcl";
    const r = project.run("current");
    expectOneSentence(r, '"oracle:"', "postgresql://", "mysql://", "sqlite::memory:");
    expect(r.stderr).not.toContain("tiger");
  });

  test("unreachable server, without printing the password", () => {
    project.env.DATABASE_URL = "postgresql://postgres:hunter2@127.0.0.1:1/nowhere";
    const r = project.run("current");
    expectOneSentence(r, "Cannot connect", "127.0.0.1:1");
    expect(r.stderr + r.stdout).not.toContain("hunter2");
    expect(r.stderr).toContain("***");
  });

  test("config that does not load", () => {
    project.write("ormconfig.ts", `import { DataSource } from "typeorm";\nexport default new DataSource({ type: "better-sqlite3", database: "x.db" \n`);
    const r = project.run("current");
    expectOneSentence(r, "ormconfig.ts:");
  });

  test("config that throws when loaded", () => {
    project.write("ormconfig.ts", `throw new Error("no config for you");\n`);
    expectOneSentence(project.run("heads"), "Could not load config", "no config for you");
  });

  test("missing config file", () => {
    expectOneSentence(project.run("heads", "-c", "nope.ts"), "nope.ts");
  });

  test("entity file with a syntax error names the file and line", () => {
    project.write(
      "entities/Broken.ts",
      `import { Entity, PrimaryGeneratedColumn } from "typeorm";\n@Entity()\nexport class Broken {\n  @PrimaryGeneratedColumn() id: number;\n  name: string = ;\n}\n`,
    );
    // `check` loads the entities; `current` never does (test/cli/startup.test.ts).
    const r = project.run("check");
    expectOneSentence(r, "entities/Broken.ts:5");
  });

  test("unknown revision", () => {
    project.write("migrations/aaaa00000001_a.ts", revisionSource("aaaa00000001", null, "a", "", ""));
    expectOneSentence(project.run("upgrade", "ffff9999"), "ffff9999");
  });

  test("ambiguous prefix lists the candidates", () => {
    project.write("migrations/abcd00000001_a.ts", revisionSource("abcd00000001", null, "a", "", ""));
    project.write("migrations/abcd00000002_b.ts", revisionSource("abcd00000002", "abcd00000001", "b", "", ""));
    expectOneSentence(project.run("show", "abcd"), "abcd00000001", "abcd00000002");
  });

  test("cycle", () => {
    project.write("migrations/aaaa00000001_a.ts", revisionSource("aaaa00000001", "bbbb00000002", "a", "", ""));
    project.write("migrations/bbbb00000002_b.ts", revisionSource("bbbb00000002", "aaaa00000001", "b", "", ""));
    expectOneSentence(project.run("heads"), "aaaa00000001", "bbbb00000002");
  });

  test("missing down-revision", () => {
    project.write("migrations/aaaa00000001_a.ts", revisionSource("aaaa00000001", "0000dead0000", "a", "", ""));
    expectOneSentence(project.run("history"), "0000dead0000");
  });

  test("duplicate revision id", () => {
    project.write("migrations/aaaa00000001_a.ts", revisionSource("aaaa00000001", null, "a", "", ""));
    project.write("migrations/aaaa00000001_b.ts", revisionSource("aaaa00000001", null, "b", "", ""));
    expectOneSentence(project.run("heads"), "aaaa00000001");
  });

  test("unknown command and unknown option", () => {
    expectOneSentence(project.run("upgrayedd"));
    expectOneSentence(project.run("heads", "--frobnicate"));
  });

  test.each([
    ["show", ""],
    ["show", " "],
    ["history", "-r", ""],
    ["merge", "-m", "m", ""],
    ["merge", "-m", "m", "aaaa00000001", ""],
    ["revision", "-m", "m", "--head", ""],
    ["revision", "-m", "m", "--depends-on", ""],
  ])("an empty target is refused: %j", (...args) => {
    project.write("migrations/aaaa00000001_a.ts", revisionSource("aaaa00000001", null, "a", "", ""));
    expectOneSentence(project.run(...args), "is empty");
    expect(readdirSync(join(project.dir, "migrations"))).toEqual(["aaaa00000001_a.ts"]);
  });

  test.each([
    ["a-b", "contains '-'"],
    ["../evil", "contains '/'"],
    ["..", "not a file name"],
    ["x".repeat(MAX_REVISION_ID_LENGTH + 1), `${MAX_REVISION_ID_LENGTH + 1} characters long`],
    ["", "is empty"],
    ["a b", "whitespace"],
    ["a@b", "contains '@'"],
  ])("--rev-id %j is refused before any file is written", (id, why) => {
    project.write("migrations/aaaa00000001_a.ts", revisionSource("aaaa00000001", null, "a", "", ""));
    project.write("migrations/bbbb00000001_b.ts", revisionSource("bbbb00000001", null, "b", "", ""));
    expectOneSentence(project.run("revision", "-m", "x", "--rev-id", id), why);
    expectOneSentence(project.run("merge", "-m", "x", "--rev-id", id, "heads"), why);
    expect(readdirSync(join(project.dir, "migrations"))).toEqual(["aaaa00000001_a.ts", "bbbb00000001_b.ts"]);
    expect(existsSync(join(project.dir, "evil_x.ts"))).toBe(false);
    // Nothing unloadable was left behind: every command still works.
    expect(project.run("heads").code).toBe(0);
  });

  test("a revision file whose id the loader refuses is named", () => {
    project.write("migrations/a-b_x.ts", revisionSource("a-b", null, "x", "", ""));
    expectOneSentence(project.run("heads"), "'a-b'", "a-b_x.ts", "contains '-'");
  });

  test.each([
    ["postgresql://app:hunter2@Leak@/app"],
    ["postgresql://app:hunter2@Leak@127.0.0.1:1/app"],
    ["postgresql://app:hun/ter2Leak@127.0.0.1:1/app"],
    ["postgresql://app:12/hunter2Leak@127.0.0.1:1/app"],
    ["postgresql://app:hunter2#Leak@127.0.0.1:1/app"],
    ["postgresql://app@hunter2Leak@127.0.0.1:1/app"],
    ["mysql+pymysql://app:hunter2 Leak@127.0.0.1:1/app"],
    ["mysql://app:hunter2Leak@"],
  ])("no piece of the password of %j is printed", (url) => {
    project.env.DATABASE_URL = url;
    const r = project.run("current");
    expectOneSentence(r);
    for (const piece of ["hunter2", "hun", "ter2", "Leak"]) expect(r.stderr + r.stdout).not.toContain(piece);
  });

  test("a config exporting a rejected Promise", () => {
    project.write("ormconfig.ts", `export default Promise.reject(new Error("vault unreachable"));\n`);
    expectOneSentence(project.run("current"), "Could not load config", "rejected", "vault unreachable");
  });

  test("migrationsDir pointing at a file", () => {
    project.write("ormconfig.ts", `${readFileSync(join(project.dir, "ormconfig.ts"), "utf8")}export const retort = { migrationsDir: "notes.txt" };\n`);
    project.write("notes.txt", "not a folder\n");
    expectOneSentence(project.run("heads"), "notes.txt", "is a file, not a folder");
    expectOneSentence(project.run("revision", "-m", "x"), "notes.txt", "is a file, not a folder");
    expect(readFileSync(join(project.dir, "notes.txt"), "utf8")).toBe("not a folder\n");
  });

  test.each([["current"], ["upgrade", "head"], ["stamp", "head"], ["check"], ["test-connection"]])(
    "a SQLite file that is not a database: %j",
    (...args) => {
      const garbage = "this is a text file, not an SQLite database\n".repeat(20);
      writeFileSync(join(project.dir, "app.db"), garbage);
      project.write("migrations/aaaa00000001_a.ts", revisionSource("aaaa00000001", null, "a", "", ""));
      expectOneSentence(project.run(...args), "Cannot connect to sqlite:", "app.db", "not a database");
      expect(readFileSync(join(project.dir, "app.db"), "utf8")).toBe(garbage);
    },
  );

  test("an op the dialect cannot render, in upgrade --sql", () => {
    project.env.DATABASE_URL = "postgresql://app@127.0.0.1:1/app";
    project.write(
      "migrations/aaaa00000001_a.ts",
      revisionSource(
        "aaaa00000001",
        null,
        "a",
        `  await op.createTable("t", { columns: [{ name: "id", type: "varchar", length: 20, autoIncrement: true, nullable: false }] });`,
        `  await op.dropTable("t");`,
      ),
    );
    const r = project.run("upgrade", "head", "--sql");
    expectOneSentence(r, "aaaa00000001", "aaaa00000001_a.ts", "autoIncrement", "varchar");
    expect(r.stdout).toBe("");
  });

  describe("entity files that fail to load name the file and line, not the connection", () => {
    const post = (body: string) =>
      `import { Entity, PrimaryGeneratedColumn, Column } from "typeorm";\nimport { Kind } from "./kind";\n\n@Entity()\nexport class Post {\n  @PrimaryGeneratedColumn() id: number;\n\n${body}\n}\n`;

    test.each([
      ["an error thrown at import", `export type Kind = "a" | "b";\n\nexport const n = 1;\nthrow new Error("boom at import");\n`, "@Column() kind: string;", ["entities/kind.ts:4", "boom at import"]],
      ["a missing module", `export type Kind = "a";\nimport "./missing-module";\n`, "@Column() kind: string;", ["entities/kind.ts:2", "./missing-module"]],
      ["a syntax error in an imported file", `export type Kind = "a";\nconst x: number = ;\n`, "@Column() kind: string;", ["entities/kind.ts:2:", "Expression expected"]],
      ["a column type TypeORM refuses", `export type Kind = "a" | "b";\n`, '  @Column({ type: "no_such_type" as any })\n  kind: string;', ["Could not build the entity metadata", "entities/Post.ts:9", "Post.kind", "no_such_type"]],
    ])("%s", (_what, kind, column, fragments) => {
      project.write("entities/kind.ts", kind);
      project.write("entities/Post.ts", post(column));
      const r = project.run("check");
      expectOneSentence(r, "Could not", ...(fragments as string[]));
      expect(r.stderr).not.toContain("Cannot connect");
    });
  });
});

test("a reader that closes the pipe early (`retort history | head -1`): the command ends as it would, without a stack trace", async () => {
  const project = createProject(undefined);
  try {
    for (let i = 1; i <= 3; i++) {
      const rev = `c105ed00000${i}`;
      project.write(`migrations/${rev}_step_${i}.ts`, revisionSource(rev, i === 1 ? null : `c105ed00000${i - 1}`, `step ${i}`, "", ""));
    }
    for (const args of [["history"], ["upgrade", "head"]]) {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: project.dir, env: project.env, stdio: ["ignore", "pipe", "pipe"] });
      // Closed before the first line is written: every write of the command meets a closed pipe.
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const code = await new Promise<number | null>((done) => child.on("close", done));
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: "" });
    }
    // The upgrade went through to its end.
    expect(project.run("current").stdout).toContain("c105ed000003");
  } finally {
    project.remove();
  }
});

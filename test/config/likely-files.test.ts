/**
 * The files a cold command compiles with its config are guessed from the
 * config's text: each plain form TypeORM configs use, and nothing else.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { filesLikelyLoadedAfter, globsIn } from "../../src/config/likely-files";
import { createProject } from "../support/project";

const DIR = "/app/db";
const CWD = "/app";

test.each([
  ["__dirname + a literal", `entities: [__dirname + "/entities/*.ts"]`, ["/app/db/entities/*.ts"]],
  ["__dirname + a single-quoted literal", `entities: [__dirname + '/../src/**/*.entity.{ts,js}']`, ["/app/db/../src/**/*.entity.{ts,js}"]],
  ["a template of __dirname alone", "entities: [`${__dirname}/entities/**/*.ts`]", ["/app/db/entities/**/*.ts"]],
  ["path.join(__dirname, ...)", `entities: [path.join(__dirname, "entities", "*.ts")]`, ["/app/db/entities/*.ts"]],
  ["resolve(__dirname, ...)", `migrations: [resolve(__dirname, '..', 'old', '*.ts')]`, ["/app/old/*.ts"]],
  ["a relative literal, from the working directory", `entities: ["src/**/*.entity.ts"], subscribers: ["./src/subscribers/*.ts"]`, ["/app/src/**/*.entity.ts", "/app/src/subscribers/*.ts"]],
])("%s", (_, source, globs) => {
  expect(globsIn(source, DIR, CWD)).toEqual(globs);
});

test.each([
  ["an absolute literal (the glob of the whole disk it would be)", `entities: ["/**/*.ts"]`],
  ["a literal that starts with a wildcard (the whole working directory)", `entities: ["**/*.entity.ts"]`],
  ["a literal without a wildcard", `entities: ["src/entities/user.ts"], type: "postgres"`],
  ["a template with another substitution", "entities: [`${__dirname}/${folder}/*.ts`]"],
  ["a join with a variable", `entities: [join(__dirname, folder, "*.ts")]`],
])("nothing from %s", (_, source) => {
  expect(globsIn(source, DIR, CWD)).toEqual([]);
});

test("the revision folder (migrationsDir when a literal, else migrations) and, when asked, the TypeScript files the globs match", () => {
  const project = createProject(
    undefined,
    `import { DataSource } from "typeorm";
export default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [__dirname + "/entities/*.{ts,js}"] });
export const retort = { migrationsDir: "db/revisions" };
`,
  );
  try {
    const config = join(project.dir, "ormconfig.ts");
    project.write("entities/a.ts", "export class A {}\n");
    project.write("entities/b.js", "exports.B = class B {};\n");
    project.write("entities/c.d.ts", "export declare class C {}\n");
    project.write("migrations/0001_ignored.ts", "export const revision = '0001';\n");
    mkdirSync(join(project.dir, "db", "revisions"), { recursive: true });
    project.write("db/revisions/0001_init.ts", "export const revision = '0001';\n");
    const source = readFileSync(config, "utf8");
    expect(filesLikelyLoadedAfter(config, source, { entities: false, cwd: project.dir })).toEqual([join(project.dir, "db/revisions/0001_init.ts")]);
    expect(filesLikelyLoadedAfter(config, source, { entities: true, cwd: project.dir })).toEqual([
      join(project.dir, "db/revisions/0001_init.ts"),
      join(project.dir, "entities/a.ts"),
    ]);
  } finally {
    project.remove();
  }
});

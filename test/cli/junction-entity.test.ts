/**
 * Issue #10 (3): a junction table declared twice, by an entity
 * (`@Entity({ name: "post_tag" })`) and by a many-to-many's
 * `@JoinTable({ name: "post_tag" })`, is one table, as TypeORM builds it: one
 * createTable carrying the entity's columns and the junction's indexes, a
 * clean check after upgrade, and a clean check against TypeORM's own
 * synchronize of the same entities.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { introspect, withDb } from "../support/inspect";
import { createProject, REPO, type TestProject } from "../support/project";

const HOOK = join(REPO, "src", "config", "ts-hook.js");

const POST = `import { Column, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from "typeorm";
import { Tag } from "./tag";

@Entity()
export class Post {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 100 })
  title!: string;

  @ManyToMany(() => Tag)
  @JoinTable({ name: "post_tag", joinColumn: { name: "postId" }, inverseJoinColumn: { name: "tagId" } })
  tags!: Tag[];
}
`;

const TAG = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Tag {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 40 })
  label!: string;
}
`;

const POST_TAG = `import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from "typeorm";
import { Post } from "./post";
import { Tag } from "./tag";

@Entity({ name: "post_tag" })
export class PostTag {
  @PrimaryColumn()
  postId!: number;

  @PrimaryColumn()
  tagId!: number;

  @Column({ default: 0 })
  position!: number;

  @ManyToOne(() => Post, { onDelete: "CASCADE" })
  @JoinColumn({ name: "postId" })
  post!: Post;

  @ManyToOne(() => Tag, { onDelete: "CASCADE" })
  @JoinColumn({ name: "tagId" })
  tag!: Tag;
}
`;

function withEntities(project: TestProject): void {
  project.write("entities/post.ts", POST);
  project.write("entities/tag.ts", TAG);
  project.write("entities/post-tag.ts", POST_TAG);
}

describeEachDialect("a junction entity and a @JoinTable naming the same table", (dialect) => {
  let db: TestDatabase;
  let synced: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    synced = await createTestDatabase(dialect);
    project = createProject(db);
    withEntities(project);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
    await synced?.drop();
  });

  it("is created once, with the entity's columns and the junction's indexes, and checks clean", async () => {
    const generated = project.run("revision", "--autogenerate", "-m", "posts");
    expect(generated.stderr).toBe("");
    expect(generated.code).toBe(0);
    const [file] = readdirSync(join(project.dir, "migrations")).filter((f) => f.endsWith(".ts"));
    const source = readFileSync(join(project.dir, "migrations", file), "utf8");
    expect(source.match(/createTable\(\s*"post_tag"/g)).toHaveLength(1);

    expect(project.run("upgrade", "head").code).toBe(0);
    const table = (await introspect(db)).tables.find((t) => t.name === "post_tag")!;
    expect(table.columns.map((c) => c.name).sort()).toEqual(["position", "postId", "tagId"]);
    expect(table.primaryKey?.columns).toEqual(["postId", "tagId"]);
    expect(table.foreignKeys?.map((fk) => fk.referencedTable).sort()).toEqual(["post", "tag"]);
    expect(table.indexes?.map((i) => i.columns.join(",")).sort()).toEqual(["postId", "tagId"]);
    await withDb(db, async (query) => {
      await query(`INSERT INTO post (title) VALUES ('p')`);
      await query(`INSERT INTO tag (label) VALUES ('t')`);
      await query(`INSERT INTO post_tag (${dialect === "mysql" ? "postId, tagId" : `"postId", "tagId"`}) VALUES (1, 1)`);
    });

    const check = project.run("check");
    expect(check.stdout).toContain("No changes detected");
    expect(check.code).toBe(0);
  });

  it("matches what TypeORM's synchronize builds", () => {
    const connection = dialect === "sqlite" ? { type: "better-sqlite3", database: String(synced.options.database) } : { type: String(synced.options.type), url: synced.url };
    const sync = createProject(
      synced,
      `import { DataSource } from "typeorm";
export default new DataSource({ ...${JSON.stringify(connection)}, entities: [__dirname + "/entities/*.ts"] } as never);
`,
    );
    try {
      withEntities(sync);
      // TypeORM's own schema builder, on the entity files retort loads.
      sync.write(
        "sync.js",
        `require(${JSON.stringify(HOOK)}).registerTypeScript(__dirname);
const dataSource = require("./ormconfig.ts").default;
dataSource.setOptions({ synchronize: true });
dataSource.initialize().then(() => dataSource.destroy());
`,
      );
      const r = spawnSync(process.execPath, ["sync.js"], { cwd: sync.dir, env: sync.env, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const check = sync.run("check");
      expect(check.stdout).toContain("No changes detected");
      expect(check.code).toBe(0);
    } finally {
      sync.remove();
    }
  });
});


import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { CommandContext } from "./context";

const CONFIG_TEMPLATE = `import "reflect-metadata";
import { DataSource } from "typeorm";
import type { RetortOptions } from "typeorm-retort";

export default new DataSource({
  type: "better-sqlite3",
  database: "app.db",
  entities: [__dirname + "/entities/*.ts"],
});

export const retort: RetortOptions = {
  migrationsDir: "MIGRATIONS_DIR",
};
`;

const RETORT_BLOCK = `
/** typeorm-retort options (see its README). */
export const retort = {
  migrationsDir: "MIGRATIONS_DIR",
  versionTable: "retort_version",
};
`;

/**
 * Scaffolds an existing project: the migrations folder, and the `retort`
 * options in ormconfig.ts (created with a SQLite default when missing).
 */
export async function runInit(context: CommandContext, dir: string): Promise<void> {
  const cwd = context.cwd;
  const migrations = join(cwd, dir);
  const configPath = context.args.config ? join(cwd, context.args.config) : join(cwd, "ormconfig.ts");
  const done: string[] = [];
  if (!existsSync(migrations)) {
    mkdirSync(migrations, { recursive: true });
    done.push(`Created ${relative(cwd, migrations)}/`);
  } else {
    done.push(`${relative(cwd, migrations)}/ already exists`);
  }
  if (!existsSync(configPath)) {
    writeFileSync(configPath, CONFIG_TEMPLATE.replace("MIGRATIONS_DIR", dir));
    done.push(`Created ${relative(cwd, configPath)} (SQLite app.db; point it at your database or set DATABASE_URL)`);
  } else if (!/export\s+const\s+retort\b/.test(readFileSync(configPath, "utf8"))) {
    writeFileSync(configPath, readFileSync(configPath, "utf8").replace(/\s*$/, "\n") + RETORT_BLOCK.replace("MIGRATIONS_DIR", dir));
    done.push(`Added the \`retort\` options to ${relative(cwd, configPath)}`);
  } else {
    done.push(`${relative(cwd, configPath)} already has \`retort\` options`);
  }
  for (const line of done) context.out(line);
  context.out("");
  context.out("Next steps:");
  context.out("  npx retort test-connection                       # check the connection");
  context.out('  npx retort revision --autogenerate -m "initial"  # write the first revision from your entities');
  context.out("  npx retort upgrade head                          # apply it");
}

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { findDefaultConfigFile } from "../config/config";
import { isEsmScope } from "../config/loader";
import { ConfigError } from "../errors";
import type { CommandContext } from "./context";

const CONFIG_TEMPLATE = `import "reflect-metadata";
import { DataSource } from "typeorm";
import type { RetortOptions } from "typeorm-retort";

export default new DataSource({
  type: "better-sqlite3",
  // Beside this file, whatever directory the app or retort is started from.
  database: HERE + "/app.db",
  entities: [HERE + "/entities/*.ts"],
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
  scaffold(context, dir);
  context.out("");
  context.out("Next steps:");
  context.out("  npx retort test-connection                       # check the connection");
  context.out('  npx retort revision --autogenerate -m "initial"  # write the first revision from your entities');
  context.out("  npx retort upgrade head                          # apply it");
}

/**
 * Creates the migrations folder and the `retort` options; returns the
 * folder revisions go to (the config's own migrationsDir when it had one).
 */
export function scaffold(context: CommandContext, dir: string, configured?: string): string {
  const cwd = context.cwd;
  const configPath = context.args.config
    ? resolve(cwd, context.args.config)
    : (findDefaultConfigFile(cwd) ?? join(cwd, "ormconfig.ts"));
  // migrationsDir is read relative to the config file, so the folder is made there.
  const migrations = resolve(dirname(configPath), dir);
  let migrationsDir = migrations;
  const done: string[] = [];
  if (!existsSync(migrations)) {
    mkdirSync(migrations, { recursive: true });
    done.push(`Created ${relative(cwd, migrations)}/`);
  } else if (!statSync(migrations).isDirectory()) {
    throw new ConfigError(`${relative(cwd, migrations)} is a file, not a folder; pass --dir with another migrations folder.`);
  } else {
    done.push(`${relative(cwd, migrations)}/ already exists`);
  }
  if (!existsSync(configPath)) {
    mkdirSync(dirname(configPath), { recursive: true });
    // An ES module project has no __dirname when the app itself loads the config.
    const here = isEsmScope(configPath) ? "import.meta.dirname" : "__dirname";
    writeFileSync(configPath, CONFIG_TEMPLATE.replace("MIGRATIONS_DIR", dir).replaceAll("HERE", here));
    done.push(`Created ${relative(cwd, configPath)} (SQLite app.db beside it; point it at your database or set DATABASE_URL)`);
  } else if (!/export\s+const\s+retort\b/.test(readFileSync(configPath, "utf8"))) {
    writeFileSync(configPath, readFileSync(configPath, "utf8").replace(/\s*$/, "\n") + RETORT_BLOCK.replace("MIGRATIONS_DIR", dir));
    done.push(`Added the \`retort\` options to ${relative(cwd, configPath)}`);
  } else {
    done.push(`${relative(cwd, configPath)} already has \`retort\` options`);
    if (configured) migrationsDir = configured;
  }
  for (const line of done) context.out(line);
  return migrationsDir;
}
